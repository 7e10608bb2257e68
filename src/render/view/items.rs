//! The item tables: the Question's work programme, and the other bodies' work by organisation
//! and body.

use std::collections::HashMap;

use serde::Serialize;

use super::{item_anchor, slug, Convert, Lookup, Narrative};
use crate::model::Model;

/// A row of an item table (work programme or landscape; fields of the other kind stay empty).
#[derive(Debug, Default, Serialize)]
pub struct ItemRow {
    /// Id.
    pub id: String,
    /// HTML anchor, stable across builds.
    pub anchor: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: String,
    /// Source wording of the status.
    pub stage: Option<String>,
    /// Type of text.
    pub kind: Option<String>,
    /// Date (landscape) or timing (work programme).
    pub date: Option<String>,
    /// Security work.
    pub security: bool,
    /// Topics: (id, label).
    pub topics: Vec<TopicRef>,
    /// The body, when it differs from the section's body.
    pub body: Option<String>,
    /// Joint bodies.
    pub joint_with: Vec<String>,
    /// Links.
    pub links: Vec<String>,
    /// Overdue (work items).
    pub overdue: bool,
    /// Work items: approval, priority, liaisons, base text, editors.
    pub approval: Option<String>,
    /// Priority.
    pub priority: Option<String>,
    /// Liaisons as written.
    pub liaisons: Vec<String>,
    /// Base text.
    pub base_text: Option<String>,
    /// Editors.
    pub editors: Vec<String>,
    /// `file:line`.
    pub source: String,
    /// Summary (plain text, trimmed; none when blank).
    pub summary: Option<String>,
    /// Notes (plain text, trimmed; none when blank).
    pub notes: Option<String>,
}

/// A topic named in a table.
#[derive(Debug, Serialize)]
pub struct TopicRef {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
}

/// One organisation's bodies.
#[derive(Debug, Serialize)]
pub struct OrgView {
    /// Organisation.
    pub org: String,
    /// Anchor.
    pub anchor: String,
    /// Its bodies (one per landscape file).
    pub bodies: Vec<BodyView>,
}

/// One landscape file: a body, its notes and items.
#[derive(Debug, Serialize)]
pub struct BodyView {
    /// Body name.
    pub name: String,
    /// Anchor.
    pub anchor: String,
    /// Long name.
    pub title: Option<String>,
    /// Notes (plain text).
    pub notes: Option<String>,
    /// Markdown narrative, converted.
    pub narrative_converted: Option<String>,
    /// The file.
    pub source: String,
    /// Items.
    pub items: Vec<ItemRow>,
}

/// A link to an item.
#[derive(Debug, Serialize)]
pub struct ItemLink {
    /// Id.
    pub id: String,
    /// Anchor.
    pub anchor: String,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
}

/// Table 1: the Question's work items, those in `overdue` marked.
pub(super) fn work_programme(model: &Model, lookup: &Lookup, overdue: &[String]) -> Vec<ItemRow> {
    model
        .work_items
        .iter()
        .map(|w| ItemRow {
            id: w.id.clone(),
            anchor: item_anchor(&w.id),
            title: w.title.clone(),
            status: w.status.to_string(),
            stage: w.stage.clone(),
            kind: w.kind.clone(),
            date: w.timing.map(|t| t.to_string()),
            security: true,
            topics: lookup.topic_refs(lookup.item(&w.id)),
            overdue: overdue.contains(&w.id),
            approval: w.approval.map(|a| a.as_str().to_string()),
            priority: w.priority.map(|p| p.as_str().to_string()),
            liaisons: w.liaisons.iter().map(|l| l.as_written.clone()).collect(),
            base_text: w.base_text.clone(),
            editors: w.editors.clone(),
            source: w.source.to_string(),
            summary: shown(&w.summary),
            notes: shown(&w.notes),
            ..ItemRow::default()
        })
        .collect()
}

/// The landscape files' items, by organisation (in the order they first come), then body.
pub(super) fn landscape(model: &Model, lookup: &Lookup, convert: Convert) -> Vec<OrgView> {
    let mut orgs: Vec<OrgView> = Vec::new();
    let mut files_of_body: HashMap<&str, usize> = HashMap::new();
    for file in &model.landscape {
        let body = model.bodies.get(file.body);
        let nth = files_of_body.entry(&body.id).or_default();
        *nth += 1;
        let items = file
            .items
            .iter()
            .map(|i| {
                let a = lookup.item(&i.id);
                ItemRow {
                    id: i.id.clone(),
                    anchor: item_anchor(&i.id),
                    title: i.title.clone(),
                    status: i.status.to_string(),
                    stage: i.stage.clone(),
                    kind: i.kind.clone(),
                    date: i.date.map(|d| d.to_string()),
                    security: a.security,
                    topics: lookup.topic_refs(a),
                    body: (i.body != file.body).then(|| model.bodies.get(i.body).name.clone()),
                    joint_with: i
                        .joint_with
                        .iter()
                        .map(|&b| model.bodies.get(b).name.clone())
                        .collect(),
                    links: i.links.clone(),
                    source: i.source.to_string(),
                    summary: shown(&i.summary),
                    notes: shown(&i.notes),
                    ..ItemRow::default()
                }
            })
            .collect();
        let view = BodyView {
            name: body.name.clone(),
            anchor: body_anchor(&body.id, *nth),
            title: body.title.clone(),
            notes: file.notes.clone(),
            narrative_converted: (file.narrative.as_deref()).map(|md| convert(md, Narrative::Body)),
            source: file.source.to_string(),
            items,
        };
        match orgs.iter_mut().find(|o| o.org == file.org) {
            Some(o) => o.bodies.push(view),
            None => orgs.push(OrgView {
                org: file.org.clone(),
                anchor: format!("org-{}", slug(&file.org)),
                bodies: vec![view],
            }),
        }
    }
    orgs
}

/// The anchor of the `nth` landscape file (from 1) of body `id`: `body-iso-tc307`, then
/// `body-iso-tc307-2` for a second file of the same body.
fn body_anchor(id: &str, nth: usize) -> String {
    match nth {
        1 => format!("body-{id}"),
        _ => format!("body-{id}-{nth}"),
    }
}

/// Text as the reports show it: trimmed, and none when it is blank.
fn shown(text: &Option<String>) -> Option<String> {
    let text = text.as_deref()?.trim();
    (!text.is_empty()).then(|| text.to_string())
}
