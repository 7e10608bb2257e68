//! The cache of compiled patterns between runs (`GAPREPORT_CACHE_DIR`): the first run writes it,
//! the next sets every pattern up from it, and no output depends on it; a cache written by
//! another binary, one altered since it was written, or one that cannot be read, is not used.

mod common;

use std::path::Path;

use common::{fixture_with, gapreport_with};

const FILE: &str = "patterns-2";
const FORMATS: [&str; 4] = ["report.json", "coverage.csv", "report.html", "report.pdf"];

/// Builds `dir` into `dir/<out>` with the cache in `cache` ("" turns it off); returns the
/// "patterns: ..." line the build prints with `GAPREPORT_TIMINGS`.
fn build(dir: &Path, out: &str, cache: &Path) -> String {
    let cache = cache.to_str().unwrap();
    let env = [("GAPREPORT_CACHE_DIR", cache), ("GAPREPORT_TIMINGS", "1")];
    let run = gapreport_with(dir, &["build", "--inputs", ".", "--out", out], &env);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = run.stderr.lines().find(|l| l.starts_with("patterns: "));
    line.expect("the patterns line").to_string()
}

/// The cache file's three parts: the binary that wrote it, the checksum, and the JSON of what
/// compiling each pattern found.
fn parts(cache: &Path) -> (String, String, serde_json::Value) {
    let text = std::fs::read_to_string(cache.join(FILE)).unwrap();
    let mut lines = text.splitn(3, '\n');
    let mut next = || lines.next().expect("three parts").to_string();
    let (binary, sum) = (next(), next());
    (binary, sum, serde_json::from_str(&next()).unwrap())
}

fn write_parts(cache: &Path, (binary, sum, json): (&str, &str, &serde_json::Value)) {
    std::fs::write(cache.join(FILE), format!("{binary}\n{sum}\n{json}")).unwrap();
}

fn outputs(dir: &Path, out: &str) -> Vec<Vec<u8>> {
    FORMATS
        .iter()
        .map(|f| std::fs::read(dir.join(out).join(f)).unwrap())
        .collect()
}

/// The fixture's patterns: 3 security patterns, 6 topic patterns and 1 exclude.
const PATTERNS: usize = 10;

#[test]
fn the_second_run_sets_every_pattern_up_from_the_cache_and_writes_the_same_bytes() {
    let dir = fixture_with(None);
    let cache = tempfile::tempdir().unwrap();
    let first = build(dir.path(), "cold", cache.path());
    assert_eq!(
        first,
        format!("patterns: 0 set up from the cache, {PATTERNS} compiled")
    );
    let (_, _, file) = parts(cache.path());
    let known = file.as_object().unwrap();
    assert!(known.contains_key(r"\bidentit(y|ies)\b"), "{known:?}");
    assert_eq!(known["object identifier"]["shape"], "small");
    let second = build(dir.path(), "warm", cache.path());
    assert_eq!(
        second,
        format!("patterns: {PATTERNS} set up from the cache, 0 compiled")
    );
    let off = build(dir.path(), "off", Path::new(""));
    assert_eq!(
        off,
        format!("patterns: 0 set up from the cache, {PATTERNS} compiled")
    );
    let cold = outputs(dir.path(), "cold");
    assert_eq!(cold, outputs(dir.path(), "warm"), "cold and warm cache");
    assert_eq!(cold, outputs(dir.path(), "off"), "with and without a cache");
}

#[test]
fn a_cache_of_another_binary_altered_or_unreadable_is_not_used_and_is_replaced() {
    let dir = fixture_with(None);
    let cache = tempfile::tempdir().unwrap();
    build(dir.path(), "out", cache.path());
    let (binary, sum, mut json) = parts(cache.path());
    write_parts(cache.path(), ("0.0.0 1 1", &sum, &json));
    let foreign = build(dir.path(), "out", cache.path());
    assert!(
        foreign.ends_with(&format!("{PATTERNS} compiled")),
        "{foreign}"
    );
    // Written back as read, it is used; an entry edited by hand (its needles emptied) no longer
    // matches the checksum.
    let (_, sum, _) = parts(cache.path());
    write_parts(cache.path(), (&binary, &sum, &json));
    let as_read = build(dir.path(), "out", cache.path());
    assert!(as_read.ends_with(" 0 compiled"), "{as_read}");
    json[r"\bidentit(y|ies)\b"]["needles"] = serde_json::json!([]);
    write_parts(cache.path(), (&binary, &sum, &json));
    let altered = build(dir.path(), "out", cache.path());
    assert!(
        altered.ends_with(&format!("{PATTERNS} compiled")),
        "{altered}"
    );
    std::fs::write(cache.path().join(FILE), b"{ not json").unwrap();
    let broken = build(dir.path(), "out", cache.path());
    assert!(
        broken.ends_with(&format!("{PATTERNS} compiled")),
        "{broken}"
    );
    let again = build(dir.path(), "out", cache.path());
    assert_eq!(
        again,
        format!("patterns: {PATTERNS} set up from the cache, 0 compiled")
    );
}

#[test]
fn a_changed_taxonomy_compiles_only_its_new_patterns_and_reports_broken_ones() {
    let dir = fixture_with(None);
    let cache = tempfile::tempdir().unwrap();
    build(dir.path(), "out", cache.path());
    let taxonomy = dir.path().join("taxonomy.yaml");
    let text = std::fs::read_to_string(&taxonomy).unwrap();
    let changed = text.replace(r"['\benergy\b']", r"['\benergy\b', '\bsmart grids?\b']");
    assert_ne!(changed, text);
    std::fs::write(&taxonomy, &changed).unwrap();
    let line = build(dir.path(), "out", cache.path());
    assert_eq!(
        line,
        format!("patterns: {PATTERNS} set up from the cache, 1 compiled")
    );
    // A broken pattern is reported whatever the cache holds.
    std::fs::write(
        &taxonomy,
        changed.replace(r"\bsmart grids?\b", "smart (grids"),
    )
    .unwrap();
    let run = gapreport_with(
        dir.path(),
        &["check", "--inputs", "."],
        &[("GAPREPORT_CACHE_DIR", cache.path().to_str().unwrap())],
    );
    run.assert_error(1, "regex `smart (grids` does not compile");
}
