//! `gapreport explain ID`: why an item or a topic is where it is, what a body works on, and
//! `explain --title TEXT`: how a title would be mapped; plain text for a terminal.

use std::fmt::Write;

use crate::analyse::suggest::Suggestion;
use crate::analyse::{
    Analysis, Evidence, ItemAnalysis, MissingLiaison, Origin, TitleAnalysis, TopicCoverage,
    TopicMapping,
};
use crate::model::{BodyId, Model};
use crate::render::view::{evidence_text, false_friend_text, PatternShown::Whole};

/// The explanation of every item and topic whose id is `id` (an id may name both), or `None`.
pub fn explain(analysis: &Analysis, id: &str) -> Option<String> {
    let mut out = String::new();
    for item in analysis.items.iter().filter(|i| i.id == id) {
        item_text(&mut out, analysis, item);
    }
    for topic in analysis.topics.iter().filter(|t| t.id == id) {
        topic_text(&mut out, analysis, topic);
    }
    (!out.is_empty()).then_some(out)
}

/// Every id `explain` knows: items, then topics.
pub fn ids(analysis: &Analysis) -> impl Iterator<Item = &str> {
    analysis
        .items
        .iter()
        .map(|i| i.id.as_str())
        .chain(analysis.topics.iter().map(|t| t.id.as_str()))
}

fn item_text(out: &mut String, analysis: &Analysis, item: &ItemAnalysis) {
    let whose = match item.origin {
        Origin::WorkItem => format!("work item of {}", item.body),
        Origin::Landscape => format!("{} item of {}", item.org, item.body),
    };
    let _ = writeln!(out, "item {} ({whose})", item.id);
    let _ = writeln!(out, "  title:    {}", item.title);
    let _ = writeln!(out, "  status:   {}", item.status);
    let _ = writeln!(out, "  defined:  {}", item.source);
    let suggestions = analysis
        .unclassified
        .iter()
        .find(|u| u.id == item.id)
        .map_or(&[][..], |u| &u.suggestions[..]);
    let security = Security {
        evidence: &item.security_evidence,
        false_friends: &item.security_false_friends,
    };
    security_and_topics(out, security, &item.topics, suggestions);
    if !item.overruled_topics.is_empty() {
        let _ = writeln!(out, "  kept off by its exclude_topics:");
    }
    for t in &item.overruled_topics {
        let _ = writeln!(out, "    {}", t.id);
        if t.evidence.is_empty() {
            let _ = writeln!(out, "      - no pattern maps it anyway");
        }
        for e in &t.evidence {
            let _ = writeln!(out, "      - overrules: {}", evidence_text(e, Whole));
        }
    }
    if !item.is_active() {
        let _ = writeln!(
            out,
            "  coverage: not counted ({} items are no longer active work)",
            item.status
        );
    }
    for o in analysis.overdue.iter().filter(|o| o.work_item == item.id) {
        let _ = writeln!(
            out,
            "  overdue:  timing {} is before the report date; status {}",
            o.timing, o.status
        );
    }
    for m in analysis
        .missing_liaisons
        .iter()
        .filter(|m| m.work_item == item.id)
    {
        let _ = writeln!(
            out,
            "  missing liaison: {} on {} (their security items: {})",
            m.body,
            m.topic,
            m.items.join(", ")
        );
    }
}

/// How a title that is not in the inputs would be mapped ([`crate::analyse::try_titles`]).
pub fn explain_title(t: &TitleAnalysis) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "title \u{201c}{}\u{201d} (not in the inputs: mapped as a landscape item's title)",
        t.title
    );
    let security = Security {
        evidence: &t.security_evidence,
        false_friends: &t.security_false_friends,
    };
    security_and_topics(&mut out, security, &t.topics, &t.suggestions);
    out
}

/// Why an item is or is not security work.
#[derive(Clone, Copy)]
struct Security<'a> {
    evidence: &'a [Evidence],
    false_friends: &'a [Evidence],
}

/// The security verdict and the topics, each with its evidence; the suggestions when there is
/// no topic.
fn security_and_topics(
    out: &mut String,
    security: Security,
    topics: &[TopicMapping],
    suggestions: &[Suggestion],
) {
    let verdict = match (security.evidence.is_empty(), security.false_friends.is_empty()) {
        (false, _) => "yes",
        (true, true) => "no (no security pattern matches, and no topic of security work)",
        (true, false) => {
            "no (no security pattern matches outside its false friends, and no topic of security work)"
        }
    };
    let _ = writeln!(out, "  security: {verdict}");
    for e in security.evidence {
        let _ = writeln!(out, "    - {}", evidence_text(e, Whole));
    }
    for e in security.false_friends {
        let _ = writeln!(out, "    - not counted: {}", false_friend_text(e, Whole));
    }
    if topics.is_empty() {
        let _ = writeln!(out, "  topics:   none: unclassified");
        for s in suggestions {
            let _ = writeln!(
                out,
                "    suggested (not mapped): {} (score {})",
                s.topic, s.score
            );
        }
        return;
    }
    let _ = writeln!(out, "  topics:");
    for t in topics {
        let _ = writeln!(out, "    {}", t.id);
        for e in &t.evidence {
            let _ = writeln!(out, "      - {}", evidence_text(e, Whole));
        }
    }
}

fn topic_text(out: &mut String, analysis: &Analysis, t: &TopicCoverage) {
    let _ = writeln!(
        out,
        "topic {} ({}, group {})",
        t.id,
        t.label,
        t.group.as_str()
    );
    let _ = writeln!(out, "  defined:  {}", t.source);
    let _ = writeln!(out, "  status:   {}: {}", t.status.as_str(), t.reason);
    let list = |out: &mut String, what: &str, ids: &[String]| {
        if ids.is_empty() {
            return;
        }
        let _ = writeln!(out, "  {what}:");
        for id in ids {
            let item = analysis.items.iter().find(|i| &i.id == id);
            if let Some(i) = item {
                let _ = writeln!(
                    out,
                    "    - {} ({}): {} [{}]",
                    i.id, i.body, i.title, i.source
                );
            }
        }
    };
    list(out, "the Question's work items", &t.question_items);
    list(out, "other bodies' security items", &t.security_items);
    list(
        out,
        "other bodies' items, not security work",
        &t.other_items,
    );
    let kept_off: Vec<String> = analysis
        .items
        .iter()
        .filter(|i| i.overruled_topics.iter().any(|o| o.id == t.id))
        .map(|i| i.id.clone())
        .collect();
    list(out, "items kept off it by their exclude_topics", &kept_off);
    missing_liaisons(
        out,
        analysis.missing_liaisons.iter().filter(|m| m.topic == t.id),
    );
    for r in (analysis.recommendations.iter()).filter(|r| r.topic == t.id) {
        let _ = writeln!(out, "  recommended: {}", r.text);
    }
}

/// `gapreport explain BODY` (an id, name or alias of `bodies.yaml`): the body's work and what
/// the analysis concludes about it: its items (with those of the bodies within it) and their
/// topics, the Question's liaisons with it, and the liaisons missing.
pub fn explain_body(model: &Model, analysis: &Analysis, id: BodyId) -> String {
    let bodies = &model.bodies;
    let body = bodies.get(id);
    let mut out = String::new();
    let title = body
        .title
        .as_deref()
        .map_or(String::new(), |t| format!(": {t}"));
    let _ = writeln!(out, "body {} ({}, {}{title})", body.id, body.name, body.org);
    let _ = writeln!(out, "  defined:  {}", body.source);
    if !body.aliases.is_empty() {
        let _ = writeln!(out, "  aliases:  {}", body.aliases.join(", "));
    }
    let within = |b: BodyId| bodies.is_within(b, id);
    if let Some(parent) = body.parent {
        let _ = writeln!(out, "  within:   {}", bodies.get(parent).name);
    }
    let items: Vec<&ItemAnalysis> = (analysis.items.iter())
        .filter(|i| i.bodies.iter().any(|&b| within(b)))
        .collect();
    let security = items.iter().filter(|i| i.security).count();
    let _ = writeln!(
        out,
        "  items:    {} ({security} security work)",
        items.len()
    );
    for i in &items {
        let topics: Vec<&str> = i.topics.iter().map(|t| t.id.as_str()).collect();
        let topics = if topics.is_empty() {
            "unclassified".to_string()
        } else {
            topics.join(", ")
        };
        let flag = if i.security { ", security" } else { "" };
        let joint = if within(i.bodies[0]) { "" } else { ", joint" };
        let _ = writeln!(
            out,
            "    - {} ({}{flag}; {}{joint}): {} -> {topics} [{}]",
            i.id, i.status, i.body, i.title, i.source
        );
    }
    let liaising: Vec<&str> = (model.work_items.iter())
        .filter(|w| w.liaisons.iter().any(|l| bodies.is_within(id, l.body)))
        .map(|w| w.id.as_str())
        .collect();
    if !liaising.is_empty() {
        let _ = writeln!(
            out,
            "  liaisons: {} (work items liaising with it, or with a body it is within)",
            liaising.join(", ")
        );
    }
    let names: Vec<&str> = (bodies.all().iter().enumerate())
        .filter(|&(k, _)| within(BodyId(k)))
        .map(|(_, b)| b.name.as_str())
        .collect();
    missing_liaisons(
        &mut out,
        (analysis.missing_liaisons.iter()).filter(|m| names.contains(&m.body.as_str())),
    );
    out
}

/// A "missing liaisons" block, one line each; nothing when there are none.
fn missing_liaisons<'a>(out: &mut String, missing: impl Iterator<Item = &'a MissingLiaison>) {
    for (k, m) in missing.enumerate() {
        if k == 0 {
            let _ = writeln!(out, "  missing liaisons:");
        }
        let _ = writeln!(
            out,
            "    - {} on {} has no liaison with {} (their items: {})",
            m.work_item,
            m.topic,
            m.body,
            m.items.join(", ")
        );
    }
}
