//! Recommended actions for the Question, drawn from each topic's coverage: new work where nobody
//! covers a topic's security, following others' security work where the Question has none,
//! liaisons where the work overlaps without one, and informing bodies whose work on a topic the
//! Question alone secures. Each names the topic, its status and the items behind it.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::coverage::{CoverageStatus, MissingLiaison, TopicCoverage};
use super::ItemAnalysis;

/// What the Question might do about a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// A gap: other bodies work on the topic, nobody on its security.
    NewWork,
    /// External only: others work on its security, the Question does not.
    Follow,
    /// An overlap whose work items miss liaisons with bodies securing the same topic.
    Liaise,
    /// Question only: other bodies work on the topic without security work.
    Inform,
}

impl Action {
    /// A short heading for the reports.
    pub fn heading(self) -> &'static str {
        match self {
            Action::NewWork => "New work",
            Action::Follow => "Follow",
            Action::Liaise => "Liaise",
            Action::Inform => "Inform",
        }
    }
}

/// One recommended action.
#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    /// What to do.
    pub action: Action,
    /// The topic.
    pub topic: String,
    /// The topic's coverage status, which calls for the action.
    pub status: CoverageStatus,
    /// The other bodies concerned (names).
    pub bodies: Vec<String>,
    /// The items behind the action: the other bodies' items on the topic.
    pub items: Vec<String>,
    /// The action in one sentence.
    pub text: String,
}

/// The recommended actions, gaps first, then what to follow, liaisons and whom to inform; in
/// taxonomy order within each.
pub fn recommend(
    topics: &[TopicCoverage],
    items: &[ItemAnalysis],
    missing: &[MissingLiaison],
) -> Vec<Recommendation> {
    let names = BodyNames(
        items
            .iter()
            .map(|i| (i.id.as_str(), i.body.as_str()))
            .collect(),
    );
    let mut out: Vec<Recommendation> = (topics.iter())
        .filter_map(|t| from_status(t, &names))
        .chain(liaisons(topics, missing))
        .collect();
    // Both lists are in taxonomy order, which a stable sort keeps within each action.
    out.sort_by_key(|r| r.action);
    out
}

/// Each item's body (display name), by item id.
struct BodyNames<'a>(HashMap<&'a str, &'a str>);

impl BodyNames<'_> {
    /// The bodies of `items`, each once, sorted.
    fn of(&self, items: &[String]) -> Vec<String> {
        let names: BTreeSet<&str> = (items.iter())
            .filter_map(|id| self.0.get(id.as_str()).copied())
            .collect();
        names.into_iter().map(str::to_string).collect()
    }
}

/// The action a topic's status calls for by itself (new work, follow, inform), if any.
fn from_status(t: &TopicCoverage, names: &BodyNames) -> Option<Recommendation> {
    let (action, items) = match t.status {
        CoverageStatus::Gap => (Action::NewWork, &t.other_items),
        CoverageStatus::ExternalOnly => (Action::Follow, &t.security_items),
        CoverageStatus::QuestionOnly if !t.other_items.is_empty() => {
            (Action::Inform, &t.other_items)
        }
        _ => return None,
    };
    let bodies = names.of(items);
    let (label, who, n) = (&t.label, bodies.join(", "), count(items));
    let text = match action {
        Action::NewWork => format!(
            "Consider new work on the security of {label}: other bodies' work on it ({who}: {n}) is not security work, and the Question has no work item on it"
        ),
        Action::Follow => format!(
            "Follow the security work of {who} on {label} ({n}) and consider a work item or a contribution: the Question has none on it"
        ),
        _ => format!(
            "Inform {who} of the Question's security work on {label} ({}): their work on it ({n}) is not security work",
            t.question_items.join(", ")
        ),
    };
    Some(Recommendation {
        action,
        topic: t.id.clone(),
        status: t.status,
        bodies,
        items: items.clone(),
        text,
    })
}

/// One recommendation per overlapping topic with missing liaisons: the bodies to write to.
fn liaisons<'a>(
    topics: &'a [TopicCoverage],
    missing: &'a [MissingLiaison],
) -> impl Iterator<Item = Recommendation> + 'a {
    topics.iter().filter_map(move |t| {
        let on_topic: Vec<&MissingLiaison> = missing.iter().filter(|m| m.topic == t.id).collect();
        if on_topic.is_empty() {
            return None;
        }
        let bodies: BTreeSet<&str> = on_topic.iter().map(|m| m.body.as_str()).collect();
        let items: BTreeSet<&str> = (on_topic.iter()).flat_map(|m| m.items.iter().map(String::as_str)).collect();
        let work_items: BTreeSet<&str> = on_topic.iter().map(|m| m.work_item.as_str()).collect();
        let bodies: Vec<String> = bodies.into_iter().map(str::to_string).collect();
        Some(Recommendation {
            action: Action::Liaise,
            topic: t.id.clone(),
            status: t.status,
            text: format!(
                "Send liaison statements on {} to {}, whose security work overlaps with {} (see the missing liaisons)",
                t.label,
                bodies.join(", "),
                work_items.into_iter().collect::<Vec<_>>().join(", ")
            ),
            bodies,
            items: items.into_iter().map(str::to_string).collect(),
        })
    })
}

/// "1 item" or "N items".
fn count(items: &[String]) -> String {
    match items.len() {
        1 => "1 item".to_string(),
        n => format!("{n} items"),
    }
}
