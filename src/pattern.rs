//! Taxonomy patterns compiled for matching: each pattern is a Thompson NFA run by the PikeVM, and
//! a [`PatternSet`] finds which patterns of a list match a text, with the span of each match.
//! Every pattern is parsed when the taxonomy is read (so every error is reported then); the NFA
//! of a pattern known to be small is built the first time a text needs it.
//!
//! Matching a few hundred case-insensitive Unicode patterns against every item is the analysis'
//! main cost. A `regex::RegexSet` pays for it twice: compiling the set, then building the states
//! of its lazy DFA as new text comes in. A [`PatternSet`] instead runs only the *candidates*:
//! the patterns whose required literals (every match contains one of them, from
//! `regex_syntax`'s literal extractor: prefixes, else suffixes, else literals from inside the
//! pattern) occur in the text, found in one Aho-Corasick pass; a candidate whose matches also
//! end with known literals runs only if the text has one of those too. The
//! result is the same as the regex crate's (same parser, same NFA semantics, leftmost-first
//! spans), which `tests` below check against `regex` on the shipped taxonomy.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_automata::nfa::thompson::{self, pikevm::PikeVM, WhichCaptures};
use regex_automata::{Anchored, Input};
use regex_syntax::ast::Ast;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::translate::TranslatorBuilder;
use regex_syntax::hir::Hir;

use std::sync::{Arc, OnceLock};

use crate::model::SourceLoc;

/// Needles are cut to this many bytes: a smaller automaton, built faster, for a few more
/// candidates to run.
const NEEDLE_LEN: usize = 12;

/// The shortest literal from inside or at the end of a pattern used as its needle: shorter ones
/// (a dash, a space) occur in almost every text, so the pattern runs on every text anyway.
const MIN_INNER_NEEDLE: usize = 3;

/// The largest compiled NFA of one pattern, in bytes: a guard against runaway patterns.
const SIZE_LIMIT: usize = 1 << 20;

/// The characters outside ASCII that Unicode simple case folding makes equal to an ASCII letter
/// (LONG S to `s`, KELVIN SIGN to `k`): a text containing one runs every pattern, since the
/// literal prefilter compares ASCII letters only.
const FOLDS_TO_ASCII: [char; 2] = ['\u{17F}', '\u{212A}'];

/// A regex of the taxonomy (matched case-insensitively), with its source text and location.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The regex as written.
    pub text: String,
    /// Where it is written.
    pub source: SourceLoc,
    engine: Engine,
    /// Lowercase ASCII literals of which every match contains one; `None`: no such list.
    needles: Option<Vec<String>>,
}

/// What runs a pattern on a text (cheap to clone: the NFA is shared).
#[derive(Debug, Clone)]
struct Engine {
    vm: Arc<LazyVm>,
    /// Every match starts with one of the pattern's needles (they are its prefixes, not its
    /// suffixes): it needs to run only where a needle occurs, anchored there.
    starts_with_needle: bool,
    /// Lowercase ASCII literals every match ends with, when the needles are its prefixes: a
    /// candidate runs only if the text also has one of these ("blockchain ... concepts" needs
    /// `concept` as well as `blockchain`).
    ends_with: Option<Vec<String>>,
}

/// Why a pattern does not compile: the regex crate's own message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(pub String);

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A pattern's PikeVM. A pattern whose automaton is known to be small before it is built (see
/// [`is_small`]) is compiled the first time a text needs it: most patterns are never a candidate
/// for any item of a report, and their compilation was most of reading the taxonomy.
#[derive(Debug)]
struct LazyVm {
    text: String,
    vm: OnceLock<PikeVM>,
}

impl LazyVm {
    fn compiled(vm: PikeVM, text: &str) -> LazyVm {
        LazyVm {
            text: text.to_string(),
            vm: OnceLock::from(vm),
        }
    }

    fn deferred(text: &str) -> LazyVm {
        LazyVm {
            text: text.to_string(),
            vm: OnceLock::new(),
        }
    }

    /// The PikeVM, compiled now if it was deferred.
    fn get(&self) -> &PikeVM {
        self.vm.get_or_init(|| {
            LAZY_COMPILER.with(|compiler| {
                compiler
                    .borrow_mut()
                    .vm(&self.text)
                    .expect("a deferred pattern was parsed and found small when it was read")
            })
        })
    }
}

thread_local! {
    /// The compiler of deferred patterns on this thread (reused: see [`PatternCompiler`]).
    static LAZY_COMPILER: std::cell::RefCell<PatternCompiler> =
        std::cell::RefCell::new(PatternCompiler::new());
}

impl Engine {
    /// The leftmost-first match in `text`, as the regex crate finds it.
    fn find<'h>(&self, cache: &mut thompson::pikevm::Cache, text: &'h str) -> Option<&'h str> {
        self.vm.get().find(cache, text).map(|m| &text[m.range()])
    }

    /// The leftmost-first match among those starting at one of `starts` (ascending): since
    /// every match starts at a needle, the same match as [`Engine::find`] finds.
    fn find_at<'h>(
        &self,
        cache: &mut thompson::pikevm::Cache,
        text: &'h str,
        starts: &[usize],
    ) -> Option<&'h str> {
        starts.iter().find_map(|&at| {
            let input = Input::new(text).range(at..).anchored(Anchored::Yes);
            self.vm.get().find(cache, input).map(|m| &text[m.range()])
        })
    }
}

/// Compiles patterns one after another, reusing its NFA compiler (a fresh one allocates large
/// tables for its first Unicode class: most of the cost of a short pattern).
pub struct PatternCompiler {
    nfa: thompson::Compiler,
}

impl Default for PatternCompiler {
    fn default() -> Self {
        PatternCompiler::new()
    }
}

impl PatternCompiler {
    /// A compiler for case-insensitive Rust `regex` patterns of at most [`SIZE_LIMIT`] bytes.
    pub fn new() -> PatternCompiler {
        let mut nfa = thompson::Compiler::new();
        nfa.configure(
            thompson::Config::new()
                .nfa_size_limit(Some(SIZE_LIMIT))
                .which_captures(WhichCaptures::Implicit),
        );
        PatternCompiler { nfa }
    }

    /// Compiles `text`, written at `source`: every error is found here, but the automaton of a
    /// [small](is_small) pattern is built only when a text first needs it.
    pub fn compile(&mut self, text: &str, source: SourceLoc) -> Result<Pattern, PatternError> {
        let ast = parse(text)?;
        let case_sensitive = translate(text, &ast, false).ok();
        let vm = match &case_sensitive {
            Some(hir) if is_small(hir, text) => LazyVm::deferred(text),
            _ => LazyVm::compiled(self.vm_from_ast(text, &ast)?, text),
        };
        let ends = |kind| case_sensitive.as_ref().and_then(|h| literals(h, kind));
        let (prefixes, suffixes) = (ends(ExtractKind::Prefix), ends(ExtractKind::Suffix));
        // Away from the match's start, a literal is worth checking only if it is not too common.
        let long = |l: &Vec<String>| l.iter().all(|n| n.len() >= MIN_INNER_NEEDLE);
        let starts_with_needle = prefixes.is_some();
        let (needles, ends_with) = match prefixes {
            Some(p) => {
                let ends_with = suffixes.filter(|s| long(s) && *s != p);
                (Some(p), ends_with)
            }
            None => {
                let inside = || case_sensitive.as_ref().and_then(literals_inside);
                (suffixes.or_else(|| inside().filter(long)), None)
            }
        };
        Ok(Pattern {
            text: text.to_string(),
            source,
            engine: Engine {
                vm: Arc::new(vm),
                starts_with_needle,
                ends_with,
            },
            needles,
        })
    }
}

impl PatternCompiler {
    /// The PikeVM of `text`, a pattern that [`PatternCompiler::compile`] accepted.
    fn vm(&mut self, text: &str) -> Result<PikeVM, PatternError> {
        let ast = parse(text)?;
        self.vm_from_ast(text, &ast)
    }

    /// The PikeVM of the case-insensitive reading of `ast`, at most [`SIZE_LIMIT`] bytes.
    fn vm_from_ast(&mut self, text: &str, ast: &Ast) -> Result<PikeVM, PatternError> {
        let hir = translate(text, ast, true)?;
        let nfa = self.nfa.build_from_hir(&hir).map_err(|_| {
            PatternError(format!(
                "compiled regex exceeds size limit of {SIZE_LIMIT} bytes"
            ))
        })?;
        PikeVM::new_from_nfa(nfa).map_err(|e| PatternError(e.to_string()))
    }
}

/// The syntax tree of `text`.
fn parse(text: &str) -> Result<Ast, PatternError> {
    regex_syntax::ast::parse::Parser::new()
        .parse(text)
        .map_err(|e| PatternError(regex_syntax::Error::from(e).to_string()))
}

/// Patterns no longer than this may be [small](is_small).
const SMALL_TEXT: usize = 2048;

/// Whether the automaton of a pattern (`hir`: its case-sensitive reading) is known to stay far
/// below [`SIZE_LIMIT`] without building it: no counted repetition (`{2,}`, `{1,40}`) and no
/// class beyond a few ASCII ranges and single characters (`\w`, `.` and `[^...]` are thousands
/// of ranges), so that its size grows at most linearly with its length, which is bounded. The
/// others are built when the taxonomy is read, where the limit is checked.
fn is_small(hir: &Hir, text: &str) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    if text.len() > SMALL_TEXT {
        return false;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Literal(_) | HirKind::Look(_) => true,
        HirKind::Class(Class::Unicode(c)) => {
            c.ranges().len() <= 8
                && c.ranges()
                    .iter()
                    .all(|r| r.end() <= '\x7f' || r.start() == r.end())
        }
        HirKind::Class(Class::Bytes(c)) => c.ranges().len() <= 8,
        HirKind::Repetition(r) => {
            r.min <= 1 && r.max.is_none_or(|m| m <= 1) && is_small(&r.sub, text)
        }
        HirKind::Capture(c) => is_small(&c.sub, text),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().all(|p| is_small(p, text))
        }
    }
}

/// The pattern's HIR, read case-insensitively or not, from its syntax tree (parsed once for both).
fn translate(text: &str, ast: &Ast, case_insensitive: bool) -> Result<Hir, PatternError> {
    TranslatorBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .translate(text, ast)
        .map_err(|e| PatternError(regex_syntax::Error::from(e).to_string()))
}

/// The literals every match of `hir` starts with (`Prefix`) or ends with (`Suffix`), cut to
/// [`NEEDLE_LEN`] and lowercased; `None` when there is no such finite list of non-empty ASCII
/// literals. `hir` is the case-sensitive reading of the pattern: a case-insensitive match is a
/// case-sensitive match of the text with some letters' case changed, which an ASCII
/// case-insensitive search finds.
fn literals(hir: &Hir, kind: ExtractKind) -> Option<Vec<String>> {
    let prefix = matches!(kind, ExtractKind::Prefix);
    let mut seq = Extractor::new().kind(kind).extract(hir);
    if prefix {
        seq.keep_first_bytes(NEEDLE_LEN);
    } else {
        seq.keep_last_bytes(NEEDLE_LEN);
    }
    let literals: Option<Vec<String>> = seq
        .literals()?
        .iter()
        .map(|l| {
            let bytes = l.as_bytes();
            (!bytes.is_empty() && bytes.is_ascii())
                .then(|| String::from_utf8_lossy(bytes).to_ascii_lowercase())
        })
        .collect();
    literals.map(without_longer)
}

/// Literals of which every match of `hir` contains one, somewhere: its prefixes or suffixes, else
/// those found [inside](literals_inside) it.
fn required_literals(hir: &Hir) -> Option<Vec<String>> {
    literals(hir, ExtractKind::Prefix)
        .or_else(|| literals(hir, ExtractKind::Suffix))
        .or_else(|| literals_inside(hir))
}

/// Literals required by the parts of `hir`, for when its own prefixes and suffixes are not a
/// finite list: those of the part of a sequence with the longest (`\b\w{3,}
/// cyber[- ]?security\s*[—–-]` needs `security`), or one list per branch of an alternation.
/// `None`: no such list, the pattern runs on every text.
fn literals_inside(hir: &Hir) -> Option<Vec<String>> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) => required_literals(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required_literals(&r.sub),
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(required_literals)
            .max_by_key(|l| l.iter().map(String::len).min().unwrap_or(0)),
        HirKind::Alternation(branches) => {
            let per_branch: Option<Vec<Vec<String>>> =
                branches.iter().map(required_literals).collect();
            per_branch.map(|l| without_longer(l.into_iter().flatten().collect()))
        }
        _ => None,
    }
}

/// `needles` without those that start with another (`smart contracts` when `smart contract` is
/// there): every text that has the longer one has the shorter one, at the same place.
fn without_longer(mut needles: Vec<String>) -> Vec<String> {
    needles.sort_by_key(String::len);
    needles.dedup();
    let mut kept: Vec<String> = Vec::with_capacity(needles.len());
    for n in needles {
        if !kept.iter().any(|k| n.starts_with(k.as_str())) {
            kept.push(n);
        }
    }
    kept
}

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

/// What one thread needs to match a [`PatternSet`] (made by its [`PatternSet::cache`]): a PikeVM
/// cache per pattern, made on first use, and the candidates of the text at hand.
#[derive(Debug)]
pub struct SetCache {
    caches: Vec<Option<thompson::pikevm::Cache>>,
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
            let Some(list) = &p.needles else {
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
                let start = matched.as_ptr() as usize - spaced.as_ptr() as usize;
                found.push((i, &text[start..start + matched.len()]));
            }
        }
        found.sort_by_key(|&(i, _)| i);
        found
    }

    /// Every pattern that matches `text`, in set order, with the text of its leftmost-first match.
    pub fn matches<'h>(&self, cache: &mut SetCache, text: &'h str) -> Vec<(usize, &'h str)> {
        // ASCII lowercasing keeps every byte offset.
        let lowercase = text.to_ascii_lowercase();
        self.mark_candidates(cache, text, &lowercase);
        let mut out = Vec::new();
        for i in 0..self.engines.len() {
            let how = std::mem::take(&mut cache.candidate[i]);
            if how == Candidate::No {
                continue;
            }
            let engine = &self.engines[i];
            if let (Candidate::AtNeedles, Some(ends)) = (how, &engine.ends_with) {
                if !ends.iter().any(|e| lowercase.contains(e.as_str())) {
                    cache.starts[i].clear();
                    continue;
                }
            }
            let vm_cache = cache.caches[i].get_or_insert_with(|| engine.vm.get().create_cache());
            let starts = &mut cache.starts[i];
            let found = match how {
                Candidate::AtNeedles => {
                    starts.sort_unstable();
                    starts.dedup();
                    engine.find_at(vm_cache, text, starts)
                }
                _ => engine.find(vm_cache, text),
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
                if !self.engines[i].starts_with_needle {
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

    fn compile(text: &str) -> Pattern {
        try_compile(text).expect("compiles")
    }

    fn try_compile(text: &str) -> Result<Pattern, PatternError> {
        PatternCompiler::new().compile(text, SourceLoc::file("taxonomy.yaml"))
    }

    /// The set's matches and spans, against the regex crate's on the same texts.
    fn assert_same_as_regex(patterns: &[&str], texts: &[&str]) {
        let compiled: Vec<Pattern> = patterns.iter().map(|p| compile(p)).collect();
        let set = PatternSet::new(&compiled.iter().collect::<Vec<_>>());
        let regexes: Vec<regex::Regex> = patterns
            .iter()
            .map(|p| {
                regex::RegexBuilder::new(p)
                    .case_insensitive(true)
                    .build()
                    .unwrap()
            })
            .collect();
        let mut cache = set.cache();
        for text in texts {
            let expected: Vec<(usize, &str)> = regexes
                .iter()
                .enumerate()
                .filter_map(|(i, r)| r.find(text).map(|m| (i, m.as_str())))
                .collect();
            assert_eq!(set.matches(&mut cache, text), expected, "text: {text:?}");
        }
    }

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
            r"^$",
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
    fn needles_come_from_inside_a_pattern_when_it_starts_and_ends_with_classes() {
        let p = compile(r"\b\w{3,} cyber[- ]?security\s*[—–-]");
        // The longest required literal (the most selective, most likely).
        assert_eq!(p.needles, Some(vec!["security".to_string()]));
        assert!(!p.engine.starts_with_needle);
        let p = compile(r"\b(\w{3,} security and privacy|privacy and security|[a-z]+ audits?)\b");
        assert_eq!(
            p.needles,
            Some(vec![
                " audit".to_string(),
                " and privacy".to_string(),
                "and security".to_string()
            ])
        );
        // Only a dash or a space inside: no better than running on every text.
        assert!(compile(r"\w+[- ]\w+").needles.is_none());
        assert_same_as_regex(
            &[
                r"\b\w{3,} cyber[- ]?security\s*[—–-]",
                r"\b(\w{3,} security and privacy|privacy and security)\b",
            ],
            &[
                "Medical device cybersecurity — Guidance",
                "Cybersecurity — Overview and concepts",
                "IoT security and privacy — Device baseline",
                "Privacy and security for federated learning",
                "PRIVACY AND SECURITY",
                "security and privacy",
            ],
        );
    }

    #[test]
    fn a_pattern_without_literals_runs_on_every_text() {
        let p = compile(r"\w+");
        assert!(p.needles.is_none());
        let set = PatternSet::new(&[&p]);
        assert_eq!(set.matches(&mut set.cache(), "über"), vec![(0, "über")]);
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

    #[test]
    fn a_small_pattern_is_built_when_first_needed_and_a_large_one_at_once() {
        let small = compile(r"\b(smart contracts?|chaincode)\b");
        let large = compile(r"\binteroperab\w*");
        let counted = compile(r"\bkeys?( \w+){1,3} rotation\b");
        assert!(small.engine.vm.vm.get().is_none(), "deferred");
        assert!(
            large.engine.vm.vm.get().is_some(),
            "a Unicode class is built at once"
        );
        assert!(
            counted.engine.vm.vm.get().is_some(),
            "a counted repetition is built at once"
        );
        // A deferred pattern still reports its errors when it is read.
        assert!(try_compile("smart (contracts").is_err());
        let set = PatternSet::new(&[&small, &large]);
        assert_eq!(
            set.matches(&mut set.cache(), "A Smart Contract for interoperability"),
            vec![(0, "Smart Contract"), (1, "interoperability")]
        );
        // Built by the match, and shared with the pattern it came from.
        assert!(small.engine.vm.vm.get().is_some());
    }

    #[test]
    fn errors_are_the_regex_crates() {
        let look_behind = String::from("(?<!in)secure");
        let err = try_compile(&look_behind).unwrap_err();
        let regex_err = regex::Regex::new(&look_behind).unwrap_err().to_string();
        assert_eq!(err.0, regex_err);
        let too_big = try_compile(r"\w{1000}\w{1000}").unwrap_err();
        assert!(too_big.0.contains("size limit"), "{too_big}");
    }
}
