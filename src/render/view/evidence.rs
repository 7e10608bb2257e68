//! Evidence in words: each conclusion's reason as a sentence (for the reports and `explain`),
//! and Annex A, every conclusion about every item with its evidence.

use serde::Serialize;

use super::item_anchor;
use crate::analyse::{Evidence, ItemAnalysis, Origin};

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

/// The rows of Annex A for one item: each topic's evidence, the topics its `exclude_topics`
/// overrules, its security evidence and false friends, or that it is unclassified.
pub(super) fn annex_rows(a: &ItemAnalysis) -> Vec<AnnexRow> {
    let row = |conclusion: String, topic: Option<&str>, evidence: String| AnnexRow {
        id: a.id.clone(),
        anchor: item_anchor(&a.id),
        source: a.source.clone(),
        conclusion,
        topic: topic.map(str::to_string),
        evidence,
    };
    let brief = |e: &Evidence| evidence_text(e, PatternShown::Brief);
    let mut rows: Vec<AnnexRow> = Vec::new();
    for t in &a.topics {
        rows.extend(
            t.evidence
                .iter()
                .map(|e| row(t.id.clone(), Some(&t.id), brief(e))),
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
                brief(e)
            );
            row(not.clone(), Some(&t.id), text)
        }));
    }
    rows.extend(
        a.security_evidence
            .iter()
            .map(|e| row("security".to_string(), None, brief(e))),
    );
    rows.extend(a.security_false_friends.iter().map(|e| {
        let text = false_friend_text(e, PatternShown::Brief);
        row("not security".to_string(), None, text)
    }));
    if a.topics.is_empty() && a.origin == Origin::Landscape {
        let text = "no topic pattern matches its title, summary or notes".to_string();
        rows.push(row("unclassified".to_string(), None, text));
    }
    rows
}

/// A security false friend found in an item's text, in words.
pub fn false_friend_text(e: &Evidence, shown: PatternShown) -> String {
    format!(
        "{}, a false friend of security: the security patterns do not match inside it",
        evidence_text(e, shown)
    )
}

/// How much of a pattern the words of its evidence show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternShown {
    /// All of it (`explain`, the gap analysis).
    Whole,
    /// Its first [`BRIEF_PATTERN_CHARS`] characters and "…" when it is longer (Annex A, where the
    /// same long pattern would fill a cell on row after row): where it is defined names it.
    Brief,
}

/// The characters of a pattern that [`PatternShown::Brief`] keeps.
pub const BRIEF_PATTERN_CHARS: usize = 60;

impl PatternShown {
    fn apply(self, pattern: &str) -> String {
        match pattern.char_indices().nth(BRIEF_PATTERN_CHARS) {
            Some((cut, _)) if self == PatternShown::Brief => format!("{}\u{2026}", &pattern[..cut]),
            _ => pattern.to_string(),
        }
    }
}

/// One line of evidence in words.
pub fn evidence_text(e: &Evidence, shown: PatternShown) -> String {
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
                "{} matches \u{201c}{matched}\u{201d} (pattern {}, {defined_at})",
                field.as_str(),
                shown.apply(pattern)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::mapping::Field;

    #[test]
    fn the_annex_cuts_a_long_pattern_and_names_where_it_is_defined() {
        let long = format!("\\b({})\\b", ["ledger"; 20].join("|"));
        let evidence = |pattern: &str| Evidence::Pattern {
            field: Field::Title,
            matched: "ledger".into(),
            pattern: pattern.into(),
            defined_at: "taxonomy.yaml:9:7".into(),
            context: None,
        };
        let whole = evidence_text(&evidence(&long), PatternShown::Whole);
        assert!(whole.contains(&long), "{whole}");
        let brief = evidence_text(&evidence(&long), PatternShown::Brief);
        let cut: String = long.chars().take(BRIEF_PATTERN_CHARS).collect();
        assert_eq!(
            brief,
            format!(
                "title matches \u{201c}ledger\u{201d} (pattern {cut}\u{2026}, taxonomy.yaml:9:7)"
            )
        );
        let short = evidence_text(&evidence("\\bledgers?\\b"), PatternShown::Brief);
        assert!(
            short.contains("(pattern \\bledgers?\\b, taxonomy"),
            "{short}"
        );
    }
}
