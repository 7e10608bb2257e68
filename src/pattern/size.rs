//! An upper bound of the size of a pattern's NFA, found without building it: a pattern whose bound
//! is well below the size limit cannot exceed it, so its NFA can wait until a text needs it.
//!
//! The bound is the size of the empty pattern's NFA (the start states and implicit capture every
//! NFA has) plus the parts of the pattern's case-insensitive reading (where a letter is already
//! a class of its cases): a state or two per empty match, look-around assertion, capture or
//! alternative, and per byte of a literal; for a class, the size of its own NFA,
//! built once per distinct class (a taxonomy has a few dozen: `\w`, `\S`, `.`, `[Ss]`, ...); a
//! counted repetition multiplies its part by its count. The NFA compiler shares states between
//! the parts of one pattern, never adds any, so the sum bounds it from above.

use std::collections::HashMap;

use regex_automata::nfa::thompson;
use regex_syntax::hir::{Class, Hir, HirKind};

/// Bytes one state takes, at most, besides its transitions (`(?:)`, `\b`, a capture's slot, an
/// alternative's branch).
const STATE: usize = 64;

/// Bytes one byte of a literal takes, at most: a state and its transition.
const LITERAL_BYTE: usize = 2 * STATE;

/// The NFA size of each distinct class seen so far, and of the empty pattern (what every NFA
/// has: its start states and the implicit capture), in bytes.
#[derive(Debug, Default)]
pub(super) struct ClassSizes {
    classes: HashMap<ClassKey, usize>,
    empty: Option<usize>,
}

/// A class, by its ranges (`regex_syntax`'s classes are not `Hash`).
#[derive(Debug, PartialEq, Eq, Hash)]
enum ClassKey {
    Unicode(Vec<(char, char)>),
    Bytes(Vec<(u8, u8)>),
}

impl ClassSizes {
    /// An upper bound, in bytes, of the NFA that `nfa` builds from `hir` (`usize::MAX` when a
    /// class alone is beyond `nfa`'s limit).
    pub(super) fn bound(&mut self, hir: &Hir, nfa: &thompson::Compiler) -> usize {
        let empty = *self
            .empty
            .get_or_insert_with(|| size_of_nfa(&Hir::empty(), nfa));
        empty.saturating_add(self.parts(hir, nfa))
    }

    /// The bound of `hir` without what every NFA has.
    fn parts(&mut self, hir: &Hir, nfa: &thompson::Compiler) -> usize {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => STATE,
            HirKind::Literal(literal) => literal.0.len().saturating_mul(LITERAL_BYTE),
            HirKind::Class(class) => self.class(class, nfa),
            HirKind::Repetition(r) => {
                // `{n,m}` is m copies of its part; `{n,}` is n copies and one repeated.
                let copies = r.max.unwrap_or(r.min.saturating_add(1)) as usize;
                copies.saturating_mul(self.parts(&r.sub, nfa).saturating_add(STATE))
            }
            HirKind::Capture(c) => self.parts(&c.sub, nfa).saturating_add(2 * STATE),
            HirKind::Concat(parts) => parts
                .iter()
                .map(|part| self.parts(part, nfa))
                .fold(STATE, usize::saturating_add),
            HirKind::Alternation(parts) => parts
                .iter()
                .map(|part| self.parts(part, nfa).saturating_add(STATE))
                .fold(STATE, usize::saturating_add),
        }
    }

    /// The size of the NFA of `class` alone (built once per class).
    fn class(&mut self, class: &Class, nfa: &thompson::Compiler) -> usize {
        let key = match class {
            Class::Unicode(c) => {
                ClassKey::Unicode(c.iter().map(|r| (r.start(), r.end())).collect())
            }
            Class::Bytes(c) => ClassKey::Bytes(c.iter().map(|r| (r.start(), r.end())).collect()),
        };
        *self
            .classes
            .entry(key)
            .or_insert_with(|| size_of_nfa(&Hir::class(class.clone()), nfa))
    }
}

/// The size of the NFA of `hir`, in bytes (`usize::MAX` beyond `nfa`'s limit).
fn size_of_nfa(hir: &Hir, nfa: &thompson::Compiler) -> usize {
    nfa.build_from_hir(hir)
        .map_or(usize::MAX, |built| built.memory_usage())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::{parse, translate, PatternCompiler, Reading, SIZE_LIMIT};

    /// The bound and the size of the NFA actually built.
    fn bound_and_size(
        text: &str,
        sizes: &mut ClassSizes,
        compiler: &mut PatternCompiler,
    ) -> (usize, usize) {
        let ast = parse(text).expect("parses");
        let hir = translate(text, &ast, true).expect("translates");
        let bound = sizes.bound(&hir, &compiler.nfa);
        let size = compiler
            .vm(text, Reading::Own)
            .expect("compiles")
            .nfa()
            .memory_usage();
        (bound, size)
    }

    #[test]
    fn the_bound_is_above_the_size_of_every_shipped_pattern_and_of_hard_cases() {
        let taxonomy =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/inputs/taxonomy.yaml"))
                .unwrap();
        let quoted = regex::Regex::new(r"^\s*-\s*'(.*)'\s*$").unwrap();
        let mut patterns: Vec<String> = taxonomy
            .lines()
            .filter_map(|line| quoted.captures(line).map(|c| c[1].replace("''", "'")))
            .collect();
        assert!(patterns.len() > 500, "{} patterns read", patterns.len());
        // Repeated classes (where the bound is tightest), case folding beyond ASCII (KELVIN
        // SIGN, LONG S), large Unicode classes, nested and unbounded repetitions.
        for hard in [
            r"\w{1,40}",
            r"(\w+ ){0,3}x",
            r"\p{L}{5}",
            r"[^a]{3,}",
            r".{0,60}",
            r"((a|b)+c){2,4}",
            "kkkkkkkks\u{17F}",
            r"é+ü*ß",
            r"(?-i:DID)\b",
        ] {
            patterns.push(hard.to_string());
        }
        let mut sizes = ClassSizes::default();
        let mut compiler = PatternCompiler::unlimited();
        for text in &patterns {
            let (bound, size) = bound_and_size(text, &mut sizes, &mut compiler);
            assert!(bound >= size, "{text}: bound {bound} < size {size}");
        }
    }

    #[test]
    fn a_pattern_beyond_the_limit_has_a_bound_beyond_it() {
        let mut sizes = ClassSizes::default();
        let mut compiler = PatternCompiler::unlimited();
        let (bound, size) = bound_and_size(r"\w{1,400}", &mut sizes, &mut compiler);
        assert!(
            size > SIZE_LIMIT && bound >= size,
            "bound {bound}, size {size}"
        );
    }
}
