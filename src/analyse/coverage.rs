//! Coverage: the status of each topic, the liaisons the Question lacks where it overlaps with
//! another body, its overdue work items, and the topic x organisation matrix.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{ItemAnalysis, Origin};
use crate::model::{BodyId, Group, Model, PartialDate};

/// Who works on a topic, and on its security.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CoverageStatus {
    /// Some body works on the topic, but nobody (the Question included) on its security.
    Gap,
    /// Other bodies work on its security; the Question has no work item on it.
    ExternalOnly,
    /// The Question and at least one other body both work on its security.
    Overlap,
    /// Only the Question works on its security.
    QuestionOnly,
    /// No item at all.
    Untouched,
}

impl CoverageStatus {
    /// As written in `report.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            CoverageStatus::Gap => "gap",
            CoverageStatus::ExternalOnly => "external-only",
            CoverageStatus::Overlap => "overlap",
            CoverageStatus::QuestionOnly => "question-only",
            CoverageStatus::Untouched => "untouched",
        }
    }
}

/// The coverage of one topic and the items behind it.
#[derive(Debug, Clone, Serialize)]
pub struct TopicCoverage {
    /// Topic id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Roadmap group.
    pub group: Group,
    /// What the topic covers (taxonomy.yaml's `description`; empty when it has none).
    pub description: String,
    /// Coverage status.
    pub status: CoverageStatus,
    /// Every active item mapped to the topic.
    pub items: Vec<String>,
    /// The Question's own work items on it.
    pub question_items: Vec<String>,
    /// Other bodies' security items on it.
    pub security_items: Vec<String>,
    /// Other bodies' items on it that are not security work.
    pub other_items: Vec<String>,
    /// Bodies (names) with security work on it.
    pub security_bodies: Vec<String>,
    /// One sentence saying why the topic has its status.
    pub reason: String,
    /// Where the topic is defined.
    pub source: String,
    /// Bodies with security work on it, as ids, each with its security items on the topic.
    #[serde(skip)]
    pub security_by_body: BTreeMap<BodyId, Vec<String>>,
}

/// A body with security work on a topic the Question works on, missing from a work item's
/// liaisons (after alias resolution; a liaison with an enclosing body counts).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct MissingLiaison {
    /// The Question's work item.
    pub work_item: String,
    /// The body it has no liaison with.
    pub body: String,
    /// The shared topic.
    pub topic: String,
    /// The body's security items on the topic: the evidence.
    pub items: Vec<String>,
}

/// A work item whose timing is before the report date and that is not done.
#[derive(Debug, Clone, Serialize)]
pub struct Overdue {
    /// The work item.
    pub work_item: String,
    /// Its planned timing.
    pub timing: PartialDate,
    /// Its status.
    pub status: crate::model::Status,
    /// Where it is defined.
    pub source: String,
}

/// Active item counts per topic and organisation; the Question's own work items form the first
/// column, named after the Question.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    /// Column names: the Question, then organisations in alphabetical order.
    pub orgs: Vec<String>,
    /// One row per topic, in taxonomy order: (topic id, counts per column).
    pub rows: Vec<(String, Vec<usize>)>,
}

/// The coverage of every topic, in taxonomy order.
pub fn topics(model: &Model, items: &[ItemAnalysis]) -> Vec<TopicCoverage> {
    model
        .taxonomy
        .topics
        .iter()
        .map(|topic| {
            let on_topic: Vec<&ItemAnalysis> = items
                .iter()
                .filter(|i| i.is_active() && i.has_topic(&topic.id))
                .collect();
            let ids = |keep: &dyn Fn(&ItemAnalysis) -> bool| -> Vec<String> {
                on_topic
                    .iter()
                    .filter(|i| keep(i))
                    .map(|i| i.id.clone())
                    .collect()
            };
            let question_items = ids(&|i| i.origin == Origin::WorkItem);
            let security_items = ids(&|i| i.origin == Origin::Landscape && i.security);
            let other_items = ids(&|i| i.origin == Origin::Landscape && !i.security);
            let mut security_by_body: BTreeMap<BodyId, Vec<String>> = BTreeMap::new();
            for i in on_topic
                .iter()
                .filter(|i| i.origin == Origin::Landscape && i.security)
            {
                for &body in &i.bodies {
                    security_by_body.entry(body).or_default().push(i.id.clone());
                }
            }
            let status = match (
                !question_items.is_empty(),
                !security_items.is_empty(),
                !other_items.is_empty(),
            ) {
                (true, true, _) => CoverageStatus::Overlap,
                (true, false, _) => CoverageStatus::QuestionOnly,
                (false, true, _) => CoverageStatus::ExternalOnly,
                (false, false, true) => CoverageStatus::Gap,
                (false, false, false) => CoverageStatus::Untouched,
            };
            let security_bodies: Vec<String> = security_by_body
                .keys()
                .map(|&b| model.bodies.get(b).name.clone())
                .collect();
            let reason = reason(
                status,
                &question_items,
                &security_items,
                &other_items,
                &security_bodies,
            );
            TopicCoverage {
                id: topic.id.clone(),
                label: topic.label.clone(),
                group: topic.group,
                description: topic.description.clone(),
                status,
                items: on_topic.iter().map(|i| i.id.clone()).collect(),
                question_items,
                security_items,
                other_items,
                security_bodies,
                reason,
                source: topic.source.to_string(),
                security_by_body,
            }
        })
        .collect()
}

fn reason(
    status: CoverageStatus,
    question: &[String],
    security: &[String],
    other: &[String],
    bodies: &[String],
) -> String {
    let n = |v: &[String], what: &str| match v.len() {
        1 => format!("1 {what}"),
        k => format!("{k} {what}s"),
    };
    match status {
        CoverageStatus::Overlap => format!(
            "the Question works on it ({}) and so {} {} ({})",
            question.join(", "),
            if bodies.len() == 1 { "does" } else { "do" },
            bodies.join(", "),
            security.join(", ")
        ),
        CoverageStatus::QuestionOnly if other.is_empty() => {
            format!("only the Question works on it ({})", question.join(", "))
        }
        CoverageStatus::QuestionOnly => format!(
            "only the Question works on its security ({}); other bodies' items on it ({}) are not security work",
            question.join(", "),
            other.join(", ")
        ),
        CoverageStatus::ExternalOnly => format!(
            "{} {} on its security ({}); the Question has no work item on it",
            bodies.join(", "),
            if bodies.len() == 1 { "works" } else { "work" },
            security.join(", ")
        ),
        CoverageStatus::Gap => format!(
            "other bodies have {} on it ({}), none of them security work, and the Question has no work item on it",
            n(other, "item"),
            other.join(", ")
        ),
        CoverageStatus::Untouched => "no item maps to it".to_string(),
    }
}

/// For each overlap, every body with security work on the topic that no liaison of the work item
/// covers.
pub fn missing_liaisons(model: &Model, topics: &[TopicCoverage]) -> Vec<MissingLiaison> {
    let mut out = BTreeSet::new();
    for topic in topics
        .iter()
        .filter(|t| t.status == CoverageStatus::Overlap)
    {
        for work in model
            .work_items
            .iter()
            .filter(|w| topic.question_items.contains(&w.id))
        {
            for (&body, evidence) in &topic.security_by_body {
                let covered = (work.liaisons.iter()).any(|l| model.bodies.is_within(body, l.body));
                if !covered {
                    out.insert(MissingLiaison {
                        work_item: work.id.clone(),
                        body: model.bodies.get(body).name.clone(),
                        topic: topic.id.clone(),
                        items: evidence.clone(),
                    });
                }
            }
        }
    }
    out.into_iter().collect()
}

/// Work items whose timing month is before the report date's month and that are not consented,
/// approved or published (closed and withdrawn items are not late, they are over).
pub fn overdue(model: &Model) -> Vec<Overdue> {
    let today = model.report.date.month_key();
    model
        .work_items
        .iter()
        .filter(|w| !w.status.is_done() && !w.status.is_inactive())
        .filter_map(|w| {
            let timing = w.timing?;
            (timing.month_key() < today).then(|| Overdue {
                work_item: w.id.clone(),
                timing,
                status: w.status,
                source: w.source.to_string(),
            })
        })
        .collect()
}

/// Counts active items per topic and organisation.
pub fn matrix(model: &Model, items: &[ItemAnalysis]) -> Matrix {
    let landscape_orgs: BTreeSet<&str> = items
        .iter()
        .filter(|i| i.origin == Origin::Landscape)
        .map(|i| i.org.as_str())
        .collect();
    let mut orgs = vec![model.question.id.clone()];
    orgs.extend(landscape_orgs.iter().map(|o| o.to_string()));
    let column: BTreeMap<&str, usize> = landscape_orgs
        .iter()
        .enumerate()
        .map(|(i, o)| (*o, i + 1))
        .collect();
    let rows = model
        .taxonomy
        .topics
        .iter()
        .map(|t| {
            let mut counts = vec![0; orgs.len()];
            for i in items.iter().filter(|i| i.is_active() && i.has_topic(&t.id)) {
                let col = match i.origin {
                    Origin::WorkItem => 0,
                    Origin::Landscape => column[i.org.as_str()],
                };
                counts[col] += 1;
            }
            (t.id.clone(), counts)
        })
        .collect();
    Matrix { orgs, rows }
}
