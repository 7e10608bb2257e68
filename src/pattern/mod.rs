//! Taxonomy patterns compiled for matching: each pattern is a Thompson NFA run by a bounded
//! backtracker (the PikeVM on a text too long for it), and a [`PatternSet`] finds which patterns
//! of a list match a text, with the span of each match.
//! Every pattern is parsed when the taxonomy is read (so every error is reported then); the NFA
//! of a pattern known to be small is built the first time a text needs it, and a pattern with
//! large Unicode classes runs a narrower automaton on texts of common characters (see [`common`]).
//!
//! Matching a few hundred case-insensitive Unicode patterns against every item is the analysis'
//! main cost. A `regex::RegexSet` pays for it twice: compiling the set, then building the states
//! of its lazy DFA as new text comes in. A [`PatternSet`] instead runs only the *candidates*:
//! the patterns whose required literals (every match contains one of them, from
//! `regex_syntax`'s literal extractor: prefixes, else suffixes, else literals from inside the
//! pattern) occur in the text, found in one Aho-Corasick pass; a candidate whose matches also
//! end with known literals runs only if the text has one of those too. The
//! result is the same as the regex crate's (same parser, same NFA semantics, leftmost-first
//! spans), which the tests check against `regex` (`tests/pattern.rs` on the shipped taxonomy).

mod common;
mod engine;
mod literals;
mod set;
mod size;

use std::sync::Arc;

use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_syntax::ast::Ast;
use regex_syntax::hir::translate::TranslatorBuilder;
use regex_syntax::hir::Hir;

use crate::model::SourceLoc;
use engine::{is_small, Engine, LazyVm, Reading, Shape, Vm};
use literals::Needles;
pub use set::{same_span, Blanked, PatternSet, SetCache};

/// The largest compiled NFA of one pattern, in bytes: a guard against runaway patterns.
const SIZE_LIMIT: usize = 1 << 20;

/// A regex of the taxonomy (matched case-insensitively), with its source text and location.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The regex as written.
    pub text: String,
    /// Where it is written.
    pub source: SourceLoc,
    engine: Engine,
}

/// What compiling a pattern found: where its matches are to be looked for, and when its automata
/// are built. With it, a pattern compiled in an earlier run is set up again without parsing it
/// ([`PatternCompiler::known`]); the matches are the same.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Known {
    needles: Needles,
    shape: Shape,
}

impl Pattern {
    /// The pattern `text`, written at `source`, with its automata (own, common-script) and what
    /// compiling it found.
    fn assemble(
        text: &str,
        source: SourceLoc,
        (vm, common): (LazyVm, Option<LazyVm>),
        known: Known,
    ) -> Pattern {
        Pattern {
            text: text.to_string(),
            source,
            engine: Engine {
                vm: Arc::new(vm),
                common: common.map(Arc::new),
                needles: known.needles,
                shape: known.shape,
            },
        }
    }

    /// What compiling this pattern found, for setting it up again in a later run.
    pub fn known(&self) -> Known {
        Known {
            needles: self.engine.needles.clone(),
            shape: self.engine.shape,
        }
    }
}

/// Why a pattern is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// It does not compile: the regex crate's own message.
    Syntax(String),
    /// It matches the empty text (`|glossary`, `x*`), so it would match every text.
    MatchesEmpty,
    /// It can match no text at all (`[^\s\S]`, a class that excludes everything).
    MatchesNothing,
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PatternError::Syntax(message) => f.write_str(message),
            PatternError::MatchesEmpty => f.write_str("the pattern matches the empty text"),
            PatternError::MatchesNothing => f.write_str("the pattern can match no text"),
        }
    }
}

/// Compiles patterns one after another, reusing its NFA compiler (a fresh one allocates large
/// tables for its first Unicode class: most of the cost of a short pattern) and the sizes of the
/// classes it has seen.
pub struct PatternCompiler {
    nfa: thompson::Compiler,
    class_sizes: size::ClassSizes,
}

impl Default for PatternCompiler {
    fn default() -> Self {
        PatternCompiler::new()
    }
}

impl PatternCompiler {
    /// A compiler for case-insensitive Rust `regex` patterns of at most [`SIZE_LIMIT`] bytes.
    pub fn new() -> PatternCompiler {
        PatternCompiler::with_limit(Some(SIZE_LIMIT))
    }

    /// A compiler whose NFAs may be of any size (for measuring them).
    #[cfg(test)]
    fn unlimited() -> PatternCompiler {
        PatternCompiler::with_limit(None)
    }

    fn with_limit(limit: Option<usize>) -> PatternCompiler {
        let mut nfa = thompson::Compiler::new();
        nfa.configure(
            thompson::Config::new()
                .nfa_size_limit(limit)
                .which_captures(WhichCaptures::Implicit),
        );
        PatternCompiler {
            nfa,
            class_sizes: size::ClassSizes::default(),
        }
    }

    /// Compiles `text`, written at `source`: every error is found here, including a pattern
    /// that matches the empty text or none (so that one never reaches the cache). The automaton of a
    /// [small](is_small) pattern is built only when a text first needs it; a pattern with large
    /// classes gets its [common-script](common) automaton now, and its own only when a text
    /// needs it, unless its [size bound](size) is beyond half the limit (then now, with the
    /// limit checked).
    pub fn compile(&mut self, text: &str, source: SourceLoc) -> Result<Pattern, PatternError> {
        let ast = parse(text)?;
        let case_sensitive = translate(text, &ast, false).ok();
        if let Some(hir) = &case_sensitive {
            refuse_useless(hir)?;
        }
        let needles = literals::needles(case_sensitive.as_ref());
        let (vm, common, shape) = match &case_sensitive {
            Some(hir) if is_small(hir, text) => {
                (LazyVm::deferred(text, Reading::Own), None, Shape::Small)
            }
            _ => self.automata(text, &ast)?,
        };
        Ok(Pattern::assemble(
            text,
            source,
            (vm, common),
            Known { needles, shape },
        ))
    }

    /// `text`, written at `source`, set up from what compiling it found in an earlier run
    /// (`known`, which [`Pattern::known`] gave for the same text): nothing is parsed, and each
    /// automaton is built the first time a text needs it, except the own automaton of a pattern
    /// whose size bound is beyond half the limit, which is built now, as [`compile`] does.
    ///
    /// [`compile`]: PatternCompiler::compile
    pub fn known(
        &mut self,
        text: &str,
        source: SourceLoc,
        known: &Known,
    ) -> Result<Pattern, PatternError> {
        let (vm, common) = match known.shape {
            Shape::Small => (LazyVm::deferred(text, Reading::Own), None),
            Shape::Large { common, own_now } => {
                let own = if own_now {
                    LazyVm::compiled(self.vm(text, Reading::Own)?, text, Reading::Own)
                } else {
                    LazyVm::deferred(text, Reading::Own)
                };
                (own, common.then(|| LazyVm::deferred(text, Reading::Common)))
            }
        };
        Ok(Pattern::assemble(text, source, (vm, common), known.clone()))
    }

    /// The automata of a pattern that is not small: its own, and its common-script one when
    /// narrowing its classes changes any.
    fn automata(
        &mut self,
        text: &str,
        ast: &Ast,
    ) -> Result<(LazyVm, Option<LazyVm>, Shape), PatternError> {
        let hir = translate(text, ast, true)?;
        refuse_useless(&hir)?;
        let Some(narrowed) = common::narrowed(&hir) else {
            let own = LazyVm::compiled(self.vm_from_hir(&hir)?, text, Reading::Own);
            let shape = Shape::Large {
                common: false,
                own_now: true,
            };
            return Ok((own, None, shape));
        };
        let common = LazyVm::compiled(self.vm_from_hir(&narrowed)?, text, Reading::Common);
        let own_now = self.class_sizes.bound(&hir, &self.nfa) > SIZE_LIMIT / 2;
        let own = if own_now {
            LazyVm::compiled(self.vm_from_hir(&hir)?, text, Reading::Own)
        } else {
            LazyVm::deferred(text, Reading::Own)
        };
        let shape = Shape::Large {
            common: true,
            own_now,
        };
        Ok((own, Some(common), shape))
    }

    /// The automaton of `text`, a pattern that [`PatternCompiler::compile`] accepted, in
    /// `reading`.
    fn vm(&mut self, text: &str, reading: Reading) -> Result<Vm, PatternError> {
        let ast = parse(text)?;
        let hir = translate(text, &ast, true)?;
        match reading {
            Reading::Own => self.vm_from_hir(&hir),
            Reading::Common => {
                let narrowed = common::narrowed(&hir).unwrap_or(hir);
                self.vm_from_hir(&narrowed)
            }
        }
    }

    /// The automaton of `hir` (a case-insensitive reading), at most the compiler's limit.
    fn vm_from_hir(&mut self, hir: &Hir) -> Result<Vm, PatternError> {
        let nfa = self.nfa.build_from_hir(hir).map_err(|_| {
            PatternError::Syntax(format!(
                "compiled regex exceeds size limit of {SIZE_LIMIT} bytes"
            ))
        })?;
        Vm::new(nfa)
    }
}

/// The syntax tree of `text`.
fn parse(text: &str) -> Result<Ast, PatternError> {
    regex_syntax::ast::parse::Parser::new()
        .parse(text)
        .map_err(|e| PatternError::Syntax(regex_syntax::Error::from(e).to_string()))
}

/// An error when `hir` can match without reading a character, as such a pattern finds a match
/// in every text (`|glossary` matches before any text it does not contain), and when it can
/// match no text at all (a class that excludes every character: it maps nothing, silently).
fn refuse_useless(hir: &Hir) -> Result<(), PatternError> {
    if matches_nothing(hir) {
        return Err(PatternError::MatchesNothing);
    }
    match hir.properties().minimum_len() {
        Some(0) => Err(PatternError::MatchesEmpty),
        _ => Ok(()),
    }
}

/// Whether `hir` can match no text: an empty class, or a sequence with a part that can match
/// none, or alternatives that all can match none (`minimum_len` is none in the first two cases
/// but also when only one alternative is dead, as in `[^\s\S]|ledger`).
fn matches_nothing(hir: &Hir) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Class(Class::Unicode(c)) => c.ranges().is_empty(),
        HirKind::Class(Class::Bytes(c)) => c.ranges().is_empty(),
        HirKind::Repetition(r) => r.min > 0 && matches_nothing(&r.sub),
        HirKind::Capture(c) => matches_nothing(&c.sub),
        HirKind::Concat(parts) => parts.iter().any(matches_nothing),
        HirKind::Alternation(alternatives) => alternatives.iter().all(matches_nothing),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Look(_) => false,
    }
}

/// The pattern's HIR, read case-insensitively or not, from its syntax tree (parsed once for both).
fn translate(text: &str, ast: &Ast, case_insensitive: bool) -> Result<Hir, PatternError> {
    TranslatorBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .translate(text, ast)
        .map_err(|e| PatternError::Syntax(regex_syntax::Error::from(e).to_string()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn compile(text: &str) -> Pattern {
        try_compile(text).expect("compiles")
    }

    pub(crate) fn try_compile(text: &str) -> Result<Pattern, PatternError> {
        PatternCompiler::new().compile(text, SourceLoc::file("taxonomy.yaml"))
    }

    /// The set's matches and spans, against the regex crate's on the same texts.
    pub(crate) fn assert_same_as_regex(patterns: &[&str], texts: &[&str]) {
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
    fn errors_are_the_regex_crates() {
        let look_behind = String::from("(?<!in)secure");
        let err = try_compile(&look_behind).unwrap_err();
        let regex_err = regex::Regex::new(&look_behind).unwrap_err().to_string();
        assert_eq!(err, PatternError::Syntax(regex_err));
        let too_big = try_compile(r"\w{1000}\w{1000}").unwrap_err();
        assert!(too_big.to_string().contains("size limit"), "{too_big}");
    }

    #[test]
    fn a_pattern_matching_the_empty_text_is_refused() {
        for text in [
            "|glossary",
            "glossary|",
            "a||b",
            "x*",
            "(ledger)?",
            r"\b",
            "(?:)",
            r"\w{0,30}",
        ] {
            assert_eq!(
                try_compile(text).unwrap_err(),
                PatternError::MatchesEmpty,
                "{text}"
            );
        }
        for text in ["glossary", "a|b", "xx*", r"\bpay\b", "(ledger)+"] {
            assert!(try_compile(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn a_pattern_matching_no_text_is_refused() {
        for text in [r"[^\s\S]", r"ledger[^\w\W]", r"\P{any}", r"([^\d\D])+x"] {
            assert_eq!(
                try_compile(text).unwrap_err(),
                PatternError::MatchesNothing,
                "{text}"
            );
        }
        // A dead alternative leaves the pattern matching the others.
        assert!(try_compile(r"[^\s\S]|ledger").is_ok());
    }
}
