//! What runs one pattern: its automata ([`Vm`]: the NFA run by a bounded backtracker, or by the
//! PikeVM on a text too long for the backtracker), built when the taxonomy is read or, for a
//! pattern known to be small, the first time a text needs it.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use regex_automata::nfa::thompson::{backtrack, pikevm, BuildError, NFA};
use regex_automata::{Anchored, Input, Match};
use regex_syntax::hir::Hir;

use super::literals::Needles;
use super::{PatternCompiler, PatternError};

/// What runs a pattern on a text (cheap to clone: the NFAs are shared).
#[derive(Debug, Clone)]
pub(super) struct Engine {
    /// The pattern's own automaton.
    pub(super) vm: Arc<LazyVm>,
    /// The automaton of its [common-script reading](super::common), for texts made only of
    /// common characters, when that reading differs.
    pub(super) common: Option<Arc<LazyVm>>,
    /// Where its matches are to be looked for.
    pub(super) needles: Needles,
    /// What compiling the pattern found out about its automata.
    pub(super) shape: Shape,
}

/// What compiling a pattern finds out about its automata, which decides when each is built (and
/// is all a [known](super::Known) pattern needs to be set up again without compiling it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Shape {
    /// [Small](is_small): one automaton, built when a text first needs it.
    Small,
    /// Large classes or counted repetitions: a common-script automaton when narrowing changes a
    /// class (`common`), and the pattern's own, built at once when its size bound is beyond half
    /// the limit (`own_now`), else when a text first needs it.
    Large { common: bool, own_now: bool },
}

/// A pattern's automaton in one reading. A pattern whose automaton is known to be small before
/// it is built (see [`is_small`], or the [size bound](super::size) of a pattern that has a
/// common-script reading) is compiled the first time a text needs it: most patterns are never a
/// candidate for any item of a report, and their compilation was most of reading the taxonomy.
#[derive(Debug)]
pub(super) struct LazyVm {
    text: String,
    reading: Reading,
    vm: OnceLock<Vm>,
}

/// One reading's automaton: its NFA, searched by a bounded backtracker (about twice as fast as
/// the PikeVM on titles), or by the PikeVM when a text is too long for the backtracker's memory
/// bound. Both find the same leftmost-first match, the regex crate's.
#[derive(Debug, Clone)]
pub(super) struct Vm {
    backtrack: backtrack::BoundedBacktracker,
    pike: pikevm::PikeVM,
}

/// What one thread needs to search a [`Vm`] (the PikeVM's part made when first needed).
#[derive(Debug)]
pub(super) struct VmCache {
    backtrack: backtrack::Cache,
    pike: Option<pikevm::Cache>,
}

impl Vm {
    pub(super) fn new(nfa: NFA) -> Result<Vm, PatternError> {
        let error = |e: BuildError| PatternError::Syntax(e.to_string());
        Ok(Vm {
            backtrack: backtrack::BoundedBacktracker::new_from_nfa(nfa.clone()).map_err(error)?,
            pike: pikevm::PikeVM::new_from_nfa(nfa).map_err(error)?,
        })
    }

    /// The automaton's NFA.
    #[cfg(test)]
    pub(super) fn nfa(&self) -> &NFA {
        self.pike.get_nfa()
    }

    pub(super) fn create_cache(&self) -> VmCache {
        VmCache {
            backtrack: self.backtrack.create_cache(),
            pike: None,
        }
    }

    fn find(&self, cache: &mut VmCache, input: Input<'_>) -> Option<Match> {
        match self.backtrack.try_find(&mut cache.backtrack, input.clone()) {
            Ok(found) => found,
            Err(_) => {
                let pike = cache.pike.get_or_insert_with(|| self.pike.create_cache());
                self.pike.find(pike, input)
            }
        }
    }
}

impl LazyVm {
    pub(super) fn compiled(vm: Vm, text: &str, reading: Reading) -> LazyVm {
        LazyVm {
            text: text.to_string(),
            reading,
            vm: OnceLock::from(vm),
        }
    }

    pub(super) fn deferred(text: &str, reading: Reading) -> LazyVm {
        LazyVm {
            text: text.to_string(),
            reading,
            vm: OnceLock::new(),
        }
    }

    /// The automaton, compiled now if it was deferred.
    pub(super) fn get(&self) -> &Vm {
        self.vm.get_or_init(|| {
            LAZY_COMPILER.with(|compiler| {
                compiler.borrow_mut().vm(&self.text, self.reading).expect(
                    "a deferred pattern was parsed and its size bounded when it was read, \
                         by this run or, for a cached one, by this binary in an earlier run",
                )
            })
        })
    }
}

thread_local! {
    /// The compiler of deferred patterns on this thread (reused: see [`PatternCompiler`]).
    static LAZY_COMPILER: RefCell<PatternCompiler> = RefCell::new(PatternCompiler::new());
}

impl Engine {
    /// The automaton to run on a text: the common-script one when the text is made only of
    /// common characters (`common_text`) and the pattern has one.
    pub(super) fn vm(&self, common_text: bool) -> (&Vm, Reading) {
        match (&self.common, common_text) {
            (Some(vm), true) => (vm.get(), Reading::Common),
            _ => (self.vm.get(), Reading::Own),
        }
    }

    /// The leftmost-first match in `text`, as the regex crate finds it (`cache` is one for
    /// `vm`).
    pub(super) fn find<'h>(vm: &Vm, cache: &mut VmCache, text: &'h str) -> Option<&'h str> {
        vm.find(cache, Input::new(text)).map(|m| &text[m.range()])
    }

    /// The leftmost-first match among those starting at one of `starts` (ascending): since
    /// every match starts at a needle, the same match as [`Engine::find`] finds.
    pub(super) fn find_at<'h>(
        vm: &Vm,
        cache: &mut VmCache,
        text: &'h str,
        starts: &[usize],
    ) -> Option<&'h str> {
        starts.iter().find_map(|&at| {
            let input = Input::new(text).range(at..).anchored(Anchored::Yes);
            vm.find(cache, input).map(|m| &text[m.range()])
        })
    }
}

/// Which of a pattern's automata runs (each has its own matching cache).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reading {
    /// The pattern's own.
    Own,
    /// Its common-script reading.
    Common,
}

/// Patterns no longer than this may be [small](is_small).
const SMALL_TEXT: usize = 2048;

/// Whether the automaton of a pattern (`hir`: its case-sensitive reading) is known to stay far
/// below [`SIZE_LIMIT`](super::SIZE_LIMIT) without building it: no counted repetition (`{2,}`, `{1,40}`) and no
/// class beyond a few ASCII ranges and single characters (`\w`, `.` and `[^...]` are thousands
/// of ranges), so that its size grows at most linearly with its length, which is bounded. The
/// others are built when the taxonomy is read, where the limit is checked.
pub(super) fn is_small(hir: &Hir, text: &str) -> bool {
    text.len() <= SMALL_TEXT && grows_linearly(hir)
}

/// No counted repetition and no class beyond a few ASCII ranges and single characters.
fn grows_linearly(hir: &Hir) -> bool {
    use regex_syntax::hir::{Class, HirKind};
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
            r.min <= 1 && r.max.is_none_or(|m| m <= 1) && grows_linearly(&r.sub)
        }
        HirKind::Capture(c) => grows_linearly(&c.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().all(grows_linearly),
    }
}

#[cfg(test)]
mod tests {
    use crate::pattern::tests::{compile, try_compile};
    use crate::pattern::PatternSet;

    #[test]
    fn a_text_too_long_for_the_backtracker_is_searched_by_the_pikevm() {
        let pattern = compile(r"\bkeys?( \w+){1,3} rotation\b");
        let text = format!("{} key material rotation", "word ".repeat(40_000));
        let vm = pattern.engine.vm.get();
        assert!(
            vm.backtrack.max_haystack_len() < text.len(),
            "the fallback is exercised"
        );
        let mut cache = vm.create_cache();
        let found = super::Engine::find(vm, &mut cache, &text);
        assert_eq!(found, Some("key material rotation"));
        assert!(cache.pike.is_some(), "the PikeVM searched it");
        let short = "a key material rotation";
        let mut cache = vm.create_cache();
        assert_eq!(
            super::Engine::find(vm, &mut cache, short),
            Some("key material rotation")
        );
        assert!(cache.pike.is_none(), "the backtracker searched it");
    }

    #[test]
    fn a_known_pattern_builds_each_automaton_when_first_needed_unless_it_may_be_large() {
        let mut compiler = crate::pattern::PatternCompiler::new();
        let mut again = |p: &crate::pattern::Pattern| {
            compiler
                .known(&p.text, p.source.clone(), &p.known())
                .expect("sets up")
        };
        let small = again(&compile(r"\b(smart contracts?|chaincode)\b"));
        let classes = again(&compile(r"\binteroperab\w*"));
        let large = again(&compile(r"\b\w{1,40}\b"));
        assert_eq!(small.engine.shape, super::Shape::Small);
        assert!(small.engine.vm.vm.get().is_none() && small.engine.common.is_none());
        let common = classes
            .engine
            .common
            .as_ref()
            .expect("a common-script automaton");
        assert!(common.vm.get().is_none(), "not built until a text needs it");
        assert!(classes.engine.vm.vm.get().is_none());
        assert!(
            large.engine.vm.vm.get().is_some(),
            "built at once, as compiled"
        );
        let set = PatternSet::new(&[&small, &classes]);
        let mut cache = set.cache();
        assert_eq!(
            set.matches(&mut cache, "A Smart Contract for interoperability"),
            vec![(0, "Smart Contract"), (1, "interoperability")]
        );
        assert!(common.vm.get().is_some() && classes.engine.vm.vm.get().is_none());
    }

    #[test]
    fn each_automaton_is_built_when_first_needed_unless_it_may_be_large() {
        let small = compile(r"\b(smart contracts?|chaincode)\b");
        let classes = compile(r"\binteroperab\w*");
        let counted = compile(r"\bkeys?( \w+){1,3} rotation\b");
        let large = compile(r"\b\w{1,40}\b");
        assert!(small.engine.vm.vm.get().is_none(), "small: deferred");
        assert!(small.engine.common.is_none(), "small: one automaton");
        for (pattern, what) in [
            (&classes, "a Unicode class"),
            (&counted, "a few repetitions of one"),
        ] {
            assert!(
                pattern.engine.common.is_some(),
                "{what}: a common-script automaton, built now"
            );
            assert!(
                pattern.engine.vm.vm.get().is_none(),
                "{what}: its own, deferred"
            );
        }
        assert!(
            large.engine.vm.vm.get().is_some(),
            "a size bound beyond half the limit: built at once, where the limit is checked"
        );
        // A deferred pattern still reports its errors when it is read.
        assert!(try_compile("smart (contracts").is_err());
        let set = PatternSet::new(&[&small, &classes]);
        let mut cache = set.cache();
        assert_eq!(
            set.matches(&mut cache, "A Smart Contract for interoperability"),
            vec![(0, "Smart Contract"), (1, "interoperability")]
        );
        // Built by the match, and shared with the pattern it came from; a text of common
        // characters needs no other automaton.
        assert!(small.engine.vm.vm.get().is_some());
        assert!(classes.engine.vm.vm.get().is_none());
        assert_eq!(
            set.matches(
                &mut cache,
                "Interoperabilität der Ledger (Ökosystem, Ελλάδα)"
            ),
            vec![(1, "Interoperabilität")]
        );
        assert!(
            classes.engine.vm.vm.get().is_some(),
            "a Greek letter needs it"
        );
    }
}
