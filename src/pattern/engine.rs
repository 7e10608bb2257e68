//! What runs one pattern: its PikeVM, built when the taxonomy is read or, for a pattern known to
//! be small, the first time a text needs it.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use regex_automata::nfa::thompson::{self, pikevm::PikeVM};
use regex_automata::{Anchored, Input};
use regex_syntax::hir::Hir;

use super::literals::Needles;
use super::PatternCompiler;

/// What runs a pattern on a text (cheap to clone: the NFA is shared).
#[derive(Debug, Clone)]
pub(super) struct Engine {
    pub(super) vm: Arc<LazyVm>,
    /// Where its matches are to be looked for.
    pub(super) needles: Needles,
}

/// A pattern's PikeVM. A pattern whose automaton is known to be small before it is built (see
/// [`is_small`]) is compiled the first time a text needs it: most patterns are never a candidate
/// for any item of a report, and their compilation was most of reading the taxonomy.
#[derive(Debug)]
pub(super) struct LazyVm {
    text: String,
    vm: OnceLock<PikeVM>,
}

impl LazyVm {
    pub(super) fn compiled(vm: PikeVM, text: &str) -> LazyVm {
        LazyVm {
            text: text.to_string(),
            vm: OnceLock::from(vm),
        }
    }

    pub(super) fn deferred(text: &str) -> LazyVm {
        LazyVm {
            text: text.to_string(),
            vm: OnceLock::new(),
        }
    }

    /// The PikeVM, compiled now if it was deferred.
    pub(super) fn get(&self) -> &PikeVM {
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
    static LAZY_COMPILER: RefCell<PatternCompiler> = RefCell::new(PatternCompiler::new());
}

impl Engine {
    /// The leftmost-first match in `text`, as the regex crate finds it.
    pub(super) fn find<'h>(
        &self,
        cache: &mut thompson::pikevm::Cache,
        text: &'h str,
    ) -> Option<&'h str> {
        self.vm.get().find(cache, text).map(|m| &text[m.range()])
    }

    /// The leftmost-first match among those starting at one of `starts` (ascending): since
    /// every match starts at a needle, the same match as [`Engine::find`] finds.
    pub(super) fn find_at<'h>(
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
}
