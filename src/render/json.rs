//! `report.json`: the whole analysis for machines, with a stable key order (struct field order,
//! lists in input order). An earlier `report.json` is what `baseline` reads.

use serde::Serialize;

use crate::analyse::recommend::Recommendation;
use crate::analyse::{
    changes::Changes, Analysis, CoverageStatus, ItemAnalysis, MissingLiaison, Overdue,
    TopicCoverage, Unclassified,
};
use crate::model::{LandscapeItem, Model, Question, Report, WorkItem};

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
    items: &'a [JsonItem<'a>],
    unclassified: &'a [Unclassified],
    missing_liaisons: &'a [MissingLiaison],
    overdue: &'a [Overdue],
    recommendations: &'a [Recommendation],
    coverage: Coverage<'a>,
    bodies: Vec<JsonBody<'a>>,
    landscape_files: Vec<JsonLandscapeFile<'a>>,
    changes: Option<&'a Changes>,
}

/// A landscape file's own values (its items are in `items`).
#[derive(Serialize)]
struct JsonLandscapeFile<'a> {
    source: String,
    org: &'a str,
    body: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    narrative: Option<&'a str>,
}

/// One item: the conclusions about it, then its other values as written.
#[derive(Serialize)]
struct JsonItem<'a> {
    #[serde(flatten)]
    analysis: &'a ItemAnalysis,
    details: Details<'a>,
}

/// The values of an item that the analysis does not carry, as written (only those set), so that
/// nothing read from the inputs is missing from `report.json`.
#[derive(Serialize, Default)]
struct Details<'a> {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stage: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    approval: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    liaisons: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    joint_with: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    base_text: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    editors: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    links: &'a [String],
}

impl<'a> Details<'a> {
    fn of_work_item(w: &'a WorkItem) -> Details<'a> {
        Details {
            kind: w.kind.as_deref(),
            stage: w.stage.as_deref(),
            timing: w.timing.map(|t| t.to_string()),
            approval: w.approval.map(|a| a.as_str()),
            priority: w.priority.map(|p| p.as_str()),
            liaisons: w.liaisons.iter().map(|l| l.as_written.as_str()).collect(),
            base_text: w.base_text.as_deref(),
            editors: &w.editors,
            summary: w.summary.as_deref(),
            notes: w.notes.as_deref(),
            ..Details::default()
        }
    }

    fn of_landscape_item(model: &'a Model, i: &'a LandscapeItem) -> Details<'a> {
        Details {
            kind: i.kind.as_deref(),
            stage: i.stage.as_deref(),
            date: i.date.map(|d| d.to_string()),
            joint_with: (i.joint_with.iter())
                .map(|&b| model.bodies.get(b).name.as_str())
                .collect(),
            summary: i.summary.as_deref(),
            notes: i.notes.as_deref(),
            links: &i.links,
            ..Details::default()
        }
    }
}

/// Every item of the analysis with its details, in the analysis's order (work items, then
/// landscape items).
fn json_items<'a>(model: &'a Model, analysis: &'a Analysis) -> Vec<JsonItem<'a>> {
    let work_items = (model.work_items.iter()).map(|w| (&w.id, Details::of_work_item(w)));
    let landscape =
        (model.landscape_items()).map(|i| (&i.id, Details::of_landscape_item(model, i)));
    (analysis.items.iter())
        .zip(work_items.chain(landscape))
        .map(|(analysis, (id, details))| {
            debug_assert_eq!(
                &analysis.id, id,
                "the analysis keeps the model's item order"
            );
            JsonItem { analysis, details }
        })
        .collect()
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
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    parent: Option<&'a str>,
    aliases: &'a [String],
    source: String,
}

/// Renders `report.json`, in parts to be written one after the other: the items are rendered
/// in batches on every core (they are nearly all of a large report), the rest around them.
pub fn render(model: &Model, analysis: &Analysis) -> Vec<Vec<u8>> {
    render_parts(model, analysis, ITEMS_PER_PART)
}

fn render_parts(model: &Model, analysis: &Analysis, items_per_part: usize) -> Vec<Vec<u8>> {
    let json = report(model, analysis, &[]);
    let mut around = serde_json::to_string_pretty(&json).expect("report.json serialises");
    around.push('\n');
    if analysis.items.is_empty() {
        return vec![around.into_bytes()];
    }
    // The items are the value of the top-level key `items` (the only key written at this
    // indentation with this name), written here as an empty list.
    let at = around
        .find(ITEMS_KEY)
        .expect("report.json has an items key")
        + ITEMS_KEY.len();
    let tail = around.split_off(at + EMPTY_LIST.len()).into_bytes();
    around.truncate(at);
    let around = around.into_bytes();
    let all = json_items(model, analysis);
    let batches: Vec<(usize, &[JsonItem])> = all.chunks(items_per_part).enumerate().collect();
    let items = crate::parallel::map_balanced(&batches, Vec::new, |scratch, &(k, batch)| {
        items_part(batch, k == 0, scratch)
    });
    let mut parts = Vec::with_capacity(items.len() + 3);
    parts.push(around);
    parts.push(b"[\n".to_vec());
    parts.extend(items);
    parts.push([b"\n  ]".as_slice(), &tail].concat());
    parts
}

/// The top-level `items` key as serde_json's pretty printer writes it, with an empty list.
const ITEMS_KEY: &str = "\n  \"items\": ";
const EMPTY_LIST: &str = "[]";

/// Items rendered per part (a part is one write).
const ITEMS_PER_PART: usize = 512;

/// The items of `batch` as elements of the top-level `items` list: each pretty-printed on its
/// own (in `scratch`) and indented by the list's depth, separated by commas (and preceded by one
/// unless `first`); the same bytes serde_json writes for them within the whole report.
fn items_part(batch: &[JsonItem], first: bool, scratch: &mut Vec<u8>) -> Vec<u8> {
    const INDENT: &[u8] = b"    ";
    let mut part = Vec::with_capacity(2048 * batch.len());
    for (k, item) in batch.iter().enumerate() {
        if k > 0 || !first {
            part.extend_from_slice(b",\n");
        }
        scratch.clear();
        serde_json::to_writer_pretty(&mut *scratch, item).expect("an item serialises");
        for (n, line) in scratch.split(|&b| b == b'\n').enumerate() {
            if n > 0 {
                part.push(b'\n');
            }
            part.extend_from_slice(INDENT);
            part.extend_from_slice(line);
        }
    }
    part
}

/// The report, with `items` as its list of items.
fn report<'a>(model: &'a Model, analysis: &'a Analysis, items: &'a [JsonItem<'a>]) -> Json<'a> {
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
            title: b.title.as_deref(),
            parent: b.parent.map(|p| model.bodies.get(p).id.as_str()),
            aliases: &b.aliases,
            source: b.source.to_string(),
        })
        .collect();
    Json {
        schema_version: SCHEMA_VERSION,
        generator: concat!("gapreport ", env!("CARGO_PKG_VERSION")),
        report: &model.report,
        question: &model.question,
        summary,
        topics: &analysis.topics,
        items,
        unclassified: &analysis.unclassified,
        missing_liaisons: &analysis.missing_liaisons,
        overdue: &analysis.overdue,
        recommendations: &analysis.recommendations,
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
        landscape_files: (model.landscape.iter())
            .map(|f| JsonLandscapeFile {
                source: f.source.to_string(),
                org: &f.org,
                body: &model.bodies.get(f.body).name,
                notes: f.notes.as_deref(),
                narrative: f.narrative.as_deref(),
            })
            .collect(),
        changes: analysis.changes.as_ref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parts, written one after the other, are the bytes serde_json writes for the whole
    /// report: with one part of items, a part per few items, a part per item.
    #[test]
    fn the_parts_make_the_report_serde_json_writes() {
        let inputs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs");
        let model = crate::check(&inputs)
            .expect("shipped inputs are valid")
            .model;
        let analysis = crate::analyse::analyse(&model);
        assert!(analysis.items.len() > 100);
        let items = json_items(&model, &analysis);
        let mut whole =
            serde_json::to_vec_pretty(&report(&model, &analysis, &items)).expect("serialises");
        whole.push(b'\n');
        for per_part in [ITEMS_PER_PART, 7, 1] {
            let parts = render_parts(&model, &analysis, per_part);
            assert_eq!(parts.len(), analysis.items.len().div_ceil(per_part) + 3);
            assert!(parts.concat() == whole, "{per_part} items per part");
        }
    }
}
