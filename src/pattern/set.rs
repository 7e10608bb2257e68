//! A [`PatternSet`] finds, in one pass over a text, every pattern of a list that matches, with
//! the span of each match: it runs only the *candidates*, the patterns one of whose needles
//! occurs in the text (one Aho-Corasick pass over the lowercased text).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::engine::{Engine, Reading, VmCache};
use super::Pattern;

/// What [`PatternSet::blank_matches`] finds in a text.
#[derive(Debug)]
pub struct Blanked<'h> {
    /// Each pattern that matches the text, with its match as written.
    pub found: Vec<(usize, &'h str)>,
    /// The text with every match blanked out, when there is one.
    pub text: Option<String>,
}

/// The part of `text` at the byte range that `part` has in `copy`, a copy of `text` with some
/// characters replaced byte for byte (widened to whole characters of `text`).
pub fn same_span<'t>(text: &'t str, copy: &str, part: &str) -> &'t str {
    let span = span_in(copy, part);
    let (mut start, mut end) = (span.start, span.end);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    &text[start..end]
}

/// The byte range of `part`, a slice of `whole`.
fn span_in(whole: &str, part: &str) -> std::ops::Range<usize> {
    let start = part.as_ptr() as usize - whole.as_ptr() as usize;
    start..start + part.len()
}

/// The byte ranges in `text` of the matches `found` in it that are not only spaces.
fn spans_in(text: &str, found: &[(usize, &str)]) -> Vec<std::ops::Range<usize>> {
    found
        .iter()
        .filter(|(_, matched)| !matched.trim().is_empty())
        .map(|(_, matched)| span_in(text, matched))
        .collect()
}

/// The characters outside ASCII that Unicode simple case folding makes equal to an ASCII letter
/// (LONG S to `s`, KELVIN SIGN to `k`): a text containing one runs every pattern, since the
/// literal prefilter compares ASCII letters only.
const FOLDS_TO_ASCII: [char; 2] = ['\u{17F}', '\u{212A}'];

/// ASCII characters that join the words of a term ("key-management", "key_management").
const WORD_JOINERS: [char; 2] = ['-', '_'];

/// Patterns compiled together to find, in one pass over a text, every pattern that matches.
#[derive(Debug, Clone)]
pub struct PatternSet {
    engines: Vec<Engine>,
    prefilter: Option<AhoCorasick>,
    /// For each needle of `prefilter`, the patterns that need it.
    needle_patterns: Vec<Vec<usize>>,
    /// Patterns without needles: candidates for every text.
    always: Vec<usize>,
}

impl Default for PatternSet {
    fn default() -> Self {
        PatternSet::new(&[])
    }
}

/// What one thread needs to match a [`PatternSet`] (made by its [`PatternSet::cache`]): a search
/// cache per pattern, made on first use, and the candidates of the text at hand.
#[derive(Debug)]
pub struct SetCache {
    caches: Vec<Option<VmCache>>,
    /// The caches of the patterns' common-script automata.
    common_caches: Vec<Option<VmCache>>,
    candidate: Vec<Candidate>,
    /// Per pattern: where its needles occur in the text (for [`Candidate::AtNeedles`]).
    starts: Vec<Vec<usize>>,
}

/// Whether and how a pattern runs on the text at hand.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Candidate {
    /// None of its needles occurs: it cannot match.
    #[default]
    No,
    /// Anchored at each place one of its needles starts.
    AtNeedles,
    /// Over the whole text.
    Anywhere,
}

impl PatternSet {
    /// A set of `patterns`, indexed in this order.
    pub fn new(patterns: &[&Pattern]) -> PatternSet {
        let mut needles: Vec<String> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let mut needle_patterns: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            let Some(list) = &p.engine.needles.any_of else {
                always.push(i);
                continue;
            };
            for needle in list {
                let n = *index.entry(needle.clone()).or_insert_with(|| {
                    needles.push(needle.clone());
                    needle_patterns.push(Vec::new());
                    needles.len() - 1
                });
                if needle_patterns[n].last() != Some(&i) {
                    needle_patterns[n].push(i);
                }
            }
        }
        let prefilter = (!needles.is_empty()).then(|| {
            // An NFA: built in a fraction of a DFA's time (this build is most of the set's cost),
            // and item texts are short.
            // Case-sensitive over the lowercased text: the needles are lowercase, and an
            // ASCII-case-insensitive automaton has twice the transitions to build.
            AhoCorasickBuilder::new()
                .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                .match_kind(MatchKind::Standard)
                .build(&needles)
                .expect("a few thousand short literals fit the automaton")
        });
        PatternSet {
            engines: patterns.iter().map(|p| p.engine.clone()).collect(),
            prefilter,
            needle_patterns,
            always,
        }
    }

    /// A cache for matching this set on one thread.
    pub fn cache(&self) -> SetCache {
        SetCache {
            caches: (0..self.engines.len()).map(|_| None).collect(),
            common_caches: (0..self.engines.len()).map(|_| None).collect(),
            candidate: vec![Candidate::No; self.engines.len()],
            starts: vec![Vec::new(); self.engines.len()],
        }
    }

    /// Like [`PatternSet::matches`], but a hyphen or underscore in `text` may also be read as a
    /// space: `presentation exchange` finds "Presentation-Exchange", `key management` finds
    /// "key_management". Each match is the text as written; a pattern that matches as written is
    /// not matched again.
    pub fn matches_either_spelling<'h>(
        &self,
        cache: &mut SetCache,
        text: &'h str,
    ) -> Vec<(usize, &'h str)> {
        let mut found = self.matches(cache, text);
        if !text.contains(WORD_JOINERS) {
            return found;
        }
        // Same length and the same char boundaries: a match's byte range is valid in `text`.
        let spaced = text.replace(WORD_JOINERS, " ");
        let written = found.len();
        for (i, matched) in self.matches(cache, &spaced) {
            if found[..written].iter().all(|&(j, _)| j != i) {
                found.push((i, same_span(text, &spaced, matched)));
            }
        }
        found.sort_by_key(|&(i, _)| i);
        found
    }

    /// The patterns that match `text` (as [`PatternSet::matches_either_spelling`] finds them),
    /// and `text` with every match of every pattern blanked out with spaces, byte for byte, so
    /// that other patterns do not match inside them (`None` when nothing matches). A byte range
    /// of the blanked text is a byte range of `text` (see [`same_span`]).
    pub fn blank_matches<'h>(&self, cache: &mut SetCache, text: &'h str) -> Blanked<'h> {
        let found = self.matches_either_spelling(cache, text);
        let mut spans = spans_in(text, &found);
        let mut blanked: Option<String> = None;
        // Each round blanks at least one character that is not a space, so rounds end.
        while !spans.is_empty() {
            let current = blanked.as_deref().unwrap_or(text);
            let mut next = String::with_capacity(current.len());
            for (at, c) in current.char_indices() {
                if spans.iter().any(|span| span.contains(&at)) {
                    next.extend(std::iter::repeat_n(' ', c.len_utf8()));
                } else {
                    next.push(c);
                }
            }
            spans = spans_in(&next, &self.matches_either_spelling(cache, &next));
            blanked = Some(next);
        }
        Blanked {
            found,
            text: blanked,
        }
    }

    /// Every pattern that matches `text`, in set order, with the text of its leftmost-first match.
    pub fn matches<'h>(&self, cache: &mut SetCache, text: &'h str) -> Vec<(usize, &'h str)> {
        // ASCII lowercasing keeps every byte offset.
        let lowercase = text.to_ascii_lowercase();
        self.mark_candidates(cache, text, &lowercase);
        let common_text = super::common::is_common(text);
        let mut out = Vec::new();
        for i in 0..self.engines.len() {
            let how = std::mem::take(&mut cache.candidate[i]);
            if how == Candidate::No {
                continue;
            }
            let engine = &self.engines[i];
            if let (Candidate::AtNeedles, Some(ends)) = (how, &engine.needles.ends_with) {
                if !ends.iter().any(|e| lowercase.contains(e.as_str())) {
                    cache.starts[i].clear();
                    continue;
                }
            }
            let (vm, reading) = engine.vm(common_text);
            let caches = match reading {
                Reading::Own => &mut cache.caches,
                Reading::Common => &mut cache.common_caches,
            };
            let vm_cache = caches[i].get_or_insert_with(|| vm.create_cache());
            let starts = &mut cache.starts[i];
            let found = match how {
                Candidate::AtNeedles => {
                    starts.sort_unstable();
                    starts.dedup();
                    Engine::find_at(vm, vm_cache, text, starts)
                }
                _ => Engine::find(vm, vm_cache, text),
            };
            starts.clear();
            if let Some(matched) = found {
                out.push((i, matched));
            }
        }
        out
    }

    /// Marks the patterns that may match `text` (`lowercase` is `text` in ASCII lowercase).
    fn mark_candidates(&self, cache: &mut SetCache, text: &str, lowercase: &str) {
        if text.contains(FOLDS_TO_ASCII) {
            cache.candidate.fill(Candidate::Anywhere);
            return;
        }
        for &i in &self.always {
            cache.candidate[i] = Candidate::Anywhere;
        }
        let Some(prefilter) = &self.prefilter else {
            return;
        };
        for m in prefilter.find_overlapping_iter(lowercase) {
            for &i in &self.needle_patterns[m.pattern().as_usize()] {
                let candidate = &mut cache.candidate[i];
                if !self.engines[i].needles.at_start {
                    *candidate = Candidate::Anywhere;
                } else if *candidate != Candidate::Anywhere {
                    *candidate = Candidate::AtNeedles;
                    cache.starts[i].push(m.start());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::tests::{assert_same_as_regex, compile};

    #[test]
    fn same_matches_as_the_regex_crate_on_tricky_texts() {
        let patterns = [
            r"\bsecurity($|[^\w\s]|\s+([^t\s]|t[^o]))",
            r"\bkeys?\b",
            r"\bsmart contracts?\b",
            r"(?-i:DID)s?\b",
            r"café",
            r"\b(block|side)chains?\b",
            r"[a-z]+coin\b",
        ];
        let texts = [
            "Security token offerings",
            "Security of smart contracts",
            "security token, then security of keys", // the second `security` matches
            "smart contract, smart contracts",       // the longer needle starts with the shorter
            "ſecurity requirements",                 // LONG S folds to s
            "Public \u{212A}EY infrastructure",      // KELVIN SIGN folds to k
            "DIDs and dids",
            "did you know",
            "CAFÉ and café",
            "Bitcoin, Litecoin and stablecoins",
            "blockchain-based sidechains",
            "",
            "security",
        ];
        assert_same_as_regex(&patterns, &texts);
    }

    #[test]
    fn a_pattern_without_literals_runs_on_every_text() {
        let p = compile(r"\w+");
        assert!(p.engine.needles.any_of.is_none());
        let set = PatternSet::new(&[&p]);
        assert_eq!(set.matches(&mut set.cache(), "über"), vec![(0, "über")]);
    }

    #[test]
    fn blanking_covers_every_match_and_keeps_byte_offsets() {
        let friends = [
            compile(r"\b(social|food) security\b"),
            compile(r"\bsecured loans?\b"),
        ];
        let set = PatternSet::new(&friends.iter().collect::<Vec<_>>());
        let mut cache = set.cache();
        let text =
            "Food security, social security and Security of secured-loan registries in Zürich";
        let found = set.blank_matches(&mut cache, text);
        assert_eq!(
            found.found,
            vec![(0, "Food security"), (1, "secured-loan")],
            "the first match of each pattern, as written"
        );
        let blanked = found.text.expect("matches");
        assert_eq!(blanked.len(), text.len());
        assert_eq!(
            blanked,
            "             ,                 and Security of              registries in Zürich"
        );
        assert!(set
            .blank_matches(&mut cache, "Security of ledgers")
            .text
            .is_none());
        // A multi-byte character inside a match becomes as many spaces as it has bytes.
        let umlaut = [compile(r"s\w+ security")];
        let set = PatternSet::new(&umlaut.iter().collect::<Vec<_>>());
        let blanked = set
            .blank_matches(&mut set.cache(), "süß security")
            .text
            .unwrap();
        assert_eq!(blanked, " ".repeat("süß security".len()));
    }

    #[test]
    fn a_hyphen_or_underscore_also_reads_as_a_space() {
        let patterns = [
            compile(r"\bpresentation exchange\b"),
            compile(r"\bself-sovereign\b"),
            compile(r"\bkey management\b"),
            compile(r"\bledger\b"),
        ];
        let set = PatternSet::new(&patterns.iter().collect::<Vec<_>>());
        let mut cache = set.cache();
        let text = "Presentation-Exchange for self-sovereign key_management ledger";
        // The matches as written in the text, in set order, each pattern once.
        assert_eq!(
            set.matches_either_spelling(&mut cache, text),
            vec![
                (0, "Presentation-Exchange"),
                (1, "self-sovereign"),
                (2, "key_management"),
                (3, "ledger")
            ]
        );
        // Only the hyphenated spelling is matched by a pattern that writes the hyphen.
        assert_eq!(
            set.matches(&mut cache, text),
            vec![(1, "self-sovereign"), (3, "ledger")]
        );
        assert_eq!(
            set.matches_either_spelling(&mut cache, "self sovereign"),
            vec![]
        );
    }
}
