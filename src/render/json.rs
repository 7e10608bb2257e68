//! `report.json`: the whole analysis for machines, with a stable key order (struct field order,
//! lists in input order). An earlier `report.json` is what `baseline` reads.

use serde::Serialize;

use crate::analyse::{
    changes::Changes, Analysis, CoverageStatus, ItemAnalysis, MissingLiaison, Overdue,
    TopicCoverage, Unclassified,
};
use crate::model::{Model, Question, Report};

/// Version of the `report.json` layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Json<'a> {
    schema_version: u32,
    generator: &'static str,
    report: &'a Report,
    question: &'a Question,
    summary: Summary,
    topics: &'a [TopicCoverage],
    items: &'a [ItemAnalysis],
    unclassified: &'a [Unclassified],
    missing_liaisons: &'a [MissingLiaison],
    overdue: &'a [Overdue],
    coverage: Coverage<'a>,
    bodies: Vec<JsonBody<'a>>,
    changes: Option<&'a Changes>,
}

#[derive(Serialize)]
struct Summary {
    items: usize,
    work_items: usize,
    landscape_items: usize,
    security_items: usize,
    gap: usize,
    external_only: usize,
    overlap: usize,
    question_only: usize,
    untouched: usize,
    missing_liaisons: usize,
    overdue: usize,
    unclassified: usize,
}

#[derive(Serialize)]
struct Coverage<'a> {
    orgs: &'a [String],
    rows: Vec<CoverageRow<'a>>,
}

#[derive(Serialize)]
struct CoverageRow<'a> {
    topic: &'a str,
    counts: &'a [usize],
}

#[derive(Serialize)]
struct JsonBody<'a> {
    id: &'a str,
    name: &'a str,
    org: &'a str,
    parent: Option<&'a str>,
    aliases: &'a [String],
    source: String,
}

/// Renders `report.json`.
pub fn render(model: &Model, analysis: &Analysis) -> Vec<u8> {
    let count = |s: CoverageStatus| analysis.topics.iter().filter(|t| t.status == s).count();
    let summary = Summary {
        items: analysis.items.len(),
        work_items: model.work_items.len(),
        landscape_items: analysis.items.len() - model.work_items.len(),
        security_items: analysis.items.iter().filter(|i| i.security).count(),
        gap: count(CoverageStatus::Gap),
        external_only: count(CoverageStatus::ExternalOnly),
        overlap: count(CoverageStatus::Overlap),
        question_only: count(CoverageStatus::QuestionOnly),
        untouched: count(CoverageStatus::Untouched),
        missing_liaisons: analysis.missing_liaisons.len(),
        overdue: analysis.overdue.len(),
        unclassified: analysis.unclassified.len(),
    };
    let bodies = model
        .bodies
        .all()
        .iter()
        .map(|b| JsonBody {
            id: &b.id,
            name: &b.name,
            org: &b.org,
            parent: b.parent.map(|p| model.bodies.get(p).id.as_str()),
            aliases: &b.aliases,
            source: b.source.to_string(),
        })
        .collect();
    let json = Json {
        schema_version: SCHEMA_VERSION,
        generator: concat!("gapreport ", env!("CARGO_PKG_VERSION")),
        report: &model.report,
        question: &model.question,
        summary,
        topics: &analysis.topics,
        items: &analysis.items,
        unclassified: &analysis.unclassified,
        missing_liaisons: &analysis.missing_liaisons,
        overdue: &analysis.overdue,
        coverage: Coverage {
            orgs: &analysis.matrix.orgs,
            rows: analysis
                .matrix
                .rows
                .iter()
                .map(|(topic, counts)| CoverageRow { topic, counts })
                .collect(),
        },
        bodies,
        changes: analysis.changes.as_ref(),
    };
    // About 1.5 KiB per item: reserved up front, so that a large report is not copied over
    // and over as it grows (the allocator copies large blocks to grow them).
    let mut out = Vec::with_capacity(2048 * (analysis.items.len() + 16));
    serde_json::to_writer_pretty(&mut out, &json).expect("report.json serialises");
    out.push(b'\n');
    out
}
