//! `report.json`: the model (and, with the analysis stage, its conclusions) for machines, with a
//! stable key order.

use serde::Serialize;

use crate::model::{Model, PartialDate, Status};

/// Version of the `report.json` layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Json<'a> {
    schema_version: u32,
    report: &'a crate::model::Report,
    question: &'a crate::model::Question,
    bodies: Vec<JsonBody<'a>>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonBody<'a> {
    id: &'a str,
    name: &'a str,
    org: &'a str,
    parent: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    kind: &'static str,
    org: &'a str,
    body: &'a str,
    title: &'a str,
    status: Status,
    stage: Option<&'a str>,
    date: Option<PartialDate>,
    source: String,
}

/// Renders `report.json`.
pub fn render(model: &Model) -> Vec<u8> {
    let bodies = model
        .bodies
        .all()
        .iter()
        .map(|b| JsonBody {
            id: &b.id,
            name: &b.name,
            org: &b.org,
            parent: b.parent.map(|p| model.bodies.get(p).id.as_str()),
        })
        .collect();
    let work = model.work_items.iter().map(|w| JsonItem {
        id: &w.id,
        kind: "work-item",
        org: "ITU-T",
        body: &model.question.id,
        title: &w.title,
        status: w.status,
        stage: w.stage.as_deref(),
        date: w.timing,
        source: w.source.to_string(),
    });
    let landscape = model.landscape_items().map(|i| JsonItem {
        id: &i.id,
        kind: "landscape",
        org: &i.org,
        body: &model.bodies.get(i.body).name,
        title: &i.title,
        status: i.status,
        stage: i.stage.as_deref(),
        date: i.date,
        source: i.source.to_string(),
    });
    let json = Json {
        schema_version: SCHEMA_VERSION,
        report: &model.report,
        question: &model.question,
        bodies,
        items: work.chain(landscape).collect(),
    };
    let mut out = serde_json::to_vec_pretty(&json).expect("report.json serialises");
    out.push(b'\n');
    out
}
