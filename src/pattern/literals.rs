//! The needles of a pattern: literals of which every match contains one, from `regex_syntax`'s
//! literal extractor (prefixes, else suffixes, else literals from inside the pattern), so that a
//! pattern runs only on the texts that contain one.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::Hir;

/// Needles are cut to this many bytes: a smaller automaton, built faster, for a few more
/// candidates to run.
const NEEDLE_LEN: usize = 12;

/// The shortest literal from inside or at the end of a pattern used as its needle: shorter ones
/// (a dash, a space) occur in almost every text, so the pattern runs on every text anyway.
const MIN_INNER_NEEDLE: usize = 3;

/// Where a pattern's matches are to be looked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct Needles {
    /// Lowercase ASCII literals of which every match contains one; `None`: no such list.
    pub(super) any_of: Option<Vec<String>>,
    /// Every match starts with one of `any_of` (they are its prefixes, not its suffixes): it needs
    /// to run only where a needle occurs, anchored there.
    pub(super) at_start: bool,
    /// Lowercase ASCII literals every match ends with, when `any_of` are its prefixes: a
    /// candidate runs only if the text also has one of these ("blockchain ... concepts" needs
    /// `concept` as well as `blockchain`).
    pub(super) ends_with: Option<Vec<String>>,
}

/// The needles of a pattern whose case-sensitive reading is `hir` (`None`: it has none, and
/// runs on every text).
pub(super) fn needles(hir: Option<&Hir>) -> Needles {
    let Some(hir) = hir else {
        return Needles::default();
    };
    let (prefixes, suffixes) = (
        literals(hir, ExtractKind::Prefix),
        literals(hir, ExtractKind::Suffix),
    );
    // Away from the match's start, a literal is worth checking only if it is not too common.
    let long = |l: &Vec<String>| l.iter().all(|n| n.len() >= MIN_INNER_NEEDLE);
    match prefixes {
        Some(p) => Needles {
            ends_with: suffixes.filter(|s| long(s) && *s != p),
            any_of: Some(p),
            at_start: true,
        },
        None => Needles {
            any_of: suffixes.or_else(|| literals_inside(hir).filter(long)),
            at_start: false,
            ends_with: None,
        },
    }
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

#[cfg(test)]
mod tests {
    use crate::pattern::tests::{assert_same_as_regex, compile};

    #[test]
    fn needles_come_from_inside_a_pattern_when_it_starts_and_ends_with_classes() {
        let p = compile(r"\b\w{3,} cyber[- ]?security\s*[—–-]");
        // The longest required literal (the most selective, most likely).
        assert_eq!(p.engine.needles.any_of, Some(vec!["security".to_string()]));
        assert!(!p.engine.needles.at_start);
        let p = compile(r"\b(\w{3,} security and privacy|privacy and security|[a-z]+ audits?)\b");
        assert_eq!(
            p.engine.needles.any_of,
            Some(vec![
                " audit".to_string(),
                " and privacy".to_string(),
                "and security".to_string()
            ])
        );
        // Only a dash or a space inside: no better than running on every text.
        assert!(compile(r"\w+[- ]\w+").engine.needles.any_of.is_none());
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
}
