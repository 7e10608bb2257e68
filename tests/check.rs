//! `gapreport check` and `build` on valid and invalid inputs: one fixture folder per error class
//! under `tests/fixtures/invalid/`, the exact diagnostics pinned as snapshots.

mod common;

use common::{fixture_with, gapreport};

/// Runs `check` on the valid fixture overlaid with `case`; returns the diagnostics.
fn check_fails(case: &str) -> String {
    let dir = fixture_with(Some(&format!("invalid/{case}")));
    let run = gapreport(dir.path(), &["check", "--inputs", "."]);
    assert_eq!(run.code, 1, "{case}: expected exit 1\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stderr
}

macro_rules! error_class {
    ($($name:ident => $case:literal,)*) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!($case, check_fails($case));
        }
    )*};
}

error_class! {
    yaml_syntax => "yaml-syntax",
    yaml_mistakes_get_their_own_fix => "yaml-mistakes",
    double_quoted_regex_escapes => "double-quoted-regex",
    unknown_key_suggests_nearest => "unknown-key",
    bad_status => "bad-status",
    bad_priority_and_approval => "bad-priority",
    bad_dates => "bad-date",
    missing_required_keys => "missing-key",
    blank_required_values_and_padded_ids => "blank-values",
    duplicate_item_ids_name_both_places => "duplicate-id",
    unknown_manual_topic => "unknown-topic",
    unresolved_body_and_liaison_names => "unresolved-body",
    bad_regex => "bad-regex",
    patterns_matching_the_empty_text => "empty-match",
    patterns_matching_no_text => "never-match",
    bad_contexts => "bad-context",
    unterminated_front_matter => "unterminated-front-matter",
    empty_file => "empty-file",
    non_utf8_file => "non-utf8",
    missing_file => "missing-file",
    alias_bomb => "alias-bomb",
    wrong_types => "wrong-type",
    every_problem_in_one_run => "many-problems",
    an_item_missing_a_key_has_its_other_values_checked => "broken-item",
    a_topic_missing_a_key_has_its_patterns_checked => "broken-topic",
}

/// Runs `check` on the valid fixture overlaid with `warnings/<case>`: the run passes and prints
/// the warnings, which are returned; `--strict` fails on them.
fn check_warns(case: &str) -> String {
    let dir = fixture_with(Some(&format!("warnings/{case}")));
    let run = gapreport(dir.path(), &["check", "--inputs", "."]);
    assert_eq!(
        run.code, 0,
        "{case}: a warning does not fail check\n{}",
        run.stderr
    );
    assert!(run.stdout.starts_with("ok: "), "{}", run.stdout);
    let strict = gapreport(dir.path(), &["check", "--inputs", ".", "--strict"]);
    assert_eq!(
        strict.code, 1,
        "{case}: --strict fails on warnings\n{}",
        strict.stderr
    );
    run.stderr
}

macro_rules! warning_class {
    ($($name:ident => $case:literal,)*) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!($case, check_warns($case));
        }
    )*};
}

warning_class! {
    // `ieee/` and `standards/drafts/NOTES.MD` are named; `out/`, `schemas/`, `images/` and the
    // hidden `.drafts/` are not.
    folders_beside_the_landscape_holding_inputs => "unread-folder",
    // Prose values (title, summary, notes) cut by ` #` are named; comments after ids, statuses,
    // dates, stages and priorities, after a quoted value, after two spaces or on a line of their
    // own are not.
    prose_cut_short_by_a_comment => "cut-by-comment",
}

#[test]
fn valid_fixture_checks_clean() {
    let dir = fixture_with(None);
    let run = gapreport(dir.path(), &["check", "--inputs", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "ok: 8 files, 7 items (2 work items, 5 landscape items), 5 bodies, 5 topics"
    );
}

#[test]
fn files_no_step_reads_are_named() {
    let dir = fixture_with(None);
    let root = dir.path();
    std::fs::rename(
        root.join("landscape/ieee.yaml"),
        root.join("landscape/IEEE.YAML"),
    )
    .unwrap();
    std::fs::write(root.join("landscape/ieee.txt"), "org: IEEE\n").unwrap();
    std::fs::write(root.join("work-programme.yml"), "items: []\n").unwrap();
    std::fs::write(root.join("notes.yaml"), "a: 1\n").unwrap();
    std::fs::write(root.join("README.md"), "# About these inputs\n").unwrap();
    std::fs::create_dir(root.join("landscapes")).unwrap();
    std::fs::create_dir(root.join("images")).unwrap();
    // Beside `report.yaml`, on a case-sensitive file system, another file; on a case-insensitive
    // one, the same file, which is read.
    let report = std::fs::read_to_string(root.join("report.yaml")).unwrap();
    std::fs::write(root.join("Report.yaml"), report).unwrap();
    let case_sensitive =
        !same_file::is_same_file(root.join("Report.yaml"), root.join("report.yaml")).unwrap();
    let run = gapreport(root, &["check", "--inputs", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The upper-case extension is read: all 5 landscape items are there.
    assert!(run.stdout.contains("5 landscape items"), "{}", run.stdout);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": warning: "))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    let mut expected = vec![
        "landscape/ieee.txt",
        "landscapes/",
        "notes.yaml",
        "work-programme.yml",
    ];
    if case_sensitive {
        expected.insert(0, "Report.yaml");
        assert!(run.stderr.contains(
            "only `report.yaml` is read (names are case-sensitive here): merge the two files"
        ));
    }
    assert_eq!(warnings, expected, "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `work-programme.yaml`?"));
    assert!(run.stderr.contains("did you mean `landscape/`?"));
}

#[test]
fn a_required_file_named_in_another_case_is_to_be_renamed() {
    let dir = fixture_with(None);
    let root = dir.path();
    std::fs::rename(root.join("taxonomy.yaml"), root.join("Taxonomy.yaml")).unwrap();
    if root.join("taxonomy.yaml").exists() {
        return; // a case-insensitive file system reads it
    }
    let run = gapreport(root, &["check", "--inputs", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("help: names are case-sensitive here: rename it to `taxonomy.yaml`"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("merge the two files"),
        "{}",
        run.stderr
    );
}

#[test]
fn merge_keys_share_values_between_items() {
    let dir = fixture_with(None);
    let file = dir.path().join("landscape/ieee.yaml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str(
        "  - &p2\n    id: P2.1\n    title: Voting records\n    status: proposed\n    body: IEEE P1 Working Group\n  - <<: *p2\n    id: P2.2\n    title: Energy records\n",
    );
    std::fs::write(&file, text).unwrap();
    let run = gapreport(dir.path(), &["explain", "--inputs", ".", "P2.2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("title:    Energy records"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("status:   proposed"), "{}", run.stdout);
    assert!(
        run.stdout.contains("(IEEE item of IEEE P1 Working Group)"),
        "{}",
        run.stdout
    );
}

#[test]
fn markdown_the_report_cannot_show_is_warned() {
    let dir = fixture_with(None);
    let append = |file: &str, text: &str| {
        let path = dir.path().join(file);
        let before = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, before + text).unwrap();
    };
    append(
        "question.md",
        "\n![Roadmap](roadmap.png)\n\n<img src=\"chart.png\">\n",
    );
    append(
        "landscape/w3c.md",
        "\nSee [the charter](charter.md), [a mirror](ftp://x.org/a) and [W3C](https://www.w3.org/).\n\
         <script>x()</script>\n\nText a<br>b <sup>2</sup> <!-- note -->\n",
    );
    let run = gapreport(dir.path(), &["check", "--inputs", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.starts_with("  help"))
        .collect();
    assert_eq!(
        warnings,
        [
            "landscape/w3c.md:12:5: warning: link `charter.md` opens nothing from the report",
            "landscape/w3c.md:12:32: warning: link `ftp://x.org/a` opens nothing from the report",
            "landscape/w3c.md:13:1: warning: HTML `<script>` is removed from the report, with its content",
            "landscape/w3c.md:15:13: warning: HTML `<sup>` is not formatted in the PDF, which shows only its text",
            "question.md:17:1: warning: image `roadmap.png` is not shown: the report is one self-contained file, and the image's description stands in",
            "question.md:19:1: warning: an HTML image is not shown: the report is one self-contained file",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn strict_check_fails_on_warnings() {
    let dir = fixture_with(None);
    let clean = gapreport(dir.path(), &["check", "--inputs", ".", "--strict"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    std::fs::write(dir.path().join("landscape/ieee.txt"), "org: IEEE\n").unwrap();
    let lax = gapreport(dir.path(), &["check", "--inputs", "."]);
    assert_eq!(lax.code, 0, "{}", lax.stderr);
    let strict = gapreport(dir.path(), &["check", "--inputs", ".", "--strict"]);
    strict.assert_error(1, "landscape/ieee.txt: warning: not read");
    assert!(strict
        .stderr
        .ends_with("error: 1 warning, and --strict counts them as problems\n"));
    assert!(strict.stdout.is_empty(), "no ok summary: {}", strict.stdout);
}

#[test]
fn links_the_report_cannot_open_are_warned() {
    let dir = fixture_with(None);
    common::edit(
        dir.path(),
        "landscape/w3c.md",
        "links: [https://www.w3.org/TR/did-core/]",
        "links: [www.w3.org/TR/did-core/, 'ftp://x', 'https://x.org/a b', https://x.org/ok]",
    );
    let run = gapreport(dir.path(), &["check", "--inputs", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        warnings,
        [
            "landscape/w3c.md:8:13: warning: link `www.w3.org/TR/did-core/` is not a web address, so the report shows it as text",
            "  help: did you mean `https://www.w3.org/TR/did-core/`?",
            "landscape/w3c.md:8:38: warning: link `ftp://x` is not a web address, so the report shows it as text",
            "  help: write the full web address, starting with https://",
            "landscape/w3c.md:8:49: warning: link `https://x.org/a b` holds a space, where readers may cut the address",
            "  help: write a space in an address as %20",
        ]
    );
}

#[test]
fn shipped_inputs_check_clean() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = gapreport(root, &["check", "--inputs", "inputs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.is_empty(),
        "warnings on the shipped inputs:\n{}",
        run.stderr
    );
    let items: usize = run
        .stdout
        .split(", ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("summary line names the item count");
    assert!(items > 100, "{}", run.stdout);
}

/// A file that nests 200 000 levels deep ends with an error, not a stack overflow (it took over a
/// minute before the nesting was bounded; `cargo test` would show such a hang).
#[test]
fn deep_nesting_is_an_error() {
    let dir = fixture_with(None);
    let deep = format!(
        "org: IEEE\nbody: IEEE\nitems: {}{}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    std::fs::write(dir.path().join("landscape/ieee.yaml"), deep).unwrap();
    let run = gapreport(dir.path(), &["check", "--inputs", "."]);
    run.assert_error(1, "landscape/ieee.yaml:3:");
    run.assert_error(1, "recursion limit");
}

/// A file larger than the limit is refused without being read.
#[test]
fn huge_file_is_refused() {
    let dir = fixture_with(None);
    let file = std::fs::File::create(dir.path().join("landscape/huge.yaml")).unwrap();
    file.set_len(gapreport::load::MAX_FILE_BYTES + 1).unwrap();
    let run = gapreport(dir.path(), &["check", "--inputs", "."]);
    run.assert_error(1, "landscape/huge.yaml: error: file is too large");
}

/// Symbolic links (a loop here) are not followed; a linked input file is named in a warning.
#[cfg(unix)]
#[test]
fn symlink_loop_is_not_followed() {
    let dir = fixture_with(None);
    let landscape = dir.path().join("landscape");
    std::os::unix::fs::symlink(&landscape, landscape.join("loop")).unwrap();
    std::os::unix::fs::symlink(landscape.join("ieee.yaml"), landscape.join("linked.yaml")).unwrap();
    let run = gapreport(dir.path(), &["check", "--inputs", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        "landscape/linked.yaml: warning: symbolic link not followed; this file is not read\n  help: copy the file into landscape/ instead of linking it"
    );
}

/// A hidden landscape file, or a hidden folder of them, is not read, and named in a warning;
/// other hidden entries (an editor's swap file, `.DS_Store`, `.git/`) are passed over in silence.
#[test]
fn hidden_landscape_files_are_named() {
    let dir = fixture_with(None);
    let landscape = dir.path().join("landscape");
    let ieee = std::fs::read_to_string(landscape.join("ieee.yaml")).unwrap();
    std::fs::write(landscape.join("iso/.tc307-draft.yaml"), &ieee).unwrap();
    std::fs::create_dir_all(landscape.join(".drafts/old")).unwrap();
    std::fs::write(landscape.join(".drafts/a.yaml"), &ieee).unwrap();
    std::fs::write(landscape.join(".drafts/old/b.md"), "---\n").unwrap();
    std::fs::write(landscape.join(".ieee.yaml.swp"), "x").unwrap();
    std::fs::write(landscape.join(".DS_Store"), "x").unwrap();
    std::fs::create_dir_all(landscape.join(".git")).unwrap();
    std::fs::write(landscape.join(".git/notes.yaml"), "x").unwrap();
    std::fs::create_dir_all(landscape.join(".cache")).unwrap();
    std::fs::write(landscape.join(".cache/x.txt"), "x").unwrap();
    let run = gapreport(dir.path(), &["check", "--inputs", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("5 landscape items"), "{}", run.stdout);
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        [
            "landscape/.drafts/: warning: not read: its name starts with a dot (a hidden folder), and it holds 2 landscape files",
            "  help: rename it to `drafts` if it is an input; if not, move it out of landscape/",
            "landscape/iso/.tc307-draft.yaml: warning: not read: its name starts with a dot (a hidden file)",
            "  help: rename it to `tc307-draft.yaml` if it is an input; if not, move it out of landscape/",
        ],
        "{}",
        run.stderr
    );
}

/// A landscape file whose `org` is not the one bodies.yaml gives its body is warned of (its
/// items would be counted under another organisation), with "did you mean" for a known org
/// written another way.
#[test]
fn a_file_org_unlike_its_bodys_is_warned() {
    let dir = fixture_with(None);
    common::edit(dir.path(), "landscape/ieee.yaml", "org: IEEE", "org: ieee");
    common::edit(dir.path(), "landscape/w3c.md", "org: W3C", "org: ISO");
    let run = gapreport(dir.path(), &["check", "--inputs", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        [
            "landscape/ieee.yaml:1:1: warning: org `ieee` is not the org of IEEE: bodies.yaml gives `IEEE`",
            "  help: did you mean `IEEE`? write it so, as bodies.yaml does for IEEE, or correct bodies.yaml",
            "landscape/w3c.md:2:1: warning: org `ISO` is not the org of W3C DID WG: bodies.yaml gives `W3C`",
            "  help: write `W3C`, as bodies.yaml does for W3C DID WG, or correct bodies.yaml",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn an_item_of_a_body_of_another_org_is_warned() {
    let dir = fixture_with(None);
    common::edit(
        dir.path(),
        "landscape/w3c.md",
        "    links: [https://www.w3.org/TR/did-core/]",
        "    links: [https://www.w3.org/TR/did-core/]\n  - id: P1.9\n    title: Misfiled\n    \
         status: study\n    body: IEEE P1 Working Group",
    );
    let run = gapreport(dir.path(), &["check", "--inputs", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().take(2).collect::<Vec<_>>(),
        [
            "landscape/w3c.md:12:5: warning: body IEEE P1 Working Group is of org `IEEE` (bodies.yaml), but this file's org is `W3C`: the item is filed and counted under `W3C`",
            "  help: move the item to a landscape file of IEEE, or correct the org of IEEE P1 Working Group in bodies.yaml",
        ],
        "{}",
        run.stderr
    );
}

/// A build that fails leaves the earlier outputs byte for byte.
#[test]
fn failed_build_leaves_earlier_out_untouched() {
    let dir = fixture_with(None);
    let ok = gapreport(dir.path(), &["build", "--inputs", ".", "--out", "out"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let before = snapshot_dir(&dir.path().join("out"));
    assert!(!before.is_empty());
    std::fs::write(dir.path().join("report.yaml"), "title: [broken\n").unwrap();
    let failed = gapreport(dir.path(), &["build", "--inputs", ".", "--out", "out"]);
    assert_eq!(failed.code, 1);
    assert!(
        failed.stderr.contains("nothing was written"),
        "{}",
        failed.stderr
    );
    assert_eq!(snapshot_dir(&dir.path().join("out")), before);
}

fn snapshot_dir(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn usage_error_exits_2() {
    let dir = fixture_with(None);
    assert_eq!(gapreport(dir.path(), &["frobnicate"]).code, 2);
    assert_eq!(gapreport(dir.path(), &["check", "--no-such-flag"]).code, 2);
    let format = |list: &str| {
        let args = ["build", "--inputs", ".", "--out", "out", "--format", list];
        gapreport(dir.path(), &args)
    };
    assert_eq!(format("docx").code, 2);
    // A format is named in any case, and one named twice is written once.
    let run = format("JSON,Csv,json");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written: Vec<&str> = (run.stderr.lines())
        .filter_map(|l| l.strip_prefix("wrote "))
        .collect();
    assert_eq!(written, ["out/report.json", "out/coverage.csv"]);
}
