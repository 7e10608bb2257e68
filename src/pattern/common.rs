//! The common-script reading of a pattern: every Unicode class narrowed to the characters titles
//! are written in (ASCII, Latin-1, Latin Extended-A and -B, general punctuation such as dashes
//! and quotes). On a text made only of those characters it matches exactly what the pattern
//! matches, since a narrowed class keeps every one of them it had, and literals and word
//! boundaries are left as they are; its automaton is a fraction of the size (`\w` alone is some
//! 700 ranges of Unicode, a few dozen once narrowed), so it is built when the taxonomy is read,
//! and the pattern's own automaton only when a text with another character needs it.

use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition,
};

/// The common characters, as ranges.
const COMMON: [(char, char); 2] = [('\0', '\u{24F}'), ('\u{2000}', '\u{206F}')];

/// Whether every character of `text` is a common one.
pub(super) fn is_common(text: &str) -> bool {
    text.chars()
        .all(|c| COMMON.iter().any(|&(first, last)| first <= c && c <= last))
}

/// `hir` with every Unicode class narrowed to the common characters, or `None` when that changes
/// no class (the pattern's own automaton is as small).
pub(super) fn narrowed(hir: &Hir) -> Option<Hir> {
    let common = ClassUnicode::new(
        COMMON
            .iter()
            .map(|&(first, last)| ClassUnicodeRange::new(first, last)),
    );
    let mut changed = false;
    let narrow = narrow(hir, &common, &mut changed);
    changed.then_some(narrow)
}

fn narrow(hir: &Hir, common: &ClassUnicode, changed: &mut bool) -> Hir {
    let mut sub = |h: &Hir| Box::new(narrow(h, common, changed));
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            let mut narrowed = class.clone();
            narrowed.intersect(common);
            *changed |= narrowed != *class;
            Hir::class(Class::Unicode(narrowed))
        }
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: sub(&r.sub),
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            index: c.index,
            name: c.name.clone(),
            sub: sub(&c.sub),
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(|p| *sub(p)).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(|p| *sub(p)).collect()),
        HirKind::Empty
        | HirKind::Literal(_)
        | HirKind::Look(_)
        | HirKind::Class(Class::Bytes(_)) => hir.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::tests::assert_same_as_regex;

    #[test]
    fn common_texts_are_latin_and_punctuation() {
        assert!(is_common("Sécurité — “Zürich” ledgers, ISO/IEC 27001…"));
        assert!(!is_common("Ασφάλεια"));
        assert!(!is_common("区块链"));
        assert!(!is_common("\u{212A}elvin"));
    }

    #[test]
    fn a_narrowed_pattern_matches_as_the_pattern_does_on_any_text() {
        // The set switches to the pattern's own automaton on a text with another character,
        // so both readings are checked against the regex crate on every kind of text.
        assert_same_as_regex(
            &[
                r"\binteroperab\w*",
                r"(^|[^\w\s]\s*)security\b",
                r"\bkeys?( \w+){1,3} rotation\b",
                r"[\w-]+chain",
            ],
            &[
                "Interoperability of ledgers",
                "Interopérabilité — security",
                "— security and privacy",
                "keys for Ασφάλεια rotation",
                "Keys of Zürich rotation",
                "side-chain and 区块链 chain",
                "\u{212A}eys of x rotation",
            ],
        );
    }
}
