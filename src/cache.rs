//! What compiling the taxonomy's patterns found, kept between runs: a file in the user's cache
//! folder, so that a run whose taxonomy has not changed sets its patterns up without parsing
//! them again (most of `check`'s time otherwise). It never changes a result: an entry is used
//! only for the exact text it was made from, by the same `gapreport` binary, and a missing,
//! unreadable, foreign or altered file is simply not used.
//!
//! The file is three parts: a line naming the binary that wrote it, a line with the checksum of
//! the rest, and the rest, a JSON object of what compiling each pattern found, by its text.
//!
//! The folder is `$GAPREPORT_CACHE_DIR`, else `$XDG_CACHE_HOME/gapreport`, else
//! `$HOME/.cache/gapreport`; `GAPREPORT_CACHE_DIR=` (empty) turns the cache off.

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::PathBuf;

use crate::model::{Pattern, Taxonomy};
use crate::output::OutputFile;
use crate::pattern::Known;

/// The cache file's name; the number changes when its format does.
const FILE: &str = "patterns-2";

/// What compiling each pattern of an earlier run found, by the pattern's text.
#[derive(Debug, Default)]
pub struct KnownPatterns {
    patterns: BTreeMap<String, Known>,
}

impl KnownPatterns {
    /// What compiling `text` found in an earlier run, if it was compiled by this binary.
    pub fn get(&self, text: &str) -> Option<&Known> {
        self.patterns.get(text)
    }

    /// Reads the cache file; empty when there is none, it cannot be read, another binary wrote
    /// it, or it was altered since (its checksum does not match).
    pub fn read() -> KnownPatterns {
        let read = || -> Option<KnownPatterns> {
            let bytes = std::fs::read(folder()?.join(FILE)).ok()?;
            let (writer, rest) = first_line(&bytes)?;
            let (sum, json) = first_line(rest)?;
            if writer != binary()?.as_bytes() || sum != checksum(json).as_bytes() {
                return None;
            }
            let patterns = serde_json::from_slice(json).ok()?;
            Some(KnownPatterns { patterns })
        };
        read().unwrap_or_default()
    }

    /// How many of `taxonomy`'s patterns were set up from this cache, and how many compiled.
    pub fn counts(&self, taxonomy: &Taxonomy) -> (usize, usize) {
        let patterns = all_patterns(taxonomy);
        let known = patterns
            .iter()
            .filter(|p| self.get(&p.text).is_some())
            .count();
        (known, patterns.len() - known)
    }

    /// Writes what compiling `taxonomy`'s patterns found, unless every one of them was already
    /// known, atomically as the outputs are ([`crate::output::write_all`]). Best effort: a cache
    /// that cannot be written is no error.
    pub fn remember(&self, taxonomy: &Taxonomy) {
        let patterns = all_patterns(taxonomy);
        if patterns.iter().all(|p| self.get(&p.text).is_some()) {
            return;
        }
        let (Some(dir), Some(binary)) = (folder(), binary()) else {
            return;
        };
        let known: BTreeMap<&str, Known> = patterns
            .iter()
            .map(|p| (p.text.as_str(), p.known()))
            .collect();
        let Ok(json) = serde_json::to_vec(&known) else {
            return;
        };
        let mut bytes = format!("{binary}\n{}\n", checksum(&json)).into_bytes();
        bytes.extend(json);
        let _ = crate::output::write_all(&dir, &[OutputFile::new(FILE, bytes)]);
    }
}

/// The line `bytes` starts with, without its newline, and what follows it.
fn first_line(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let end = bytes.iter().position(|&b| b == b'\n')?;
    Some((&bytes[..end], &bytes[end + 1..]))
}

/// A checksum of `bytes`, as hexadecimal digits: the standard library's hash, which may differ
/// between Rust releases, but a cache is only read by the binary that wrote it.
fn checksum(bytes: &[u8]) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(bytes);
    format!("{:016x}", hasher.finish())
}

/// Every pattern of the taxonomy, in every list.
fn all_patterns(taxonomy: &Taxonomy) -> Vec<&Pattern> {
    let topics = taxonomy.topics.iter().flat_map(|t| {
        t.patterns
            .iter()
            .chain(&t.exclude)
            .chain(t.patterns_in_context.iter().map(|(_, p)| p))
    });
    taxonomy
        .security_patterns
        .iter()
        .chain(&taxonomy.security_false_friends)
        .chain(taxonomy.contexts.iter().flat_map(|c| &c.patterns))
        .chain(topics)
        .collect()
}

/// The cache folder, or `None` when there is none (or it is turned off).
fn folder() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = std::env::var_os("GAPREPORT_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    var("XDG_CACHE_HOME")
        .map(|d| PathBuf::from(d).join("gapreport"))
        .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".cache/gapreport")))
}

/// This binary: version, size and modification time of the executable, so that a rebuilt or
/// upgraded `gapreport` never uses what another one found.
fn binary() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "{} {} {}",
        env!("CARGO_PKG_VERSION"),
        meta.len(),
        modified.as_nanos()
    ))
}
