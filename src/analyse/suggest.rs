//! Suggestions for unclassified items (and for titles tried with `explain --title` that map to no
//! topic): the nearest topics by BM25 over each topic's label, description and the words of its
//! patterns. Shown to the rapporteur, never used as mappings.

use bm25::{Document, Language, SearchEngine, SearchEngineBuilder};
use serde::Serialize;

use super::{ItemAnalysis, Unclassified};
use crate::model::Topic;

/// How many topics are suggested per item.
pub const SUGGESTIONS: usize = 3;

/// A suggested topic and how close it is.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// Topic id.
    pub topic: String,
    /// BM25 score, rounded to 3 decimals (higher is nearer).
    pub score: f64,
}

/// Every item mapped to no topic, with up to three topics `suggester` suggests for each (none
/// that the item's `exclude_topics` keeps it off).
pub fn unclassified(suggester: &Suggester, items: &[ItemAnalysis]) -> Vec<Unclassified> {
    items
        .iter()
        .filter(|i| i.topics.is_empty())
        .map(|item| {
            let excluded: Vec<&str> = item
                .overruled_topics
                .iter()
                .map(|t| t.id.as_str())
                .collect();
            Unclassified {
                id: item.id.clone(),
                title: item.title.clone(),
                suggestions: suggester.suggest_except(&item.title, &excluded),
                source: item.source.clone(),
            }
        })
        .collect()
}

/// Finds the topics nearest to a title: a BM25 index over the topics' words.
pub struct Suggester<'m> {
    topics: &'m [Topic],
    engine: SearchEngine<usize>,
}

impl<'m> Suggester<'m> {
    /// Indexes `topics`.
    pub fn new(topics: &'m [Topic]) -> Suggester<'m> {
        let documents = topics
            .iter()
            .enumerate()
            .map(|(k, t)| Document::new(k, topic_text(t)));
        let engine =
            SearchEngineBuilder::<usize>::with_documents(Language::English, documents).build();
        Suggester { topics, engine }
    }

    /// Up to [`SUGGESTIONS`] topics nearest to `title`, nearest first (ties in taxonomy order);
    /// none that shares no word with it.
    pub fn suggest(&self, title: &str) -> Vec<Suggestion> {
        self.suggest_except(title, &[])
    }

    /// Like [`Suggester::suggest`], leaving out the topics in `excluded`.
    pub fn suggest_except(&self, title: &str, excluded: &[&str]) -> Vec<Suggestion> {
        let mut found: Vec<(usize, f64)> = self
            .engine
            .search(title, None)
            .into_iter()
            .map(|r| {
                (
                    r.document.id,
                    (f64::from(r.score) * 1000.0).round() / 1000.0,
                )
            })
            .filter(|(k, score)| *score > 0.0 && !excluded.contains(&self.topics[*k].id.as_str()))
            .collect();
        found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        found
            .into_iter()
            .take(SUGGESTIONS)
            .map(|(k, score)| Suggestion {
                topic: self.topics[k].id.clone(),
                score,
            })
            .collect()
    }
}

/// The words a topic is known by: label, description and the literal words of its patterns.
fn topic_text(topic: &Topic) -> String {
    let pattern_words = topic
        .patterns
        .iter()
        .flat_map(|p| literal_words(&p.text))
        .collect::<Vec<_>>()
        .join(" ");
    format!("{} {} {}", topic.label, topic.description, pattern_words)
}

/// Runs of letters in a regex that are words rather than syntax (`\bconsensus\b` → `consensus`).
fn literal_words(pattern: &str) -> Vec<String> {
    static WORDS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?:\\[a-zA-Z])|([A-Za-z]{3,})").expect("static regex")
    });
    WORDS
        .captures_iter(pattern)
        .filter_map(|c| c.get(1).map(|m| m.as_str().to_lowercase()))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn pattern_words_skip_escapes() {
        assert_eq!(
            super::literal_words(r"\bsmart[- ]contracts?\b"),
            ["smart", "contracts"]
        );
        assert_eq!(super::literal_words(r"\bDIDs?\b"), ["dids"]);
    }
}
