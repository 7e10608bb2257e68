//! Mapping: which topics an item belongs to and whether it is security work, each conclusion with
//! its evidence (the text matched, the pattern and where the pattern is written, "manual", or, for
//! security, a topic of security work the item maps to).

use serde::Serialize;

use crate::model::{Pattern, Taxonomy};
use crate::pattern::{same_span, SetCache};

/// The text fields of an item that patterns are matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// The item's title.
    Title,
    /// The item's summary.
    Summary,
    /// The item's notes.
    Notes,
}

impl Field {
    /// The field's key in the inputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Summary => "summary",
            Field::Notes => "notes",
        }
    }
}

/// Why an item maps to a topic or counts as security work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Evidence {
    /// Listed in the item's own `topics`.
    Manual,
    /// A work item of the Question: security work by definition.
    QuestionWorkItem,
    /// A taxonomy pattern matched the item's text.
    Pattern {
        /// Which field matched.
        field: Field,
        /// The text the pattern matched.
        matched: String,
        /// The pattern as written.
        pattern: String,
        /// Where the pattern is written in taxonomy.yaml.
        defined_at: String,
        /// For a pattern in context: the context that matched the same field.
        #[serde(skip_serializing_if = "Option::is_none")]
        context: Option<ContextMatch>,
    },
    /// Mapped to a topic whose work is security work (`security: true` in the taxonomy).
    SecurityTopic {
        /// The topic's id.
        topic: String,
        /// Where `security: true` is written in taxonomy.yaml.
        defined_at: String,
    },
}

/// The context a pattern in context needed, as it matched the item's field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextMatch {
    /// The context's name, e.g. `ledger`.
    pub name: String,
    /// The text its pattern matched.
    pub matched: String,
    /// That pattern as written.
    pub pattern: String,
    /// Where that pattern is written in taxonomy.yaml.
    pub defined_at: String,
}

/// An item's mapping to one topic.
#[derive(Debug, Clone, Serialize)]
pub struct TopicMapping {
    /// Topic id.
    pub id: String,
    /// Every reason for the mapping.
    pub evidence: Vec<Evidence>,
}

/// The text of one item, as the mapping sees it.
pub struct ItemText<'a> {
    /// Title, summary and notes, where present.
    pub fields: Vec<(Field, &'a str)>,
    /// Manual topic ids.
    pub manual_topics: &'a [String],
    /// Topic ids the item is not mapped to (its `exclude_topics`).
    pub excluded_topics: &'a [String],
}

/// An item's topics, each with its evidence, and why it is (or is not) security work.
pub struct Mapped {
    /// Topics in taxonomy order.
    pub topics: Vec<TopicMapping>,
    /// The item's `exclude_topics`, each with the evidence that would have mapped it (none
    /// when no pattern finds it).
    pub overruled: Vec<TopicMapping>,
    /// Empty: not security work (by its text and topics; the Question's items are anyway).
    pub security_evidence: Vec<Evidence>,
    /// The security false friends in its text ("social security"): the security patterns did
    /// not match inside them.
    pub security_false_friends: Vec<Evidence>,
}

/// What the security patterns and false friends find in an item (see [`Mapped`]).
struct SecurityFindings {
    evidence: Vec<Evidence>,
    false_friends: Vec<Evidence>,
}

/// Matches items against the taxonomy's compiled sets; each match comes with its text, for the
/// evidence. One matcher per thread (it keeps the sets' caches).
pub struct Matcher<'t> {
    taxonomy: &'t Taxonomy,
    /// For each pattern of the topic set: (topic index, pattern, the context it needs).
    topic_patterns: Vec<(usize, &'t Pattern, Option<usize>)>,
    /// For each pattern of the exclude set: the topic it vetoes.
    exclude_topics: Vec<usize>,
    /// For each pattern of the context set: (context index, pattern).
    context_patterns: Vec<(usize, &'t Pattern)>,
    topics_cache: SetCache,
    security_cache: SetCache,
    false_friends_cache: SetCache,
    excludes_cache: SetCache,
    contexts_cache: SetCache,
}

impl<'t> Matcher<'t> {
    /// Indexes the taxonomy's topic patterns.
    pub fn new(taxonomy: &'t Taxonomy) -> Matcher<'t> {
        let topics = &taxonomy.topics;
        Matcher {
            taxonomy,
            topic_patterns: topics
                .iter()
                .enumerate()
                .flat_map(|(i, t)| {
                    let plain = t.patterns.iter().map(move |p| (i, p, None));
                    let in_context = t
                        .patterns_in_context
                        .iter()
                        .map(move |(c, p)| (i, p, Some(*c)));
                    plain.chain(in_context)
                })
                .collect(),
            exclude_topics: topics
                .iter()
                .enumerate()
                .flat_map(|(i, t)| t.exclude.iter().map(move |_| i))
                .collect(),
            context_patterns: taxonomy
                .contexts
                .iter()
                .enumerate()
                .flat_map(|(c, context)| context.patterns.iter().map(move |p| (c, p)))
                .collect(),
            topics_cache: taxonomy.sets.topics.cache(),
            security_cache: taxonomy.sets.security.cache(),
            false_friends_cache: taxonomy.sets.security_false_friends.cache(),
            excludes_cache: taxonomy.sets.excludes.cache(),
            contexts_cache: taxonomy.sets.contexts.cache(),
        }
    }

    /// Which contexts `text` is in: for each context, its first pattern that matches, if any.
    fn contexts_of(&mut self, text: &str) -> Vec<Option<ContextMatch>> {
        let mut found = vec![None; self.taxonomy.contexts.len()];
        let sets = &self.taxonomy.sets;
        for (k, matched) in sets
            .contexts
            .matches_either_spelling(&mut self.contexts_cache, text)
        {
            let (c, pattern) = self.context_patterns[k];
            found[c].get_or_insert_with(|| ContextMatch {
                name: self.taxonomy.contexts[c].name.clone(),
                matched: matched.to_string(),
                pattern: pattern.text.clone(),
                defined_at: pattern.source.to_string(),
            });
        }
        found
    }

    /// The item's topics, then its security evidence, which the topics are part of.
    pub fn map(&mut self, item: &ItemText) -> Mapped {
        let (topics, overruled): (Vec<_>, Vec<_>) = self
            .topics(item)
            .into_iter()
            .partition(|t| !item.excluded_topics.contains(&t.id));
        let security = self.security(item, &topics);
        Mapped {
            topics,
            overruled,
            security_evidence: security.evidence,
            security_false_friends: security.false_friends,
        }
    }

    /// The item's topics in taxonomy order, each with its evidence, and the item's
    /// `exclude_topics` (with the evidence, if any); topics an `exclude` pattern vetoes are
    /// dropped unless the item lists them manually.
    fn topics(&mut self, item: &ItemText) -> Vec<TopicMapping> {
        let sets = &self.taxonomy.sets;
        let count = self.taxonomy.topics.len();
        let mut evidence: Vec<Vec<Evidence>> = vec![Vec::new(); count];
        let mut vetoed = vec![false; count];
        for &(field, text) in &item.fields {
            // Matched only when a pattern in context needs them (most fields need none).
            let mut contexts: Option<Vec<Option<ContextMatch>>> = None;
            for (k, matched) in sets
                .topics
                .matches_either_spelling(&mut self.topics_cache, text)
            {
                let (topic, pattern, context) = self.topic_patterns[k];
                let context = match context {
                    None => None,
                    Some(c) => {
                        let found = contexts.get_or_insert_with(|| self.contexts_of(text));
                        match &found[c] {
                            None => continue,
                            Some(found) => Some(found.clone()),
                        }
                    }
                };
                evidence[topic].push(pattern_evidence(field, matched, pattern, context));
            }
            for (k, _) in sets
                .excludes
                .matches_either_spelling(&mut self.excludes_cache, text)
            {
                vetoed[self.exclude_topics[k]] = true;
            }
        }
        for (i, topic) in self.taxonomy.topics.iter().enumerate() {
            if vetoed[i] {
                evidence[i].clear();
            }
            if item.manual_topics.contains(&topic.id) {
                evidence[i].insert(0, Evidence::Manual);
            }
        }
        self.taxonomy
            .topics
            .iter()
            .zip(evidence)
            .filter(|(t, e)| !e.is_empty() || item.excluded_topics.contains(&t.id))
            .map(|(t, evidence)| TopicMapping {
                id: t.id.clone(),
                evidence,
            })
            .collect()
    }

    /// Evidence that the item is security work (empty: it is not): the security patterns that
    /// match its text outside its false friends ("social security"), then its `topics` whose
    /// work is security work; and the false friends found.
    fn security(&mut self, item: &ItemText, topics: &[TopicMapping]) -> SecurityFindings {
        let sets = &self.taxonomy.sets;
        let mut evidence = Vec::new();
        let mut false_friends = Vec::new();
        for &(field, text) in &item.fields {
            let friends = sets
                .security_false_friends
                .blank_matches(&mut self.false_friends_cache, text);
            for &(k, matched) in &friends.found {
                let pattern = &self.taxonomy.security_false_friends[k];
                false_friends.push(pattern_evidence(field, matched, pattern, None));
            }
            let seen = friends.text.as_deref().unwrap_or(text);
            let matches = sets
                .security
                .matches_either_spelling(&mut self.security_cache, seen);
            for (k, matched) in matches {
                let pattern = &self.taxonomy.security_patterns[k];
                let written = same_span(text, seen, matched);
                evidence.push(pattern_evidence(field, written, pattern, None));
            }
        }
        for mapping in topics {
            let topic = self.taxonomy.topic(&mapping.id);
            if let Some(at) = topic.and_then(|t| t.security_work.as_ref()) {
                evidence.push(Evidence::SecurityTopic {
                    topic: mapping.id.clone(),
                    defined_at: at.to_string(),
                });
            }
        }
        SecurityFindings {
            evidence,
            false_friends,
        }
    }
}

fn pattern_evidence(
    field: Field,
    matched: &str,
    pattern: &Pattern,
    context: Option<ContextMatch>,
) -> Evidence {
    Evidence::Pattern {
        field,
        matched: matched.to_string(),
        pattern: pattern.text.clone(),
        defined_at: pattern.source.to_string(),
        context,
    }
}
