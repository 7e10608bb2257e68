//! What the Question should do: the recommended actions, the missing liaisons as draft actions,
//! and those gathered by body, one liaison statement to draft per body.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{topic_anchor, ItemLink, Lookup, TopicRef};
use crate::analyse::recommend::Action;
use crate::analyse::{Analysis, MissingLiaison};

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

/// Section 1.1: the recommended actions.
pub(super) fn recommendations(analysis: &Analysis, lookup: &Lookup) -> Vec<RecommendationView> {
    (analysis.recommendations.iter())
        .map(|r| RecommendationView {
            action: r.action,
            heading: r.action.heading(),
            topic: lookup.topic_label(&r.topic),
            topic_anchor: topic_anchor(&r.topic),
            text: r.text.clone(),
        })
        .collect()
}

/// Section 7: each missing liaison as a draft action.
pub(super) fn actions(analysis: &Analysis, lookup: &Lookup) -> Vec<ActionView> {
    analysis
        .missing_liaisons
        .iter()
        .map(|m| ActionView {
            body: m.body.clone(),
            topic: lookup.topic_label(&m.topic),
            topic_anchor: topic_anchor(&m.topic),
            work_item: lookup.link(&m.work_item),
            evidence: m.items.iter().map(|i| lookup.link(i)).collect(),
        })
        .collect()
}

/// The missing liaisons gathered by body (bodies in alphabetical order), each list without
/// repeats, in the order the liaisons come.
pub(super) fn letters(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::view::item_anchor;

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
