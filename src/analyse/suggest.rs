//! Suggestions for unclassified items (and for titles tried with `explain --title` that map to no
//! topic): the nearest topics by BM25 over each topic's label, description and the words of its
//! patterns. Shown to the rapporteur, never used as mappings.

use std::collections::HashMap;
use std::sync::Mutex;

use bm25::{DefaultTokenizer, Document, Language, SearchEngine, SearchEngineBuilder, Tokenizer};
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
    engine: SearchEngine<usize, u32, WordMemo>,
}

impl<'m> Suggester<'m> {
    /// Indexes `topics`.
    pub fn new(topics: &'m [Topic]) -> Suggester<'m> {
        let documents = topics
            .iter()
            .enumerate()
            .map(|(k, t)| Document::new(k, topic_text(t)));
        let engine =
            SearchEngineBuilder::with_tokenizer_and_documents(WordMemo::default(), documents)
                .build();
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

/// bm25's English tokenizer (normalised to ASCII, lowercase, stop words dropped, stemmed), but
/// remembering the tokens of each word: the topics' texts repeat their pattern words many times,
/// and the index tokenizes each text twice. The text is normalised whole first, as bm25 does
/// (how it normalises a tab depends on the rest of the text); then a space is a space, and a
/// word's tokens do not depend on the words around it, so the tokens are those of the text
/// tokenized whole.
struct WordMemo {
    english: DefaultTokenizer,
    known: Mutex<HashMap<String, Vec<String>>>,
}

impl Default for WordMemo {
    fn default() -> WordMemo {
        WordMemo {
            english: DefaultTokenizer::new(Language::English),
            known: Mutex::default(),
        }
    }
}

impl Tokenizer for WordMemo {
    fn tokenize(&self, text: &str) -> Vec<String> {
        let ascii = deunicode::deunicode_with_tofu_cow(text, "[?]");
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        let mut tokens = Vec::new();
        for word in ascii.split(' ').filter(|w| !w.is_empty()) {
            match known.get(word) {
                Some(t) => tokens.extend_from_slice(t),
                None => {
                    let t = self.english.tokenize(word);
                    tokens.extend_from_slice(&t);
                    known.insert(word.to_string(), t);
                }
            }
        }
        tokens
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

    #[test]
    fn remembered_words_tokenize_as_the_whole_text() {
        use bm25::{DefaultTokenizer, Language, Tokenizer};
        let memo = super::WordMemo::default();
        let english = DefaultTokenizer::new(Language::English);
        let texts = [
            "Security of distributed ledger technology: the DLT-based smart contracts' audit",
            "Identity management (IdM) e.g. self-sovereign identity, Ümlaut café, ½ naïve",
            "区块链 安全 and Κρυπτογραφία; key_management\tkeys\n  on-chain/off-chain",
            "the the of and securing secured security",
        ];
        // And the shipped taxonomy, whole (patterns, descriptions, line breaks).
        let taxonomy = include_str!("../../inputs/taxonomy.yaml");
        for text in texts.into_iter().chain([taxonomy]) {
            // Twice: the second time from what was remembered.
            assert_eq!(memo.tokenize(text), english.tokenize(text), "{text}");
            assert_eq!(memo.tokenize(text), english.tokenize(text), "{text}");
        }
    }
}
