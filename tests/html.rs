//! `report.html`: the content of every section on the hand-worked fixture (parsed with
//! `scraper`), the injection corpus, the shipped inputs, template overrides, and a real browser
//! (headless Chromium) when one is installed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{fixture_with, gapreport};
use gapreport::render::view::{item_anchor, topic_anchor};
use scraper::{ElementRef, Html, Selector};

/// Builds `dir` as HTML only and returns the page's text.
fn build_html(dir: &Path) -> String {
    let run = gapreport(
        dir,
        &["build", "--inputs", ".", "--out", "out", "--format", "html"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::read_to_string(dir.join("out/report.html")).unwrap()
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

/// The element with this `id` (ids contain dots, so no `#` selector).
fn by_id<'a>(page: &'a Html, id: &str) -> ElementRef<'a> {
    page.select(&sel(&format!("[id=\"{id}\"]")))
        .next()
        .unwrap_or_else(|| panic!("no element with id {id}"))
}

fn text(e: ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The section (`<section id=...>`) an element is in, innermost first.
fn sections(e: ElementRef) -> Vec<String> {
    e.ancestors()
        .filter_map(ElementRef::wrap)
        .filter(|a| a.value().name() == "section")
        .filter_map(|a| a.value().id().map(str::to_string))
        .collect()
}

fn valid_page() -> Html {
    let dir = fixture_with(None);
    Html::parse_document(&build_html(dir.path()))
}

#[test]
fn every_item_is_a_row_of_its_section_with_all_its_fields() {
    let page = valid_page();
    // (id, title, status, stage, section of the row, body section, security mark)
    let expected = [
        (
            "X.alpha",
            "Security of consensus protocols",
            "under development",
            "working item",
            "work-programme",
            None,
            true,
        ),
        (
            "X.beta",
            "Security threats to online voting",
            "consented",
            "",
            "work-programme",
            None,
            true,
        ),
        (
            "ISO 1",
            "Security evaluation of consensus models",
            "study",
            "Under study",
            "landscape",
            Some("body-iso-tc307"),
            true,
        ),
        (
            "P1.1",
            "Consensus security requirements",
            "under development",
            "Under development",
            "landscape",
            Some("body-ieee"),
            true,
        ),
        (
            "P1.2",
            "Privacy of payment data on ledgers",
            "published",
            "",
            "landscape",
            Some("body-ieee"),
            true,
        ),
        (
            "P1.3",
            "Interchange format for smart grid widgets",
            "proposed",
            "PAR",
            "landscape",
            Some("body-ieee"),
            false,
        ),
        (
            "DID-CORE",
            "Decentralized Identifiers (DIDs) v1.0",
            "published",
            "",
            "landscape",
            Some("body-w3c-did"),
            false,
        ),
    ];
    for (id, title, status, stage, section, body, security) in expected {
        let row = by_id(&page, &item_anchor(id));
        assert_eq!(row.value().name(), "tr", "{id}");
        let row_text = text(row);
        let head = row.select(&sel("th[scope=row]")).next().unwrap();
        assert_eq!(text(head), id);
        for field in [title, status, stage] {
            assert!(
                row_text.contains(field),
                "{id}: `{field}` not in `{row_text}`"
            );
        }
        assert!(
            sections(row).contains(&section.to_string()),
            "{id} not in #{section}"
        );
        if let Some(body) = body {
            let body_section = row
                .ancestors()
                .filter_map(ElementRef::wrap)
                .find(|a| {
                    a.value()
                        .has_class("body", scraper::CaseSensitivity::CaseSensitive)
                })
                .unwrap();
            let heading = body_section.select(&sel("h4")).next().unwrap();
            assert_eq!(heading.value().id(), Some(body), "{id}");
            let mark = row.select(&sel(".badge.sec")).next().is_some();
            assert_eq!(mark, security, "{id}: security mark");
        }
    }
    let rows = sel("#work-programme tbody tr, #landscape tbody tr");
    assert_eq!(
        page.select(&rows).count(),
        expected.len(),
        "one row per item, no more"
    );
    // Topics link to the gap analysis.
    let topics = by_id(&page, &item_anchor("P1.2"))
        .select(&sel("a.topic"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect::<Vec<_>>();
    assert_eq!(topics, ["#topic-payments"]);
}

#[test]
fn the_title_block_and_sections_come_in_the_issue_order() {
    let page = valid_page();
    let title = text(page.select(&sel("header.title-block")).next().unwrap());
    for part in [
        "TEST-TD0001",
        "Hand-worked gap analysis",
        "Q99/17",
        "Security of test ledgers",
        "Test meeting",
        "2020-09-01",
        "Alice Example, Bob Example",
    ] {
        assert!(
            title.contains(part),
            "{part} not in the title block: {title}"
        );
    }
    let order: Vec<String> = page
        .select(&sel("main > section"))
        .map(|s| s.value().id().unwrap().to_string())
        .collect();
    assert_eq!(
        order,
        [
            "summary",
            "question",
            "work-programme",
            "landscape",
            "matrix",
            "gaps",
            "liaisons",
            "unclassified",
            "changes",
            "annex"
        ]
    );
    let toc: Vec<&str> = page
        .select(&sel("nav.toc > ol > li > a"))
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    let numbered: Vec<String> = order.iter().map(|s| format!("#{s}")).collect();
    assert_eq!(toc, numbered);
}

#[test]
fn summary_counts_gaps_liaisons_and_overdue_items() {
    let page = valid_page();
    let summary = text(by_id(&page, "summary"));
    assert!(summary.contains("This report analyses 7 items: the 2 work items of Q99/17 and 5 items of 3 bodies in 3 organisations; 5 of them are security work."), "{summary}");
    assert!(summary.contains("1 is a gap"), "{summary}");
    assert!(
        summary.contains("1 liaison is missing and 1 work item is overdue"),
        "{summary}"
    );
    assert!(summary.contains("Gaps: Identity management."), "{summary}");
    assert!(
        summary.contains("Overdue work items: X.alpha."),
        "{summary}"
    );
    // X.alpha is marked overdue in Table 1, X.beta (consented) is not.
    assert!(by_id(&page, "item-X.alpha")
        .select(&sel(".badge.overdue"))
        .next()
        .is_some());
    assert!(by_id(&page, "item-X.beta")
        .select(&sel(".badge.overdue"))
        .next()
        .is_none());
}

#[test]
fn markdown_and_notes_are_rendered_where_they_belong() {
    let page = valid_page();
    let motivation = page.select(&sel("#question .motivation")).next().unwrap();
    // "# Motivation" becomes an h3 under the section's h2; the page keeps one h1.
    assert_eq!(
        text(motivation.select(&sel("h3")).next().unwrap()),
        "Motivation"
    );
    assert_eq!(
        text(motivation.select(&sel("strong")).next().unwrap()),
        "security"
    );
    let link = motivation.select(&sel("a")).next().unwrap();
    assert_eq!(link.value().attr("href"), Some("https://example.org/spec"));
    let study = text(page.select(&sel("#question ol.lettered")).next().unwrap());
    assert!(
        study.contains("a) How should consensus be secured?"),
        "{study}"
    );
    let w3c = page
        .select(&sel("section.body:has(#body-w3c-did)"))
        .next()
        .unwrap();
    assert_eq!(
        text(w3c.select(&sel(".narrative em")).next().unwrap()),
        "decentralized identifiers"
    );
    let iso = text(
        page.select(&sel("section.body:has(#body-iso-tc307)"))
            .next()
            .unwrap(),
    );
    assert!(
        iso.contains("One working group works on security."),
        "{iso}"
    );
}

/// A matrix row: topic label, status in words, the numbers in its cells.
type MatrixRow = (String, String, Vec<String>);

/// The matrix's column heads and rows.
fn matrix(page: &Html) -> (Vec<String>, Vec<MatrixRow>) {
    let table = page.select(&sel("#matrix table")).next().unwrap();
    let heads = table.select(&sel("thead th")).map(text).collect();
    let rows = table
        .select(&sel("tbody tr"))
        .map(|tr| {
            let label = text(tr.select(&sel("th")).next().unwrap());
            let status = text(tr.select(&sel(".badge")).next().unwrap());
            let counts = tr.select(&sel("td.n")).map(text).collect();
            (label, status, counts)
        })
        .collect();
    (heads, rows)
}

#[test]
fn matrix_cells_hold_the_coverage_counts_and_status_in_words() {
    let page = valid_page();
    let (heads, rows) = matrix(&page);
    assert_eq!(
        heads,
        ["Topic", "Status", "Q99/17", "IEEE", "ISO", "W3C", "Total"]
    );
    // The same counts as coverage.csv (tests/analysis.rs).
    let expected = [
        ("Consensus", "Overlap", ["1", "1", "1", "0", "3"]),
        ("Identity management", "Gap", ["0", "0", "0", "1", "1"]),
        ("Payments", "External only", ["0", "1", "0", "0", "1"]),
        ("Voting", "Question only", ["1", "0", "0", "0", "1"]),
        ("Energy", "Untouched", ["0", "0", "0", "0", "0"]),
    ];
    assert_eq!(rows.len(), expected.len());
    for ((label, status, counts), (l, s, c)) in rows.iter().zip(expected) {
        assert_eq!((label.as_str(), status.as_str()), (l, s));
        assert_eq!(counts, &c, "{label}");
    }
    // Shading repeats the count: none for 0, a shade for any other (the largest is 1 here).
    for cell in page.select(&sel("#matrix tbody td.cell")) {
        let shade = if text(cell) == "0" { "s0" } else { "s1" };
        assert!(
            cell.value()
                .has_class(shade, scraper::CaseSensitivity::CaseSensitive),
            "{}",
            cell.html()
        );
    }
}

#[test]
fn gap_analysis_liaisons_unclassified_and_annex() {
    let page = valid_page();
    let consensus = by_id(&page, &topic_anchor("consensus"));
    let entry = consensus.parent().and_then(ElementRef::wrap).unwrap();
    let entry_text = text(entry);
    assert!(entry_text.contains("Overlap"), "{entry_text}");
    for id in ["X.alpha", "ISO 1", "P1.1"] {
        assert!(
            entry
                .select(&sel(&format!("a[href=\"#{}\"]", item_anchor(id))))
                .next()
                .is_some(),
            "{id} not in consensus"
        );
    }
    assert!(
        entry_text.contains(
            "title matches \u{201c}consensus\u{201d} (pattern \\bconsensus\\b, taxonomy.yaml:7:16)"
        ),
        "{entry_text}"
    );

    let letters: Vec<String> = page
        .select(&sel("#liaisons table.letters tbody tr"))
        .map(text)
        .collect();
    assert_eq!(letters, ["IEEE P1 Working Group Consensus X.alpha P1.1"]);
    let actions = text(page.select(&sel("#liaisons ol.actions")).next().unwrap());
    assert_eq!(
        actions,
        "Send a liaison statement to IEEE P1 Working Group about Consensus regarding work item X.alpha (Security of consensus protocols); their items: P1.1 Consensus security requirements."
    );

    let unclassified = text(page.select(&sel("#unclassified tbody")).next().unwrap());
    assert!(
        unclassified.starts_with(
            "P1.3 Interchange format for smart grid widgets IEEE P1 Working Group Energy"
        ),
        "{unclassified}"
    );

    let annex: Vec<String> = page.select(&sel("#annex tbody tr")).map(text).collect();
    assert!(annex.contains(&"ISO 1 landscape/iso/tc307.yaml:5:5 consensus title matches \u{201c}consensus\u{201d} (pattern \\bconsensus\\b, taxonomy.yaml:7:16)".to_string()), "{annex:#?}");
    for id in [
        "X.alpha", "X.beta", "ISO 1", "P1.1", "P1.2", "P1.3", "DID-CORE",
    ] {
        assert!(
            annex.iter().any(|r| r.starts_with(&format!("{id} "))),
            "{id} not in the annex"
        );
    }
    let changes = text(by_id(&page, "changes"));
    assert!(changes.contains("No baseline"), "{changes}");
}

#[test]
fn the_annex_shows_a_false_friend_of_security() {
    let dir = fixture_with(Some("security-topics"));
    let page = Html::parse_document(&build_html(dir.path()));
    let annex: Vec<String> = page.select(&sel("#annex tbody tr")).map(text).collect();
    let row = "SOC-1 landscape/benefits.yaml:4:5 not security title matches \u{201c}social-security\u{201d} (pattern \\b(social|food) security\\b, taxonomy.yaml:31:26), a false friend of security: the security patterns do not match inside it";
    assert!(annex.contains(&row.to_string()), "{annex:#?}");
}

#[test]
fn changes_since_the_baseline_are_listed() {
    let dir = fixture_with(Some("with-baseline"));
    let page = Html::parse_document(&build_html(dir.path()));
    let changes = text(by_id(&page, "changes"));
    assert!(
        changes.contains("Added: DID-CORE Decentralized Identifiers (DIDs) v1.0."),
        "{changes}"
    );
    assert!(
        changes.contains("Removed: OLD-1 A withdrawn idea."),
        "{changes}"
    );
    let rows: Vec<Vec<String>> = page
        .select(&sel("#changes tbody tr"))
        .map(|tr| tr.select(&sel("th, td")).map(text).collect())
        .collect();
    assert!(
        rows.contains(&vec![
            "X.beta".into(),
            "status".into(),
            "under-development".into(),
            "consented".into()
        ]),
        "{rows:?}"
    );
    assert!(
        rows.contains(&vec![
            "Identity management".into(),
            "Untouched".into(),
            "Gap".into()
        ]),
        "{rows:?}"
    );
}

#[test]
fn one_h1_ordered_headings_captions_and_header_scopes() {
    for case in [None, Some("injection")] {
        let dir = fixture_with(case);
        let page = Html::parse_document(&build_html(dir.path()));
        assert_eq!(page.select(&sel("h1")).count(), 1, "{case:?}");
        let levels: Vec<u8> = page
            .select(&sel("h1, h2, h3, h4, h5, h6"))
            .map(|h| h.value().name()[1..].parse().unwrap())
            .collect();
        for pair in levels.windows(2) {
            assert!(
                pair[1] <= pair[0] + 1,
                "{case:?}: heading level jumps {pair:?}"
            );
        }
        for table in page.select(&sel("table")) {
            // A table of a narrative is the contributor's, with no caption in Markdown.
            let in_narrative = (table.ancestors().filter_map(ElementRef::wrap))
                .any(|e| e.value().classes().any(|c| c == "narrative"));
            assert!(
                in_narrative || table.select(&sel("caption")).next().is_some(),
                "{case:?}: table without caption"
            );
            for th in table.select(&sel("th")) {
                let scope = th.value().attr("scope");
                assert!(
                    matches!(scope, Some("col" | "row")),
                    "{case:?}: th without scope: {}",
                    th.html()
                );
            }
        }
    }
}

/// Every `#` link of `page` leads to an element, and no two elements share an id.
fn assert_links_land(page: &Html) {
    let ids: Vec<&str> = page
        .select(&sel("[id]"))
        .map(|e| e.value().id().unwrap())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "duplicate ids");
    let ids: std::collections::HashSet<&str> = unique.into_iter().collect();
    for a in page.select(&sel("a[href^='#']")) {
        let target = &a.value().attr("href").unwrap()[1..];
        assert!(ids.contains(target), "dangling link #{target}");
    }
}

#[test]
fn every_internal_link_points_at_an_anchor_and_anchors_are_unique() {
    let page = valid_page();
    assert_links_land(&page);
    for anchor in [
        "topic-consensus",
        "topic-identity",
        "topic-payments",
        "topic-voting",
        "topic-energy",
        "body-iso-tc307",
        "body-ieee",
        "body-w3c-did",
    ] {
        by_id(&page, anchor);
    }
}

#[test]
fn a_second_landscape_file_of_a_body_gets_an_anchor_of_its_own() {
    let dir = fixture_with(None);
    std::fs::write(
        dir.path().join("landscape/ieee-more.yaml"),
        "org: IEEE\nbody: IEEE\nitems:\n  - id: P9999\n    title: More work\n    status: study\n",
    )
    .unwrap();
    let page = Html::parse_document(&build_html(dir.path()));
    assert_links_land(&page);
    let first = by_id(&page, "body-ieee");
    let second = by_id(&page, "body-ieee-2");
    assert!(text(first).contains("IEEE") && text(second).contains("IEEE"));
}

#[test]
fn the_page_is_self_contained_and_pins_its_style_and_script_in_the_csp() {
    use base64::Engine;
    use sha2::Digest;
    let dir = fixture_with(None);
    let source = build_html(dir.path());
    let page = Html::parse_document(&source);
    let csp = page
        .select(&sel("meta[http-equiv=Content-Security-Policy]"))
        .next()
        .unwrap()
        .value()
        .attr("content")
        .unwrap()
        .to_string();
    assert!(csp.starts_with("default-src 'none';"), "{csp}");
    let hash = |text: String| {
        let digest = sha2::Sha256::digest(text.as_bytes());
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    };
    assert_eq!(page.select(&sel("style, script")).count(), 2);
    let style = between(&source, "<style>", "</style>");
    let script = between(&source, "<script>", "</script>");
    assert!(
        csp.contains(&format!("style-src {};", hash(style))),
        "{csp}"
    );
    assert!(
        csp.contains(&format!("script-src {};", hash(script))),
        "{csp}"
    );
    // Nothing refers to another file or host: no src, no stylesheet link.
    assert_eq!(
        page.select(&sel("[src], link, iframe, object, embed"))
            .count(),
        0
    );
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let dir = fixture_with(None);
    let first = build_html(dir.path());
    assert_eq!(first, build_html(dir.path()));
}

/// The source text between the first `start` and the following `end`.
fn between(source: &str, start: &str, end: &str) -> String {
    let from = source.find(start).unwrap() + start.len();
    let len = source[from..].find(end).unwrap();
    source[from..from + len].to_string()
}

/// Every attribute value of the page, with the element's name.
fn attributes(page: &Html) -> Vec<(String, String, String)> {
    page.select(&sel("*"))
        .flat_map(|e| {
            e.value()
                .attrs()
                .map(move |(k, v)| (e.value().name().to_string(), k.to_string(), v.to_string()))
        })
        .collect()
}

#[test]
fn the_injection_corpus_is_inert() {
    let dir = fixture_with(Some("injection"));
    let source = build_html(dir.path());
    let page = Html::parse_document(&source);
    // Only the page's own style and script.
    assert_eq!(page.select(&sel("script")).count(), 1);
    assert!(page
        .select(&sel("script"))
        .next()
        .unwrap()
        .inner_html()
        .starts_with("/* Progressive enhancement"));
    assert_eq!(page.select(&sel("style")).count(), 1);
    assert_eq!(
        page.select(&sel("img, iframe, svg, form, input, object, embed"))
            .count(),
        0
    );
    for (element, name, value) in attributes(&page) {
        assert!(!name.starts_with("on"), "event handler {name} on {element}");
        assert_ne!(name, "style", "style attribute on {element}");
        let url = value.trim().to_ascii_lowercase();
        assert!(
            !url.starts_with("javascript:") && !url.starts_with("data:"),
            "{element} {name}={value}"
        );
    }
    // The injected text is shown as text, template syntax literally.
    let body = text(page.select(&sel("body")).next().unwrap());
    for literal in [
        "Gap analysis <script>alert('title')</script> {{ 7*7 }}",
        "{% raw %}meeting{% endraw %} <style>body{display:none}</style>",
        "working item <script>alert('stage')</script>",
        "Decentralized Identifiers (DIDs) v1.0 <img src=x onerror=alert('title')>",
        "Notes <script>alert('notes')</script> {{ 7*7 }}",
        "Template syntax stays text: {{ 7*7 }} {% raw %} {% endraw %} {# comment #}",
        "{% raw %}REC{% endraw %} <style>*{color:red}</style>",
    ] {
        assert!(body.contains(literal), "`{literal}` not shown literally");
    }
    assert!(
        !body.contains("49"),
        "template syntax from an input was evaluated"
    );
    // A link from the inputs is a link only when it is http(s).
    let links: Vec<&str> = by_id(&page, "item-DID-CORE")
        .select(&sel("a.ext"))
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(links, ["https://www.w3.org/TR/did-core/"]);
    // Unclosed tags in Markdown stay inside their container.
    let narrative = page.select(&sel("#landscape .narrative")).next().unwrap();
    assert!(text(narrative).contains("unclosed table"));
    let after = by_id(&page, "table-4.3.1");
    assert_eq!(after.value().name(), "caption");
}

/// Builds the shipped `inputs/` in `formats` into a scratch folder.
fn build_shipped(formats: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().to_str().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = gapreport(root, &["build", "--out", out_dir, "--format", formats]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    out
}

#[test]
fn every_item_of_the_shipped_inputs_has_its_anchor() {
    let out = build_shipped("json,html");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("report.json")).unwrap())
            .unwrap();
    let page =
        Html::parse_document(&std::fs::read_to_string(out.path().join("report.html")).unwrap());
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 108);
    for item in items {
        let id = item["id"].as_str().unwrap();
        let row = by_id(&page, &item_anchor(id));
        assert_eq!(text(row.select(&sel("th")).next().unwrap()), id);
    }
    assert_eq!(
        page.select(&sel("#work-programme tbody tr, #landscape tbody tr"))
            .count(),
        108
    );
    // The annex's "not security" rows (false friends) once linked to a topic of that name.
    assert_links_land(&page);
}

#[test]
fn a_broken_override_template_is_reported_at_its_file_and_line() {
    let dir = fixture_with(None);
    let templates = dir.path().join("my-templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("report.html"),
        "<!DOCTYPE html>\n<h1>{{ report.title }}</h1>\n<p>{{ report.date </p>\n",
    )
    .unwrap();
    let run = gapreport(
        dir.path(),
        &[
            "build",
            "--inputs",
            ".",
            "--out",
            "out",
            "--templates",
            "my-templates",
        ],
    );
    run.assert_error(1, "my-templates/report.html:3:");
    run.assert_error(1, "template error");
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

#[test]
fn an_override_template_replaces_the_built_in_one() {
    let dir = fixture_with(None);
    let templates = dir.path().join("my-templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(templates.join("report.css"), "body { color: black }\n").unwrap();
    let page = Html::parse_document(&build_html_with(
        dir.path(),
        &["--templates", "my-templates"],
    ));
    assert_eq!(
        page.select(&sel("style")).next().unwrap().inner_html(),
        "body { color: black }\n"
    );
}

fn build_html_with(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["build", "--inputs", ".", "--out", "out", "--format", "html"];
    args.extend_from_slice(extra);
    let run = gapreport(dir, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::read_to_string(dir.join("out/report.html")).unwrap()
}

// ---- A real browser ------------------------------------------------------------------------

/// Chromium, if installed; without it the browser test is skipped, unless
/// `GAPREPORT_REAL_READERS=1` (CI), where a missing browser is a failure.
fn chromium() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("chromium"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let found = std::iter::once(PathBuf::from("/usr/bin/chromium"))
        .chain(on_path)
        .find(|p| p.is_file());
    if found.is_none() {
        assert_ne!(
            std::env::var("GAPREPORT_REAL_READERS").as_deref(),
            Ok("1"),
            "GAPREPORT_REAL_READERS=1 but chromium is not installed (apt-get install chromium)"
        );
        eprintln!("SKIPPED: chromium is not installed (/usr/bin/chromium or on PATH); the real-browser check did not run");
    }
    found
}

/// What one headless run of Chromium saw.
struct BrowserRun {
    /// `--dump-dom` output (the DOM after the page's script ran), or empty for a screenshot.
    dom: String,
    /// Console messages (errors, CSP violations, ...).
    console: Vec<String>,
    /// Every URL in the network log.
    urls: Vec<String>,
}

fn run_chromium(browser: &Path, page: &Path, mode: &[&str]) -> BrowserRun {
    let profile = tempfile::tempdir().unwrap();
    let net_log = profile.path().join("net-log.json");
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.path().join("profile").display()
        ))
        .arg(format!("--log-net-log={}", net_log.display()))
        .args(mode)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let log = std::fs::read_to_string(&net_log).unwrap_or_default();
    BrowserRun {
        dom: String::from_utf8_lossy(&output.stdout).into_owned(),
        console: stderr
            .lines()
            .filter(|l| l.contains(":CONSOLE"))
            .map(str::to_string)
            .collect(),
        urls: log
            .split("\"url\":\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .map(str::to_string)
            .collect(),
    }
}

/// Requests the page made: every URL in the net log except Chromium's own background traffic
/// to Google (update checks, accounts), which the page cannot cause or prevent.
fn page_requests(run: &BrowserRun) -> Vec<&String> {
    let browser_own = [
        "google.com/",
        "googleapis.com/",
        "gvt1.com/",
        "gstatic.com/",
    ];
    run.urls
        .iter()
        .filter(|u| u.starts_with("http") || u.starts_with("ws"))
        .filter(|u| !browser_own.iter().any(|h| u.contains(h)))
        .collect()
}

/// No console message (errors, CSP violations) and no request from the page.
fn assert_quiet(run: &BrowserRun) {
    assert!(run.console.is_empty(), "console: {:#?}", run.console);
    let requests = page_requests(run);
    assert!(requests.is_empty(), "requests: {requests:#?}");
}

#[test]
fn chromium_runs_the_page_without_errors_or_requests() {
    let Some(browser) = chromium() else { return };
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    // The injection corpus: the page's script runs (its CSP hash is right), nothing injected does.
    let dir = fixture_with(Some("injection"));
    build_html(dir.path());
    let injected = dir.path().join("out/report.html");
    let run = run_chromium(&browser, &injected, &["--dump-dom"]);
    assert_quiet(&run);
    let dom = Html::parse_document(&run.dom);
    let html = dom.select(&sel("html")).next().unwrap();
    assert!(
        html.value()
            .has_class("js", scraper::CaseSensitivity::CaseSensitive),
        "the page's script did not run"
    );
    assert_eq!(dom.select(&sel("script")).count(), 1);
    assert_eq!(dom.select(&sel("img, iframe, svg")).count(), 0);
    assert!(
        dom.select(&sel("#landscape .filter input[type=search]"))
            .next()
            .is_some(),
        "no filter box"
    );
    assert!(
        dom.select(&sel("table.sortable th button.sort"))
            .next()
            .is_some(),
        "no sort buttons"
    );

    // The shipped inputs, at desktop and phone width.
    let out = build_shipped("html");
    let shipped = out.path().join("report.html");
    for (name, size) in [
        ("report-desktop.png", "1280,2000"),
        ("report-phone.png", "390,2000"),
    ] {
        let png = shots.join(name);
        let _ = std::fs::remove_file(&png);
        let run = run_chromium(
            &browser,
            &shipped,
            &[
                &format!("--window-size={size}"),
                &format!("--screenshot={}", png.display()),
            ],
        );
        assert_quiet(&run);
        let bytes = std::fs::read(&png).expect("a screenshot");
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
            "{name} looks empty"
        );
        eprintln!("screenshot: {}", png.display());
    }
}

/// Printed on A4, every table fits the page: no word runs past the right margin (the page does
/// not scroll, so anything past it is cut off). The margin is the 16 mm of the CSS `@page` rule.
#[test]
fn chromium_prints_every_table_within_the_page() {
    let Some(browser) = chromium() else { return };
    let out = build_shipped("html");
    let pdf = out.path().join("printed.pdf");
    run_chromium(
        &browser,
        &out.path().join("report.html"),
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    let boxes = match Command::new("pdftotext")
        .args(["-bbox"])
        .arg(&pdf)
        .arg("-")
        .output()
    {
        Ok(out) => String::from_utf8_lossy(&out.stdout).into_owned(),
        Err(e) => {
            assert_ne!(
                std::env::var("GAPREPORT_REAL_READERS").as_deref(),
                Ok("1"),
                "pdftotext is required (GAPREPORT_REAL_READERS=1): {e}"
            );
            eprintln!("SKIPPED: pdftotext is not installed ({e}); apt-get install poppler-utils");
            return;
        }
    };
    let number = |line: &str, key: &str| -> f64 {
        let start = line.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    let margin = 16.0 / 25.4 * 72.0;
    let (mut right, mut page, mut words) = (0.0, 0, 0);
    let mut past = Vec::new();
    // Each page's last line: its top and its words.
    let mut last_lines: Vec<(f64, Vec<String>)> = Vec::new();
    for line in boxes.lines().map(str::trim) {
        if line.starts_with("<page ") {
            right = number(line, "width") - margin;
            page += 1;
            last_lines.push((0.0, Vec::new()));
        } else if line.starts_with("<word ") {
            words += 1;
            let word = line
                .split('>')
                .nth(1)
                .unwrap_or("")
                .trim_end_matches("</word")
                .to_string();
            if number(line, "xMax") > right + 1.0 {
                past.push(format!("page {page}: {word}"));
            }
            let (top, last) = last_lines.last_mut().unwrap();
            let y = number(line, "yMin");
            if y > *top + 2.0 {
                (*top, *last) = (y, Vec::new());
            }
            if y > *top - 2.0 {
                last.push(word);
            }
        }
    }
    assert!(page > 20 && words > 10_000, "{page} pages, {words} words");
    assert!(past.is_empty(), "past the right margin: {past:#?}");
    // No table's caption (and header row) is left at the foot of a page, apart from its rows.
    let stranded: Vec<String> = (last_lines.iter().enumerate())
        .filter(|(_, (_, words))| words.first().is_some_and(|w| w == "Table"))
        .map(|(n, (_, words))| format!("page {}: {}", n + 1, words.join(" ")))
        .collect();
    assert!(
        stranded.is_empty(),
        "captions at a page's foot: {stranded:#?}"
    );
}

/// The shipped report in Chromium at `size`, with `script` run after the page's own (added to a
/// copy of the page, its CSP removed): what the script pushed to `result`, in order.
fn shipped_page_result(browser: &Path, size: &str, script: &str) -> Vec<String> {
    let out = build_shipped("html");
    let page = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    let csp = regex::Regex::new(r#"<meta http-equiv="Content-Security-Policy"[^>]*>"#).unwrap();
    let added = format!(
        "<script>(function () {{ var result = []; {script}\n\
         var p = document.createElement('pre'); p.id = 'result'; p.textContent = result.join(' ¦ ');\n\
         document.body.appendChild(p); }}());</script></body>"
    );
    let file = out.path().join("measured.html");
    std::fs::write(&file, csp.replace(&page, "").replace("</body>", &added)).unwrap();
    let window = format!("--window-size={size}");
    let run = run_chromium(browser, &file, &[&window, "--dump-dom"]);
    let dom = Html::parse_document(&run.dom);
    let result = dom.select(&sel("#result")).next().map(text);
    let result = result.expect("the added script ran");
    (result.split(" ¦ ").filter(|r| !r.is_empty()))
        .map(str::to_string)
        .collect()
}

/// On a laptop (1280 px) every table of the shipped report shows all its columns: none needs
/// sideways scrolling.
#[test]
fn chromium_shows_every_column_of_every_table_at_laptop_width() {
    let Some(browser) = chromium() else { return };
    let script = r#"
document.querySelectorAll(".table-scroll").forEach(function (d) {
  if (d.scrollWidth > d.clientWidth + 1) {
    result.push(d.querySelector("caption").textContent.trim() + ": " + d.scrollWidth + " > " + d.clientWidth);
  }
});"#;
    let too_wide = shipped_page_result(&browser, "1280,900", script);
    assert!(
        too_wide.is_empty(),
        "tables wider than the page: {too_wide:#?}"
    );
}

/// The landscape filter finds an item by its body's or organisation's name and hides the
/// sections left empty; the work programme sorts by priority high, medium, low.
#[test]
fn chromium_filters_by_body_and_sorts_by_priority_rank() {
    let Some(browser) = chromium() else { return };
    let script = r##"
var input = document.querySelector("#landscape .filter input");
function typed(words) {
  input.value = words; input.dispatchEvent(new Event("input"));
  var orgs = Array.prototype.filter.call(document.querySelectorAll("#landscape section.org"), function (o) { return !o.hidden; });
  result.push(words + ": " + document.querySelector("#landscape .filter output").textContent + "; organisations shown " + orgs.length);
}
typed("zzzz"); typed("JTC 1/SC 29"); typed("");
var table = document.querySelector("#work-programme table");
var index = Array.prototype.findIndex.call(table.querySelectorAll("thead th"), function (th) { return /priority/i.test(th.textContent); });
table.querySelectorAll("thead th")[index].querySelector("button").click();
result.push(Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.cells[index].textContent.trim() || "-"; }).join(" "));"##;
    let lines = shipped_page_result(&browser, "1280,900", script);
    let result = lines.join("\n");
    assert_eq!(
        lines[0], "zzzz: 0 of 96 shown; organisations shown 0",
        "{result}"
    );
    // The JPEG item's row names no body: it is found by its section's heading.
    assert!(
        lines[1].starts_with("JTC 1/SC 29: ") && !lines[1].starts_with("JTC 1/SC 29: 0 of"),
        "{result}"
    );
    assert!(lines[1].ends_with("organisations shown 1"), "{result}");
    assert_eq!(
        lines[2], ": 96 of 96 shown; organisations shown 6",
        "{result}"
    );
    let ranks: Vec<&str> = lines[3].split(' ').collect();
    let rank = |p: &str| {
        ["high", "medium", "low", "-"]
            .iter()
            .position(|r| *r == p)
            .unwrap()
    };
    assert!(
        ranks.windows(2).all(|w| rank(w[0]) <= rank(w[1])),
        "sorted by priority: {result}"
    );
}
