//! The report's content, section by section, as plain serialisable values: what the HTML and
//! PDF templates both render, so the two formats cannot drift apart. Markdown from the inputs is
//! passed through the caller's converter (sanitised HTML for the page, Markdown for the PDF).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analyse::recommend::Action;
use crate::analyse::{
    changes::Changes, Analysis, CoverageStatus, Evidence, ItemAnalysis, MissingLiaison, Origin,
    Unclassified,
};
use crate::model::{Model, Question, Report};

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
    /// Every mapping's evidence, item by item.
    pub annex: Vec<AnnexRow>,
    /// Items mapped to no topic, with anchors and their suggested topics' labels.
    pub unclassified_items: Vec<UnclassifiedView>,
}

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

/// A missing liaison written as a draft action.
#[derive(Debug, Serialize)]
pub struct ActionView {
    /// The body to write to.
    pub body: String,
    /// Topic label.
    pub topic: String,
    /// Topic anchor.
    pub topic_anchor: String,
    /// The Question's work item.
    pub work_item: ItemLink,
    /// The body's items that show the overlap.
    pub evidence: Vec<ItemLink>,
}

/// The missing liaisons with one body, gathered as one liaison statement to draft.
#[derive(Debug, Serialize)]
pub struct LetterView {
    /// The body to write to.
    pub body: String,
    /// The shared topics, in the order the liaisons are listed.
    pub topics: Vec<TopicRef>,
    /// The Question's work items concerned.
    pub work_items: Vec<ItemLink>,
    /// The body's items that show the overlaps.
    pub their_items: Vec<ItemLink>,
}

/// A recommended action.
#[derive(Debug, Serialize)]
pub struct RecommendationView {
    /// `new-work`, `follow`, `liaise` or `inform`.
    pub action: Action,
    /// The action's heading: "New work", "Follow", ...
    pub heading: &'static str,
    /// Topic label.
    pub topic: String,
    /// Topic anchor.
    pub topic_anchor: String,
    /// The action in one sentence.
    pub text: String,
}

/// One mapping (or security finding) in the annex.
#[derive(Debug, Serialize)]
pub struct AnnexRow {
    /// Item id.
    pub id: String,
    /// Item anchor.
    pub anchor: String,
    /// `file:line` of the item.
    pub source: String,
    /// Topic id, `security`, `not security`, `not TOPIC` (kept off by `exclude_topics`) or
    /// `unclassified`.
    pub conclusion: String,
    /// The topic the conclusion is about, if any (for a link to it).
    pub topic: Option<String>,
    /// The evidence in words.
    pub evidence: String,
}

impl<'a> ReportView<'a> {
    /// Assembles the view; `convert` turns input Markdown into the target format.
    pub fn build(
        model: &'a Model,
        analysis: &'a Analysis,
        convert: &dyn Fn(&str) -> String,
    ) -> ReportView<'a> {
        let by_id: BTreeMap<&str, &ItemAnalysis> =
            analysis.items.iter().map(|i| (i.id.as_str(), i)).collect();
        let topic_label = |id: &str| {
            model
                .taxonomy
                .topic(id)
                .map(|t| t.label.clone())
                .unwrap_or_default()
        };
        let topic_refs = |a: &ItemAnalysis| {
            a.topics
                .iter()
                .map(|t| TopicRef {
                    id: t.id.clone(),
                    label: topic_label(&t.id),
                })
                .collect()
        };
        let link = |id: &str| {
            let a = by_id.get(id);
            ItemLink {
                id: id.to_string(),
                anchor: item_anchor(id),
                title: a.map(|a| a.title.clone()).unwrap_or_default(),
                body: a.map(|a| a.body.clone()).unwrap_or_default(),
            }
        };
        let overdue: Vec<String> = analysis
            .overdue
            .iter()
            .map(|o| o.work_item.clone())
            .collect();

        let work_programme = model
            .work_items
            .iter()
            .map(|w| {
                let a = by_id[w.id.as_str()];
                ItemRow {
                    id: w.id.clone(),
                    anchor: item_anchor(&w.id),
                    title: w.title.clone(),
                    status: w.status.to_string(),
                    stage: w.stage.clone(),
                    kind: w.kind.clone(),
                    date: w.timing.map(|t| t.to_string()),
                    security: true,
                    topics: topic_refs(a),
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
                }
            })
            .collect();

        let mut orgs: Vec<OrgView> = Vec::new();
        for file in &model.landscape {
            let body = model.bodies.get(file.body);
            let items = file
                .items
                .iter()
                .map(|i| {
                    let a = by_id[i.id.as_str()];
                    ItemRow {
                        id: i.id.clone(),
                        anchor: item_anchor(&i.id),
                        title: i.title.clone(),
                        status: i.status.to_string(),
                        stage: i.stage.clone(),
                        kind: i.kind.clone(),
                        date: i.date.map(|d| d.to_string()),
                        security: a.security,
                        topics: topic_refs(a),
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
                anchor: format!("body-{}", body.id),
                title: body.title.clone(),
                notes: file.notes.clone(),
                narrative_converted: file.narrative.as_deref().map(convert),
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

        let max = analysis
            .matrix
            .rows
            .iter()
            .flat_map(|(_, c)| c.iter().copied())
            .max()
            .unwrap_or(0);
        let matrix = MatrixView {
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
        };

        let groups = [
            crate::model::Group::Platform,
            crate::model::Group::Management,
            crate::model::Group::Applications,
        ]
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
                    question_items: t.question_items.iter().map(|i| link(i)).collect(),
                    security_items: t.security_items.iter().map(|i| link(i)).collect(),
                    other_items: t.other_items.iter().map(|i| link(i)).collect(),
                    source: t.source.clone(),
                    mappings: t
                        .question_items
                        .iter()
                        .chain(&t.security_items)
                        .chain(&t.other_items)
                        .map(|i| mapping_view(by_id[i.as_str()], &t.id, link(i)))
                        .collect(),
                })
                .collect(),
        })
        .collect();

        let actions = analysis
            .missing_liaisons
            .iter()
            .map(|m| ActionView {
                body: m.body.clone(),
                topic: topic_label(&m.topic),
                topic_anchor: topic_anchor(&m.topic),
                work_item: link(&m.work_item),
                evidence: m.items.iter().map(|i| link(i)).collect(),
            })
            .collect();

        let letters = letters(&analysis.missing_liaisons, &topic_label, &link);

        let recommendations = (analysis.recommendations.iter())
            .map(|r| RecommendationView {
                action: r.action,
                heading: r.action.heading(),
                topic: topic_label(&r.topic),
                topic_anchor: topic_anchor(&r.topic),
                text: r.text.clone(),
            })
            .collect();

        let annex = analysis.items.iter().flat_map(annex_rows).collect();
        let unclassified_items = analysis
            .unclassified
            .iter()
            .map(|u| UnclassifiedView {
                item: link(&u.id),
                source: u.source.clone(),
                suggestions: u
                    .suggestions
                    .iter()
                    .map(|s| SuggestionView {
                        id: s.topic.clone(),
                        label: topic_label(&s.topic),
                        anchor: topic_anchor(&s.topic),
                        score: s.score,
                    })
                    .collect(),
            })
            .collect();

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
        let summary = SummaryView {
            items: analysis.items.len(),
            work_items: model.work_items.len(),
            landscape_items: analysis.items.len() - model.work_items.len(),
            security_items: analysis.items.iter().filter(|i| i.security).count(),
            orgs: orgs.len(),
            bodies: analysis
                .items
                .iter()
                .flat_map(|i| i.bodies.iter())
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            by_status,
            missing_liaisons: analysis.missing_liaisons.len(),
            overdue,
            unclassified: analysis.unclassified.len(),
        };

        ReportView {
            report: &model.report,
            date: model.report.date.to_string(),
            question: QuestionView {
                question: &model.question,
                motivation_converted: convert(&model.question.motivation),
            },
            summary,
            work_programme,
            landscape: orgs,
            matrix,
            groups,
            actions,
            letters,
            recommendations,
            unclassified: &analysis.unclassified,
            changes: analysis.changes.as_ref(),
            annex,
            unclassified_items,
        }
    }
}

/// The missing liaisons gathered by body (bodies in alphabetical order), each list without
/// repeats, in the order the liaisons come.
fn letters(
    missing: &[MissingLiaison],
    topic_label: &impl Fn(&str) -> String,
    link: &impl Fn(&str) -> ItemLink,
) -> Vec<LetterView> {
    let mut by_body: BTreeMap<String, Vec<&MissingLiaison>> = BTreeMap::new();
    for m in missing {
        by_body.entry(m.body.to_lowercase()).or_default().push(m);
    }
    let unique = |ids: Vec<&String>| {
        let mut seen = std::collections::HashSet::new();
        ids.into_iter()
            .filter(|id| seen.insert(*id))
            .map(|id| link(id))
            .collect::<Vec<_>>()
    };
    by_body
        .into_values()
        .map(|ms| {
            let mut topics: Vec<TopicRef> = Vec::new();
            for m in &ms {
                if !topics.iter().any(|t| t.id == m.topic) {
                    topics.push(TopicRef {
                        id: m.topic.clone(),
                        label: topic_label(&m.topic),
                    });
                }
            }
            LetterView {
                body: ms[0].body.clone(),
                topics,
                work_items: unique(ms.iter().map(|m| &m.work_item).collect()),
                their_items: unique(ms.iter().flat_map(|m| &m.items).collect()),
            }
        })
        .collect()
}

/// Text as the reports show it: trimmed, and none when it is blank.
fn shown(text: &Option<String>) -> Option<String> {
    let text = text.as_deref()?.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn mapping_view(a: &ItemAnalysis, topic: &str, item: ItemLink) -> MappingView {
    MappingView {
        item,
        security: a.security,
        evidence: a
            .topics
            .iter()
            .filter(|t| t.id == topic)
            .flat_map(|t| t.evidence.iter().map(evidence_text))
            .collect(),
    }
}

fn annex_rows(a: &ItemAnalysis) -> Vec<AnnexRow> {
    let row = |conclusion: String, topic: Option<&str>, evidence: String| AnnexRow {
        id: a.id.clone(),
        anchor: item_anchor(&a.id),
        source: a.source.clone(),
        conclusion,
        topic: topic.map(str::to_string),
        evidence,
    };
    let mut rows: Vec<AnnexRow> = Vec::new();
    for t in &a.topics {
        rows.extend(
            t.evidence
                .iter()
                .map(|e| row(t.id.clone(), Some(&t.id), evidence_text(e))),
        );
    }
    for t in &a.overruled_topics {
        let not = format!("not {}", t.id);
        if t.evidence.is_empty() {
            let text = "listed in the item's exclude_topics; no pattern maps it anyway";
            rows.push(row(not.clone(), Some(&t.id), text.to_string()));
        }
        rows.extend(t.evidence.iter().map(|e| {
            let text = format!(
                "kept off by the item's exclude_topics, overruling: {}",
                evidence_text(e)
            );
            row(not.clone(), Some(&t.id), text)
        }));
    }
    rows.extend(
        a.security_evidence
            .iter()
            .map(|e| row("security".to_string(), None, evidence_text(e))),
    );
    rows.extend(
        a.security_false_friends
            .iter()
            .map(|e| row("not security".to_string(), None, false_friend_text(e))),
    );
    if a.topics.is_empty() && a.origin == Origin::Landscape {
        let text = "no topic pattern matches its title, summary or notes".to_string();
        rows.push(row("unclassified".to_string(), None, text));
    }
    rows
}

/// A security false friend found in an item's text, in words.
pub fn false_friend_text(e: &Evidence) -> String {
    format!(
        "{}, a false friend of security: the security patterns do not match inside it",
        evidence_text(e)
    )
}

/// One line of evidence in words.
pub fn evidence_text(e: &Evidence) -> String {
    match e {
        Evidence::Manual => "manual (listed in the item's topics)".to_string(),
        Evidence::QuestionWorkItem => {
            "a work item of the Question: security work by definition".to_string()
        }
        Evidence::Pattern {
            field,
            matched,
            pattern,
            defined_at,
            context,
        } => {
            let mut text = format!(
                "{} matches \u{201c}{matched}\u{201d} (pattern {pattern}, {defined_at})",
                field.as_str()
            );
            if let Some(c) = context {
                text += &format!(
                    " in the {} context, which it matches with \u{201c}{}\u{201d} ({})",
                    c.name, c.matched, c.defined_at
                );
            }
            text
        }
        Evidence::SecurityTopic { topic, defined_at } => {
            format!("maps to {topic}, a topic whose work is security work ({defined_at})")
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

/// Shade level 0 (zero) to 4 (the maximum) of a count.
fn shade(count: usize, max: usize) -> usize {
    if count == 0 || max == 0 {
        0
    } else {
        (1 + (count - 1) * 4 / max).min(4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn missing(work_item: &str, body: &str, topic: &str, items: &[&str]) -> MissingLiaison {
        MissingLiaison {
            work_item: work_item.to_string(),
            body: body.to_string(),
            topic: topic.to_string(),
            items: items.iter().map(|i| i.to_string()).collect(),
        }
    }

    #[test]
    fn letters_gather_the_missing_liaisons_by_body() {
        let all = [
            missing("X.a", "W3C DID WG", "identity", &["DID-1"]),
            missing("X.a", "IEEE CEWG", "payments", &["P1", "P2"]),
            missing("X.b", "IEEE CEWG", "payments", &["P2"]),
            missing("X.b", "IEEE CEWG", "controls", &["P3"]),
        ];
        let link = |id: &str| ItemLink {
            id: id.to_string(),
            anchor: item_anchor(id),
            title: String::new(),
            body: String::new(),
        };
        let letters = letters(&all, &|id: &str| id.to_uppercase(), &link);
        let ids = |links: &[ItemLink]| {
            links
                .iter()
                .map(|i| i.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let summary: Vec<String> = letters
            .iter()
            .map(|l| {
                let topics: Vec<&str> = l.topics.iter().map(|t| t.label.as_str()).collect();
                let (ours, theirs) = (ids(&l.work_items), ids(&l.their_items));
                format!("{} | {} | {ours} | {theirs}", l.body, topics.join(", "))
            })
            .collect();
        assert_eq!(
            summary,
            [
                "IEEE CEWG | PAYMENTS, CONTROLS | X.a, X.b | P1, P2, P3",
                "W3C DID WG | IDENTITY | X.a | DID-1",
            ]
        );
    }
}
