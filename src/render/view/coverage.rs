//! Coverage: the topic x organisation matrix, the gap analysis per topic with the evidence of
//! each mapping, and the items mapped to no topic with their suggested topics.

use serde::Serialize;

use super::{evidence_text, topic_anchor, ItemLink, Lookup, PatternShown};
use crate::analyse::{Analysis, ItemAnalysis};
use crate::model::{Group, Model};

/// The coverage matrix.
#[derive(Debug, Serialize)]
pub struct MatrixView {
    /// Column heads: the Question, then organisations.
    pub orgs: Vec<String>,
    /// One row per topic.
    pub rows: Vec<MatrixRow>,
    /// The largest count (for shading).
    pub max: usize,
}

/// A row of the matrix.
#[derive(Debug, Serialize)]
pub struct MatrixRow {
    /// Topic id.
    pub topic: String,
    /// Label.
    pub label: String,
    /// Anchor of its gap-analysis entry.
    pub anchor: String,
    /// Coverage status.
    pub status: &'static str,
    /// Counts per column.
    pub counts: Vec<usize>,
    /// Shade level 0-4 per count (0: none).
    pub shades: Vec<usize>,
    /// Sum.
    pub total: usize,
}

/// A roadmap group of topics.
#[derive(Debug, Serialize)]
pub struct GroupView {
    /// `platform`, `management`, `applications`.
    pub id: &'static str,
    /// The roadmap's name.
    pub label: &'static str,
    /// Its topics.
    pub topics: Vec<TopicView>,
}

/// The gap analysis of one topic.
#[derive(Debug, Serialize)]
pub struct TopicView {
    /// Id.
    pub id: String,
    /// Anchor.
    pub anchor: String,
    /// Label.
    pub label: String,
    /// Description.
    pub description: String,
    /// Coverage status.
    pub status: &'static str,
    /// Why.
    pub reason: String,
    /// The Question's items: (id, anchor, title).
    pub question_items: Vec<ItemLink>,
    /// Other bodies' security items.
    pub security_items: Vec<ItemLink>,
    /// Other bodies' items, not security work.
    pub other_items: Vec<ItemLink>,
    /// Where the topic is defined.
    pub source: String,
    /// Why each item maps to the topic: the topic's evidence, item by item.
    pub mappings: Vec<MappingView>,
}

/// Why one item maps to a topic.
#[derive(Debug, Serialize)]
pub struct MappingView {
    /// The item.
    pub item: ItemLink,
    /// Security work or not.
    pub security: bool,
    /// The evidence in words, one entry per match.
    pub evidence: Vec<String>,
}

/// An unclassified item with its suggested topics.
#[derive(Debug, Serialize)]
pub struct UnclassifiedView {
    /// The item.
    pub item: ItemLink,
    /// `file:line`.
    pub source: String,
    /// Suggested topics, nearest first.
    pub suggestions: Vec<SuggestionView>,
}

/// A topic suggested for an unclassified item.
#[derive(Debug, Serialize)]
pub struct SuggestionView {
    /// Topic id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Anchor of its gap-analysis entry.
    pub anchor: String,
    /// BM25 score (higher is nearer).
    pub score: f64,
}

/// Table 2: item counts per topic and organisation, each with its shade.
pub(super) fn matrix(analysis: &Analysis) -> MatrixView {
    let max = analysis
        .matrix
        .rows
        .iter()
        .flat_map(|(_, c)| c.iter().copied())
        .max()
        .unwrap_or(0);
    MatrixView {
        orgs: analysis.matrix.orgs.clone(),
        rows: analysis
            .matrix
            .rows
            .iter()
            .zip(&analysis.topics)
            .map(|((id, counts), t)| MatrixRow {
                topic: id.clone(),
                label: t.label.clone(),
                anchor: topic_anchor(id),
                status: t.status.as_str(),
                shades: counts.iter().map(|&c| shade(c, max)).collect(),
                total: counts.iter().sum(),
                counts: counts.clone(),
            })
            .collect(),
        max,
    }
}

/// The gap analysis: each topic, in the roadmap's three groups, with its items and mappings.
pub(super) fn groups(model: &Model, analysis: &Analysis, lookup: &Lookup) -> Vec<GroupView> {
    [Group::Platform, Group::Management, Group::Applications]
        .into_iter()
        .map(|g| GroupView {
            id: g.as_str(),
            label: g.label(),
            topics: analysis
                .topics
                .iter()
                .filter(|t| t.group == g)
                .map(|t| TopicView {
                    id: t.id.clone(),
                    anchor: topic_anchor(&t.id),
                    label: t.label.clone(),
                    description: model
                        .taxonomy
                        .topic(&t.id)
                        .map(|x| x.description.clone())
                        .unwrap_or_default(),
                    status: t.status.as_str(),
                    reason: t.reason.clone(),
                    question_items: t.question_items.iter().map(|i| lookup.link(i)).collect(),
                    security_items: t.security_items.iter().map(|i| lookup.link(i)).collect(),
                    other_items: t.other_items.iter().map(|i| lookup.link(i)).collect(),
                    source: t.source.clone(),
                    mappings: t
                        .question_items
                        .iter()
                        .chain(&t.security_items)
                        .chain(&t.other_items)
                        .map(|i| mapping_view(lookup.item(i), &t.id, lookup.link(i)))
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// Table 8: the items mapped to no topic, with their suggested topics' labels.
pub(super) fn unclassified(analysis: &Analysis, lookup: &Lookup) -> Vec<UnclassifiedView> {
    analysis
        .unclassified
        .iter()
        .map(|u| UnclassifiedView {
            item: lookup.link(&u.id),
            source: u.source.clone(),
            suggestions: u
                .suggestions
                .iter()
                .map(|s| SuggestionView {
                    id: s.topic.clone(),
                    label: lookup.topic_label(&s.topic),
                    anchor: topic_anchor(&s.topic),
                    score: s.score,
                })
                .collect(),
        })
        .collect()
}

fn mapping_view(a: &ItemAnalysis, topic: &str, item: ItemLink) -> MappingView {
    MappingView {
        item,
        security: a.security,
        evidence: a
            .topics
            .iter()
            .filter(|t| t.id == topic)
            .flat_map(|t| {
                t.evidence
                    .iter()
                    .map(|e| evidence_text(e, PatternShown::Whole))
            })
            .collect(),
    }
}

/// Shade level 0 (zero) to 4 (the maximum) of a count.
fn shade(count: usize, max: usize) -> usize {
    if count == 0 || max == 0 {
        0
    } else {
        (1 + (count - 1) * 4 / max).min(4)
    }
}
