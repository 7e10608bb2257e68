//! The report's content, section by section, as plain serialisable values: what the HTML and
//! PDF templates both render, so the two formats cannot drift apart. Markdown from the inputs is
//! passed through the caller's converter (sanitised HTML for the page, a reference to Markdown
//! parsed on its own for the PDF), told where it goes ([`Narrative`]).
//!
//! [`ReportView::build`] assembles the sections, each built in its own module: `items` (the work
//! programme and the landscape), `coverage` (the matrix, the gap analysis per topic, the
//! unclassified items), `actions` (recommendations, missing liaisons, liaison statements) and
//! `evidence` (each conclusion in words, and Annex A).

mod actions;
mod coverage;
mod evidence;
mod items;

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{Event, Parser, Tag};
use serde::Serialize;

use crate::analyse::{changes::Changes, Analysis, CoverageStatus, ItemAnalysis, Unclassified};
use crate::model::{BaselineReport, Model, Question, Report, NARRATIVE_MARKDOWN};

pub use actions::{ActionView, LetterView, RecommendationView};
pub use coverage::{
    GroupView, MappingView, MatrixRow, MatrixView, SuggestionView, TopicView, UnclassifiedView,
};
pub use evidence::{evidence_text, false_friend_text, AnnexRow, PatternShown};
pub use items::{BodyView, ItemLink, ItemRow, OrgView, TopicRef};

/// Everything a report template gets.
#[derive(Debug, Serialize)]
pub struct ReportView<'a> {
    /// `report.yaml`.
    pub report: &'a Report,
    /// The report date as text.
    pub date: String,
    /// The Question, with its motivation converted.
    pub question: QuestionView<'a>,
    /// Counts for the summary.
    pub summary: SummaryView,
    /// Table 1: the Question's work items.
    pub work_programme: Vec<ItemRow>,
    /// Other bodies' work, by organisation, then body.
    pub landscape: Vec<OrgView>,
    /// Topic x organisation counts.
    pub matrix: MatrixView,
    /// The gap analysis per topic, grouped as in the roadmap.
    pub groups: Vec<GroupView>,
    /// Missing liaisons as draft actions.
    pub actions: Vec<ActionView>,
    /// The same, gathered by body: one liaison statement to draft per body.
    pub letters: Vec<LetterView>,
    /// Recommended actions drawn from the coverage.
    pub recommendations: Vec<RecommendationView>,
    /// Items mapped to no topic.
    pub unclassified: &'a [Unclassified],
    /// Changes since the baseline.
    pub changes: Option<&'a Changes>,
    /// The report the changes are since (document number, date, meeting), when its
    /// `report.json` says.
    pub baseline: Option<&'a BaselineReport>,
    /// The topics whose coverage changed since the baseline, with their labels.
    pub topic_changes: Vec<TopicChangeView>,
    /// Every mapping's evidence, item by item.
    pub annex: Vec<AnnexRow>,
    /// Items mapped to no topic, with anchors and their suggested topics' labels.
    pub unclassified_items: Vec<UnclassifiedView>,
}

/// A topic whose coverage changed since the baseline.
#[derive(Debug, Serialize)]
pub struct TopicChangeView {
    /// Topic id.
    pub id: String,
    /// Its label (its id if the taxonomy no longer has it).
    pub label: String,
    /// Its anchor in the gap analysis.
    pub anchor: String,
    /// Its coverage status in the baseline (`absent` for a new topic).
    pub before: String,
    /// Its coverage status now.
    pub after: String,
}

/// The topic changes of `changes`, labelled.
fn topic_changes(changes: Option<&Changes>, lookup: &Lookup) -> Vec<TopicChangeView> {
    let topics = changes.map(|c| c.topics.as_slice()).unwrap_or_default();
    topics
        .iter()
        .map(|t| {
            let label = lookup.topic_label(&t.id);
            TopicChangeView {
                label: if label.is_empty() {
                    t.id.clone()
                } else {
                    label
                },
                anchor: topic_anchor(&t.id),
                id: t.id.clone(),
                before: t.before.clone(),
                after: t.after.clone(),
            }
        })
        .collect()
}

/// Where Markdown from the inputs goes in the report, which decides its headings' level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Narrative {
    /// The Question's motivation, in the clause on the Question.
    Motivation,
    /// A landscape file's narrative, under its body's heading.
    Body,
}

/// How many levels to move the headings of narrative `markdown` down so the highest becomes
/// level `top` (never up).
pub fn heading_shift(markdown: &str, top: u8) -> u8 {
    let highest = Parser::new_ext(markdown, NARRATIVE_MARKDOWN)
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level as u8),
            _ => None,
        })
        .min()
        .unwrap_or(top);
    top.saturating_sub(highest)
}

/// Turns input Markdown into the target format, for its place in the report.
pub type Convert<'c> = &'c dyn Fn(&str, Narrative) -> String;

/// The Question.
#[derive(Debug, Serialize)]
pub struct QuestionView<'a> {
    /// The model's Question.
    #[serde(flatten)]
    pub question: &'a Question,
    /// Its motivation, converted.
    pub motivation_converted: String,
}

/// Counts for the summary section.
#[derive(Debug, Serialize)]
pub struct SummaryView {
    /// All items.
    pub items: usize,
    /// The Question's work items.
    pub work_items: usize,
    /// Other bodies' items.
    pub landscape_items: usize,
    /// Security-relevant items.
    pub security_items: usize,
    /// Organisations in the landscape.
    pub orgs: usize,
    /// Bodies with at least one item.
    pub bodies: usize,
    /// Topics by status: (status, labels of its topics).
    pub by_status: Vec<StatusCount>,
    /// Missing liaisons.
    pub missing_liaisons: usize,
    /// Overdue work items (ids).
    pub overdue: Vec<String>,
    /// Unclassified items.
    pub unclassified: usize,
}

/// The topics of one coverage status.
#[derive(Debug, Serialize)]
pub struct StatusCount {
    /// `gap`, `external-only`, ...
    pub status: &'static str,
    /// Topic labels.
    pub topics: Vec<String>,
}

impl<'a> ReportView<'a> {
    /// Assembles the view; `convert` turns input Markdown into the target format.
    pub fn build(model: &'a Model, analysis: &'a Analysis, convert: Convert) -> ReportView<'a> {
        let lookup = Lookup::new(model, analysis);
        let overdue: Vec<String> = analysis
            .overdue
            .iter()
            .map(|o| o.work_item.clone())
            .collect();
        let landscape = items::landscape(model, &lookup, convert);
        ReportView {
            report: &model.report,
            date: model.report.date.to_string(),
            question: QuestionView {
                question: &model.question,
                motivation_converted: convert(&model.question.motivation, Narrative::Motivation),
            },
            summary: summary(model, analysis, landscape.len(), overdue.clone()),
            work_programme: items::work_programme(model, &lookup, &overdue),
            landscape,
            matrix: coverage::matrix(analysis),
            groups: coverage::groups(model, analysis, &lookup),
            actions: actions::actions(analysis, &lookup),
            letters: actions::letters(
                &analysis.missing_liaisons,
                &|id: &str| lookup.topic_label(id),
                &|id: &str| lookup.link(id),
            ),
            recommendations: actions::recommendations(analysis, &lookup),
            unclassified: &analysis.unclassified,
            changes: analysis.changes.as_ref(),
            baseline: (model.baseline.as_ref()).and_then(|b| b.report.as_ref()),
            topic_changes: topic_changes(analysis.changes.as_ref(), &lookup),
            annex: analysis
                .items
                .iter()
                .flat_map(evidence::annex_rows)
                .collect(),
            unclassified_items: coverage::unclassified(analysis, &lookup),
        }
    }
}

/// The counts of the summary section.
fn summary(model: &Model, analysis: &Analysis, orgs: usize, overdue: Vec<String>) -> SummaryView {
    let by_status = [
        CoverageStatus::Gap,
        CoverageStatus::ExternalOnly,
        CoverageStatus::Overlap,
        CoverageStatus::QuestionOnly,
        CoverageStatus::Untouched,
    ]
    .into_iter()
    .map(|s| StatusCount {
        status: s.as_str(),
        topics: analysis
            .topics
            .iter()
            .filter(|t| t.status == s)
            .map(|t| t.label.clone())
            .collect(),
    })
    .collect();
    SummaryView {
        items: analysis.items.len(),
        work_items: model.work_items.len(),
        landscape_items: analysis.items.len() - model.work_items.len(),
        security_items: analysis.items.iter().filter(|i| i.security).count(),
        orgs,
        bodies: analysis
            .items
            .iter()
            .flat_map(|i| i.bodies.iter())
            .collect::<BTreeSet<_>>()
            .len(),
        by_status,
        missing_liaisons: analysis.missing_liaisons.len(),
        overdue,
        unclassified: analysis.unclassified.len(),
    }
}

/// What every section looks up: an item's analysis by id, a topic's label, a link to an item.
struct Lookup<'a> {
    model: &'a Model,
    items: BTreeMap<&'a str, &'a ItemAnalysis>,
}

impl<'a> Lookup<'a> {
    fn new(model: &'a Model, analysis: &'a Analysis) -> Lookup<'a> {
        let items = analysis.items.iter().map(|i| (i.id.as_str(), i)).collect();
        Lookup { model, items }
    }

    /// The analysis of the item `id` (every item of the model has one).
    fn item(&self, id: &str) -> &'a ItemAnalysis {
        self.items[id]
    }

    fn topic_label(&self, id: &str) -> String {
        (self.model.taxonomy.topic(id))
            .map(|t| t.label.clone())
            .unwrap_or_default()
    }

    /// The topics an item maps to, with their labels.
    fn topic_refs(&self, a: &ItemAnalysis) -> Vec<TopicRef> {
        a.topics
            .iter()
            .map(|t| TopicRef {
                id: t.id.clone(),
                label: self.topic_label(&t.id),
            })
            .collect()
    }

    fn link(&self, id: &str) -> ItemLink {
        let a = self.items.get(id);
        ItemLink {
            id: id.to_string(),
            anchor: item_anchor(id),
            title: a.map(|a| a.title.clone()).unwrap_or_default(),
            body: a.map(|a| a.body.clone()).unwrap_or_default(),
        }
    }
}

/// The anchor of an item: `item-` and its id with every character outside `[A-Za-z0-9-_.]`
/// replaced, so a URL can point at it.
pub fn item_anchor(id: &str) -> String {
    format!("item-{}", slug(id))
}

/// The anchor of a topic.
pub fn topic_anchor(id: &str) -> String {
    format!("topic-{}", slug(id))
}

/// Letters, digits, `-`, `_` and `.` kept; anything else becomes `_`.
pub fn slug(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}
