//! The analysis on the hand-worked fixture (`tests/fixtures/valid`, every conclusion checkable by
//! hand from its eight files) and a few conclusions of the real Q14/17 landscape.

mod common;

use common::{fixture_with, gapreport};
use serde_json::Value;
use std::path::Path;

/// Builds `dir` as JSON and CSV, returns the parsed report.json and the CSV text.
fn build(dir: &Path) -> (Value, String) {
    let run = gapreport(
        dir,
        &[
            "build", "--inputs", ".", "--out", "out", "--format", "json,csv",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = std::fs::read_to_string(dir.join("out/report.json")).unwrap();
    let csv = std::fs::read_to_string(dir.join("out/coverage.csv")).unwrap();
    (serde_json::from_str(&json).unwrap(), csv)
}

/// The entry of `report[list]` whose `id` is `id`.
fn by_id<'a>(report: &'a Value, list: &str, id: &str) -> &'a Value {
    let entries = report[list].as_array().unwrap();
    entries.iter().find(|e| e["id"] == id).unwrap()
}

fn topic<'a>(report: &'a Value, id: &str) -> &'a Value {
    by_id(report, "topics", id)
}

fn item<'a>(report: &'a Value, id: &str) -> &'a Value {
    by_id(report, "items", id)
}

#[test]
fn each_coverage_status_on_the_hand_worked_fixture() {
    let dir = fixture_with(None);
    let (report, _) = build(dir.path());
    // X.alpha (Question) and ISO 1, P1.1 (security) all map to consensus.
    assert_eq!(topic(&report, "consensus")["status"], "overlap");
    // DID-CORE maps to identity but matches no security pattern; no work item.
    assert_eq!(topic(&report, "identity")["status"], "gap");
    assert_eq!(
        topic(&report, "identity")["other_items"],
        serde_json::json!(["DID-CORE"])
    );
    // P1.2 "Privacy of payment data" is security work on payments; no work item.
    assert_eq!(topic(&report, "payments")["status"], "external-only");
    // Only X.beta is about voting.
    assert_eq!(topic(&report, "voting")["status"], "question-only");
    // Nothing mentions energy.
    assert_eq!(topic(&report, "energy")["status"], "untouched");
    assert_eq!(report["schema_version"], 1);
}

#[test]
fn mappings_keep_their_evidence() {
    let dir = fixture_with(None);
    let (report, _) = build(dir.path());
    let iso = item(&report, "ISO 1");
    assert_eq!(iso["security"], true);
    assert_eq!(iso["body"], "ISO/TC 307/WG 2");
    assert_eq!(iso["source"], "landscape/iso/tc307.yaml:5:5");
    let evidence = &iso["topics"][0]["evidence"][0];
    assert_eq!(iso["topics"][0]["id"], "consensus");
    assert_eq!(evidence["kind"], "pattern");
    assert_eq!(evidence["field"], "title");
    assert_eq!(evidence["matched"], "consensus");
    assert_eq!(evidence["pattern"], r"\bconsensus\b");
    assert_eq!(evidence["defined_at"], "taxonomy.yaml:7:16");
    // The Question's own items are security work by definition.
    let beta = item(&report, "X.beta");
    assert_eq!(beta["security"], true);
    assert_eq!(beta["security_evidence"][0]["kind"], "question-work-item");
}

/// The topic ids of item `id`.
#[test]
fn every_value_read_is_in_report_json() {
    let dir = fixture_with(None);
    let (report, _) = build(dir.path());
    assert_eq!(
        item(&report, "X.alpha")["details"],
        serde_json::json!({
            "type": "Rec", "stage": "working item", "timing": "2020-03", "approval": "AAP",
            "priority": "high", "liaisons": ["TC307"], "base_text": "TD0001",
            "editors": ["Alice Example"]
        })
    );
    assert_eq!(
        item(&report, "P1.1")["details"],
        serde_json::json!({"stage": "Under development", "date": "2020"})
    );
    assert_eq!(
        item(&report, "DID-CORE")["details"],
        serde_json::json!({"links": ["https://www.w3.org/TR/did-core/"]})
    );
    let files = report["landscape_files"].as_array().unwrap();
    let sources: Vec<&str> = files
        .iter()
        .map(|f| f["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "landscape/ieee.yaml",
            "landscape/iso/tc307.yaml",
            "landscape/w3c.md"
        ]
    );
    assert_eq!(files[1]["notes"], "One working group works on security.");
    assert_eq!(
        topic(&report, "consensus")["description"],
        "Consensus mechanisms and protocols of ledgers."
    );
    let tc307 = by_id(&report, "bodies", "iso-tc307");
    assert_eq!(
        tc307["title"],
        "Blockchain and distributed ledger technologies"
    );
    assert!(by_id(&report, "bodies", "ieee").get("title").is_none());
    let narrative = files[2]["narrative"].as_str().unwrap();
    assert!(
        narrative.contains("*decentralized identifiers*"),
        "{narrative}"
    );
}

#[test]
fn values_that_look_like_numbers_keep_the_text_written() {
    let dir = fixture_with(None);
    let edit = |file: &str, from: &str, to: &str| common::edit(dir.path(), file, from, to);
    edit("landscape/ieee.yaml", "id: P1.1\n", "id: 2418.10\n");
    edit("landscape/ieee.yaml", "stage: PAR", "stage: 0123");
    edit(
        "work-programme.yaml",
        "base_text: TD0001",
        "base_text: 0017",
    );
    let (report, _) = build(dir.path());
    // YAML reads them as the numbers 2418.1, 123 and 17.
    let p = item(&report, "2418.10");
    assert_eq!(p["title"], "Consensus security requirements");
    assert_eq!(item(&report, "P1.3")["details"]["stage"], "0123");
    assert_eq!(item(&report, "X.alpha")["details"]["base_text"], "0017");
}

#[test]
fn an_items_exclude_topics_overrules_its_mapping_and_says_so() {
    let dir = fixture_with(None);
    common::edit(
        dir.path(),
        "landscape/ieee.yaml",
        "    date: 2019-05\n",
        "    date: 2019-05\n    exclude_topics: [payments, voting]\n",
    );
    let (report, _) = build(dir.path());
    let p = item(&report, "P1.2");
    assert_eq!(p["topics"], serde_json::json!([]));
    assert_eq!(
        p["overruled_topics"],
        serde_json::json!([
            {"id": "payments", "evidence": [{
                "kind": "pattern", "field": "title", "matched": "payment",
                "pattern": "\\bpayments?\\b", "defined_at": "taxonomy.yaml:18:16"
            }]},
            {"id": "voting", "evidence": []}
        ])
    );
    // P1.2 was the only item on payments; it is now unclassified, and not offered payments back.
    assert_eq!(topic(&report, "payments")["status"], "untouched");
    let unclassified = by_id(&report, "unclassified", "P1.2");
    let suggested: Vec<&str> = unclassified["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["topic"].as_str().unwrap())
        .collect();
    assert!(!suggested.contains(&"payments"), "{suggested:?}");
    assert!(item(&report, "P1.1").get("overruled_topics").is_none());

    let run = gapreport(dir.path(), &["explain", "--inputs", ".", "P1.2"]);
    assert!(
        run.stdout.contains(
            "  kept off by its exclude_topics:\n    payments\n      - overrules: title matches \u{201c}payment\u{201d}"
        ),
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains("    voting\n      - no pattern maps it anyway"));
    let run = gapreport(dir.path(), &["explain", "--inputs", ".", "payments"]);
    assert!(
        run.stdout
            .contains("  items kept off it by their exclude_topics:\n    - P1.2 "),
        "{}",
        run.stdout
    );
}

#[test]
fn recommended_actions_follow_from_each_topic_coverage() {
    let dir = fixture_with(None);
    // An IEEE item on voting that is not security work: the Question alone secures voting.
    let ieee = dir.path().join("landscape/ieee.yaml");
    let text = std::fs::read_to_string(&ieee).unwrap();
    std::fs::write(
        &ieee,
        format!("{text}  - id: P1.4\n    title: Ballot formats for voting on ledgers\n    status: study\n"),
    )
    .unwrap();
    let (report, _) = build(dir.path());
    let actions: Vec<(&str, &str, &Value, &Value)> = report["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap(),
                r["topic"].as_str().unwrap(),
                &r["bodies"],
                &r["items"],
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            // identity is a gap: W3C's DID-CORE is not security work.
            (
                "new-work",
                "identity",
                &serde_json::json!(["W3C DID WG"]),
                &serde_json::json!(["DID-CORE"])
            ),
            // payments: P1.2 is security work of IEEE, the Question has none.
            (
                "follow",
                "payments",
                &serde_json::json!(["IEEE P1 Working Group"]),
                &serde_json::json!(["P1.2"])
            ),
            // consensus overlaps; X.alpha liaises with TC 307 but not with the IEEE group.
            (
                "liaise",
                "consensus",
                &serde_json::json!(["IEEE P1 Working Group"]),
                &serde_json::json!(["P1.1"])
            ),
            // voting: only X.beta is security work on it; P1.4 (the file's body, IEEE) is not.
            (
                "inform",
                "voting",
                &serde_json::json!(["IEEE"]),
                &serde_json::json!(["P1.4"])
            ),
        ]
    );
    // energy is untouched: no action. Every action says what to do and names its topic.
    let texts: Vec<&str> = (report["recommendations"].as_array().unwrap().iter())
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    assert!(
        texts[0].starts_with("Consider new work on the security of Identity management"),
        "{}",
        texts[0]
    );
    assert!(texts[3].contains("X.beta"), "{}", texts[3]);
}

fn topic_ids(report: &Value, id: &str) -> Vec<String> {
    let topics = item(report, id)["topics"].as_array().unwrap();
    topics
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn patterns_in_context_map_only_where_the_context_matches_the_same_field() {
    let dir = fixture_with(Some("contexts"));
    let (report, _) = build(dir.path());
    assert_eq!(topic_ids(&report, "ARCH-1"), ["architecture", "voting"]);
    let evidence = &item(&report, "ARCH-1")["topics"][0]["evidence"][0];
    assert_eq!(evidence["matched"], "architecture");
    assert_eq!(evidence["defined_at"], "taxonomy.yaml:18:16");
    assert_eq!(
        evidence["context"],
        serde_json::json!({
            "name": "ledger",
            "matched": "blockchain",
            "pattern": r"\b(ledgers?|blockchains?|DLT)\b",
            "defined_at": "taxonomy.yaml:5:12",
        })
    );
    // No ledger word: the architecture of another subject.
    assert!(topic_ids(&report, "ARCH-2").is_empty());
    // The ledger word is in the summary, the architecture in the title: fields are separate.
    assert_eq!(topic_ids(&report, "ARCH-3"), ["payments"]);
    // A plain pattern needs no context, and its evidence has none.
    assert_eq!(topic_ids(&report, "ARCH-4"), ["architecture"]);
    let plain = &item(&report, "ARCH-4")["topics"][0]["evidence"][0];
    assert!(plain.get("context").is_none(), "{plain}");
    let run = gapreport(dir.path(), &["explain", "ARCH-1", "--inputs", "."]);
    assert!(
        run.stdout.contains("in the ledger context, which it matches with \u{201c}blockchain\u{201d} (taxonomy.yaml:5:12)"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_topic_of_security_work_makes_its_items_security_work() {
    // The fixture with `security: true` on identity, and an item whose identity mapping is
    // vetoed by the topic's `exclude`.
    let dir = fixture_with(Some("security-topics"));
    let (report, _) = build(dir.path());
    // DID-CORE matches no security pattern; it is security work because it maps to identity.
    let did = item(&report, "DID-CORE");
    assert_eq!(did["security"], true);
    assert_eq!(
        did["security_evidence"],
        serde_json::json!([{
            "kind": "security-topic",
            "topic": "identity",
            "defined_at": "taxonomy.yaml:14:5",
        }])
    );
    // So identity is no longer a gap: W3C works on its security, the Question does not.
    assert_eq!(topic(&report, "identity")["status"], "external-only");
    // An excluded mapping gives no security either.
    let oid = item(&report, "OID-1");
    assert_eq!(oid["security"], false);
    assert!(oid["topics"].as_array().unwrap().is_empty());
    let run = gapreport(dir.path(), &["explain", "DID-CORE", "--inputs", "."]);
    assert!(
        run.stdout
            .contains("maps to identity, a topic whose work is security work (taxonomy.yaml:14:5)"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_false_friend_of_security_does_not_make_an_item_security_work() {
    let dir = fixture_with(Some("security-topics"));
    let (report, _) = build(dir.path());
    // "social-security" is a false friend (read with a space for the hyphen): `secur` does not
    // match inside it.
    let benefits = item(&report, "SOC-1");
    assert_eq!(benefits["security"], false);
    assert_eq!(benefits["security_evidence"], serde_json::json!([]));
    // The false friend is on record, so the verdict can be traced.
    assert_eq!(
        benefits["security_false_friends"],
        serde_json::json!([{
            "kind": "pattern",
            "field": "title",
            "matched": "social-security",
            "pattern": r"\b(social|food) security\b",
            "defined_at": "taxonomy.yaml:31:26",
        }])
    );
    // An item without false friends has no such key.
    assert!(item(&report, "DID-CORE")
        .get("security_false_friends")
        .is_none());
    let run = gapreport(dir.path(), &["explain", "SOC-1", "--inputs", "."]);
    assert!(
        run.stdout.contains(
            "security: no (no security pattern matches outside its false friends, and no topic of security work)\n    - not counted: title matches \u{201c}social-security\u{201d}"
        ),
        "{}",
        run.stdout
    );
    // Outside the false friend the same pattern still matches, quoted as written.
    let records = item(&report, "SOC-2");
    assert_eq!(records["security"], true);
    assert_eq!(
        records["security_evidence"],
        serde_json::json!([{
            "kind": "pattern",
            "field": "title",
            "matched": "Secur",
            "pattern": "secur",
            "defined_at": "taxonomy.yaml:1:21",
        }])
    );
}

#[test]
fn missing_liaison_after_alias_and_parent_resolution() {
    let dir = fixture_with(None);
    let (report, _) = build(dir.path());
    // X.alpha lists "TC307", an alias of ISO/TC 307, the parent of WG 2 (ISO 1's body): covered.
    // IEEE P1 Working Group (P1.1) is not in its liaisons: missing.
    assert_eq!(
        report["missing_liaisons"],
        serde_json::json!([{
            "work_item": "X.alpha", "body": "IEEE P1 Working Group", "topic": "consensus", "items": ["P1.1"]
        }])
    );
}

#[test]
fn overdue_and_unclassified() {
    let dir = fixture_with(None);
    let (report, _) = build(dir.path());
    // X.alpha: timing 2020-03 < 2020-09-01, under development. X.beta: 2020-06 but consented.
    let overdue = report["overdue"].as_array().unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0]["work_item"], "X.alpha");
    assert_eq!(overdue[0]["timing"], "2020-03");
    // P1.3 maps to no topic; "smart grid" is in the energy topic's description.
    let unclassified = report["unclassified"].as_array().unwrap();
    assert_eq!(unclassified.len(), 1);
    assert_eq!(unclassified[0]["id"], "P1.3");
    assert_eq!(unclassified[0]["suggestions"][0]["topic"], "energy");
    assert_eq!(item(&report, "P1.3")["topics"], serde_json::json!([]));
}

#[test]
fn coverage_csv_counts_items_per_topic_and_org() {
    let dir = fixture_with(None);
    let (_, csv) = build(dir.path());
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "topic,label,group,status,Q99/17,IEEE,ISO,W3C,total"
    );
    assert_eq!(lines[1], "consensus,Consensus,platform,overlap,1,1,1,0,3");
    assert_eq!(
        lines[2],
        "identity,Identity management,applications,gap,0,0,0,1,1"
    );
    assert_eq!(lines[5], "energy,Energy,applications,untouched,0,0,0,0,0");
    assert_eq!(lines[6], "", "RFC 4180: every record ends in CRLF");
}

#[test]
fn changes_since_the_baseline() {
    let dir = fixture_with(Some("with-baseline"));
    let (report, _) = build(dir.path());
    let changes = &report["changes"];
    assert_eq!(changes["baseline"], "previous/report.json");
    assert_eq!(
        changes["added"],
        serde_json::json!([{"id": "DID-CORE", "title": "Decentralized Identifiers (DIDs) v1.0"}])
    );
    assert_eq!(
        changes["removed"],
        serde_json::json!([{"id": "OLD-1", "title": "A withdrawn idea"}])
    );
    let changed = changes["changed"].as_array().unwrap();
    let ids: Vec<&str> = changed.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["X.beta", "P1.2"]);
    assert_eq!(
        changed[0]["fields"],
        serde_json::json!([{"field": "status", "before": "under-development", "after": "consented"}])
    );
    assert_eq!(changed[1]["fields"][0]["field"], "status");
    assert_eq!(changed[1]["fields"][1]["field"], "title");
    assert_eq!(
        changes["topics"],
        serde_json::json!([{"id": "identity", "before": "untouched", "after": "gap"}])
    );
}

#[test]
fn a_report_json_is_a_baseline_with_no_changes() {
    let dir = fixture_with(None);
    build(dir.path());
    std::fs::rename(
        dir.path().join("out/report.json"),
        dir.path().join("previous.json"),
    )
    .unwrap();
    let report_yaml = std::fs::read_to_string(dir.path().join("report.yaml")).unwrap();
    std::fs::write(
        dir.path().join("report.yaml"),
        format!("{report_yaml}baseline: previous.json\n"),
    )
    .unwrap();
    let (report, _) = build(dir.path());
    let changes = &report["changes"];
    for key in ["added", "removed", "changed", "topics"] {
        assert_eq!(changes[key], serde_json::json!([]), "{key}");
    }
}

#[test]
fn the_report_names_its_baseline_by_document_and_date_and_warns_if_it_is_overwritten() {
    let dir = fixture_with(None);
    build(dir.path());
    common::edit(
        dir.path(),
        "report.yaml",
        "\n",
        "\nbaseline: out/report.json\n",
    );
    let run = gapreport(dir.path(), &["build", "--inputs", ".", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "report.yaml:2:1: warning: baseline `out/report.json` is the report.json this build \
             writes: the next build will compare the report with itself"
        ),
        "{}",
        run.stderr
    );
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(
        html.contains(
            "Compared with <strong>TEST-TD0001</strong> of 2020-09-01 (Test meeting), \
             <code>out/report.json</code>."
        ),
        "{html}"
    );
    // Without JSON this build leaves report.json as it is: nothing to warn of.
    let run = gapreport(
        dir.path(),
        &["build", "--inputs", ".", "--out", "out", "--format", "html"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("baseline"), "{}", run.stderr);
}

#[test]
fn a_slipped_timing_and_a_new_stage_or_date_are_changes() {
    let dir = fixture_with(None);
    build(dir.path());
    let rename = |from: &str, to: &str| std::fs::rename(dir.path().join(from), dir.path().join(to));
    rename("out/report.json", "previous.json").unwrap();
    let edit = |file: &str, from: &str, to: &str| common::edit(dir.path(), file, from, to);
    edit("report.yaml", "\n", "\nbaseline: previous.json\n");
    edit("work-programme.yaml", "timing: 2020-03", "timing: 2021-03");
    edit(
        "work-programme.yaml",
        "stage: working item",
        "stage: draft for consent",
    );
    edit("landscape/ieee.yaml", "date: 2020\n", "date: 2021-02\n");
    edit("landscape/ieee.yaml", "    stage: PAR\n", "");
    let (report, _) = build(dir.path());
    let changed = report["changes"]["changed"].as_array().unwrap();
    let fields = |id: &str| -> serde_json::Value {
        let change = changed.iter().find(|c| c["id"] == id).expect(id);
        change["fields"].clone()
    };
    assert_eq!(
        fields("X.alpha"),
        serde_json::json!([
            {"field": "stage", "before": "working item", "after": "draft for consent"},
            {"field": "timing", "before": "2020-03", "after": "2021-03"}
        ])
    );
    assert_eq!(
        fields("P1.1"),
        serde_json::json!([{"field": "date", "before": "2020", "after": "2021-02"}])
    );
    assert_eq!(
        fields("P1.3"),
        serde_json::json!([{"field": "stage", "before": "PAR", "after": ""}])
    );
    assert_eq!(changed.len(), 3, "{changed:?}");
    // The report names an unset value rather than leaving its cell empty.
    let run = gapreport(
        dir.path(),
        &["build", "--inputs", ".", "--out", "out", "--format", "html"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(
        html.contains("<td>stage</td><td>PAR</td><td>(none)</td>"),
        "{html}"
    );
}

#[test]
fn unreadable_baseline_is_an_input_error() {
    let dir = fixture_with(None);
    let report_yaml = std::fs::read_to_string(dir.path().join("report.yaml")).unwrap();
    std::fs::write(
        dir.path().join("report.yaml"),
        format!("{report_yaml}baseline: nowhere.json\n"),
    )
    .unwrap();
    let run = gapreport(dir.path(), &["check", "--inputs", "."]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("report.yaml:8:1: error: cannot read baseline `nowhere.json`"),
        "{}",
        run.stderr
    );
}

#[test]
fn builds_are_byte_identical() {
    let dir = fixture_with(None);
    build(dir.path());
    let first = std::fs::read(dir.path().join("out/report.json")).unwrap();
    build(dir.path());
    assert_eq!(
        std::fs::read(dir.path().join("out/report.json")).unwrap(),
        first
    );
}

#[test]
fn explain_item_and_topic() {
    let dir = fixture_with(None);
    let run = gapreport(dir.path(), &["explain", "X.alpha", "--inputs", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("defined:  work-programme.yaml:2:5"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "title matches \u{201c}consensus\u{201d} (pattern \\bconsensus\\b, taxonomy.yaml:7:16)"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("overdue:  timing 2020-03 is before the report date"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "missing liaison: IEEE P1 Working Group on consensus (their security items: P1.1)"
        ),
        "{}",
        run.stdout
    );
    let run = gapreport(dir.path(), &["explain", "identity", "--inputs", "."]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("status:   gap: other bodies have 1 item on it (DID-CORE)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("recommended: Consider new work on the security of Identity management"),
        "{}",
        run.stdout
    );
    let run = gapreport(dir.path(), &["explain", "X.alpah", "--inputs", "."]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim(),
        "error: no item, topic or body `X.alpah`; did you mean `X.alpha`?"
    );
}

#[test]
fn explain_a_body_by_id_name_or_alias() {
    let dir = fixture_with(None);
    let expected = "body ieee (IEEE, IEEE)
  defined:  bodies.yaml:11:5
  items:    3 (2 security work)
    - P1.1 (under-development, security; IEEE P1 Working Group): Consensus security requirements -> consensus [landscape/ieee.yaml:4:5]
    - P1.2 (published, security; IEEE P1 Working Group): Privacy of payment data on ledgers -> payments [landscape/ieee.yaml:10:5]
    - P1.3 (proposed; IEEE P1 Working Group): Interchange format for smart grid widgets -> unclassified [landscape/ieee.yaml:15:5]
  missing liaisons:
    - X.alpha on consensus has no liaison with IEEE P1 Working Group (their items: P1.1)
";
    let run = gapreport(dir.path(), &["explain", "ieee", "--inputs", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, expected);
    // By an alias; a liaison with the body is listed.
    let run = gapreport(dir.path(), &["explain", "tc 307", "--inputs", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "body iso-tc307 (ISO/TC 307, ISO: Blockchain and distributed ledger technologies)\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "  liaisons: X.alpha (work items liaising with it, or with a body it is within)"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn explain_a_title_that_is_not_in_the_inputs() {
    let dir = fixture_with(None);
    let run = gapreport(
        dir.path(),
        &[
            "explain",
            "--title",
            "Security of consensus protocols",
            "--title",
            "Payment and energy data exchange",
            "--title",
            "Smart grid trading of power",
            "--inputs",
            ".",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let parts: Vec<&str> = run.stdout.split("title \u{201c}").skip(1).collect();
    assert_eq!(parts.len(), 3, "{}", run.stdout);
    // Security and a topic, each with the pattern and its line.
    assert!(parts[0].starts_with("Security of consensus protocols\u{201d} (not in the inputs"));
    assert!(
        parts[0].contains("security: yes\n    - title matches \u{201c}Secur\u{201d} (pattern secur, taxonomy.yaml:1:21)"),
        "{}",
        parts[0]
    );
    assert!(
        parts[0].contains("topics:\n    consensus\n      - title matches \u{201c}consensus\u{201d} (pattern \\bconsensus\\b, taxonomy.yaml:7:16)"),
        "{}",
        parts[0]
    );
    // Two topics, not security work.
    assert!(parts[1]
        .contains("security: no (no security pattern matches, and no topic of security work)"));
    assert!(parts[1].contains("    payments\n"), "{}", parts[1]);
    assert!(parts[1].contains("    energy\n"), "{}", parts[1]);
    // No pattern matches: unclassified, with the nearest topic suggested, never mapped.
    assert!(
        parts[2]
            .contains("topics:   none: unclassified\n    suggested (not mapped): energy (score "),
        "{}",
        parts[2]
    );
    // An id and a title together is a usage error; so is neither.
    let both = gapreport(
        dir.path(),
        &["explain", "X.alpha", "--title", "x", "--inputs", "."],
    );
    assert_eq!(both.code, 2, "{}", both.stderr);
    let neither = gapreport(dir.path(), &["explain", "--inputs", "."]);
    assert_eq!(neither.code, 2, "{}", neither.stderr);
}

// ---- the real Q14/17 landscape ------------------------------------------------------------

fn shipped() -> (gapreport::Checked, gapreport::analyse::Analysis) {
    let inputs = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs");
    let checked = gapreport::check(&inputs).expect("shipped inputs are valid");
    let analysis = gapreport::analyse::analyse(&checked.model);
    (checked, analysis)
}

const CONTRACT_TOPICS: [&str; 32] = [
    "terminology",
    "architecture",
    "threats",
    "consensus",
    "smart-contracts",
    "interoperability",
    "cryptography",
    "baas",
    "governance",
    "assurance",
    "security-controls",
    "privacy",
    "operations",
    "regulation",
    "custody",
    "identity",
    "payments",
    "iot",
    "data-sharing",
    "voting",
    "ip-management",
    "software-distribution",
    "health",
    "supply-chain",
    "energy",
    "mobility",
    "agriculture",
    "government",
    "digital-evidence",
    "tokens",
    "sustainability",
    "media",
];

#[test]
fn every_contract_topic_has_a_status_on_the_real_landscape() {
    let (_, analysis) = shipped();
    for id in CONTRACT_TOPICS {
        assert!(
            analysis.topics.iter().any(|t| t.id == id),
            "topic {id} missing"
        );
    }
}

#[test]
fn real_landscape_conclusions_a_rapporteur_can_check() {
    let (_, analysis) = shipped();
    let status = |id: &str| {
        analysis
            .topics
            .iter()
            .find(|t| t.id == id)
            .unwrap()
            .status
            .as_str()
    };
    // Only Q14/17 has an online-voting item (X.stov).
    assert_eq!(status("voting"), "question-only");
    // X.sra-dlt and X.dlt-sec were due 2020-03; the report is dated 2020-09-01.
    let overdue: Vec<&str> = analysis
        .overdue
        .iter()
        .map(|o| o.work_item.as_str())
        .collect();
    assert_eq!(overdue, ["X.sra-dlt", "X.dlt-sec"]);
    // X.1401 (consented, 2019-09) is not overdue; every item maps or is listed as unclassified.
    let mapped = analysis
        .items
        .iter()
        .filter(|i| !i.topics.is_empty())
        .count();
    assert_eq!(mapped + analysis.unclassified.len(), analysis.items.len());
    // X.dlt-sec liaises with "IEEE" (the parent of every IEEE working group): no IEEE body is
    // a missing liaison of it.
    assert!(!analysis
        .missing_liaisons
        .iter()
        .any(|m| m.work_item == "X.dlt-sec" && m.body.starts_with("IEEE")));
}

#[test]
fn iso_tc307_counts_agree_with_the_roadmap_prose() {
    // "Five items are published and 14 items are under development."
    let (checked, _) = shipped();
    let model = &checked.model;
    let tc307 = model.bodies.resolve("ISO/TC 307").unwrap();
    let in_tc307 = |body| model.bodies.ancestry(body).contains(&tc307);
    let items: Vec<_> = model
        .landscape_items()
        .filter(|i| in_tc307(i.body) || i.joint_with.iter().any(|&b| in_tc307(b)))
        .collect();
    let published = items
        .iter()
        .filter(|i| i.status == gapreport::model::Status::Published)
        .count();
    let ongoing = items
        .iter()
        .filter(|i| !i.status.is_done() && !i.status.is_inactive())
        .count();
    assert_eq!((published, ongoing), (5, 14));
}

#[test]
fn explain_knows_every_shipped_item_and_topic() {
    let (_, analysis) = shipped();
    let ids: Vec<String> = gapreport::render::explain::ids(&analysis)
        .map(String::from)
        .collect();
    assert_eq!(ids.len(), 108 + 32);
    for id in &ids {
        let text = gapreport::render::explain::explain(&analysis, id).unwrap();
        assert!(text.contains("defined:"), "{id}: {text}");
    }
}

#[test]
fn explain_knows_every_shipped_body_and_counts_each_item_once_per_body() {
    let (checked, analysis) = shipped();
    let bodies = checked.model.bodies.all();
    assert_eq!(bodies.len(), 88);
    for body in bodies {
        let id = checked.model.bodies.find(&body.id).unwrap();
        assert_eq!(checked.model.bodies.find(&body.name), Some(id));
        let text = gapreport::render::explain::explain_body(&checked.model, &analysis, id);
        assert!(
            text.starts_with(&format!("body {} ({}, ", body.id, body.name)),
            "{text}"
        );
        let listed = text
            .lines()
            .filter(|l| l.starts_with("    - ") && l.contains(" -> "))
            .count();
        let counted: usize = text
            .lines()
            .find_map(|l| l.strip_prefix("  items:    "))
            .and_then(|l| l.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert_eq!(listed, counted, "{text}");
    }
    // A technical committee counts the items of its working groups.
    let tc307 = checked.model.bodies.find("ISO TC 307").unwrap();
    let text = gapreport::render::explain::explain_body(&checked.model, &analysis, tc307);
    assert!(text.contains("  items:    20 (8 security work)"), "{text}");
}

#[test]
fn init_writes_examples_that_build_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let run = gapreport(dir.path(), &["init", "demo"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = gapreport(dir.path(), &["check", "--inputs", "demo"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.is_empty(), "warnings: {}", check.stderr);
    let (report, _) = build(&dir.path().join("demo"));
    assert_eq!(report["summary"]["items"], 3);
    assert_eq!(topic(&report, "smart-contracts")["status"], "question-only");
    // A second init changes nothing and names the files in the way.
    std::fs::write(dir.path().join("demo/report.yaml"), "edited\n").unwrap();
    let again = gapreport(dir.path(), &["init", "demo"]);
    assert_eq!(again.code, 1);
    assert!(
        again
            .stderr
            .contains("refusing to overwrite existing files"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("demo/report.yaml")).unwrap(),
        "edited\n"
    );
}

#[test]
fn inputs_saved_with_windows_line_ends_give_the_same_report_json() {
    let build = |dir: &Path| {
        let run = gapreport(
            dir,
            &["build", "--inputs", ".", "--out", "out", "--format", "json"],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        std::fs::read(dir.join("out/report.json")).unwrap()
    };
    let unix = fixture_with(None);
    let windows = fixture_with(None);
    for entry in walkdir::WalkDir::new(windows.path()) {
        let entry = entry.unwrap();
        let path = entry.path();
        if entry.file_type().is_file() && path.extension().is_some_and(|e| e == "yaml" || e == "md")
        {
            let text = std::fs::read_to_string(path).unwrap();
            assert!(!text.contains('\r'));
            std::fs::write(path, text.replace('\n', "\r\n")).unwrap();
        }
    }
    let (a, b) = (build(unix.path()), build(windows.path()));
    assert!(
        a == b,
        "{}",
        String::from_utf8_lossy(&b)
            .lines()
            .zip(String::from_utf8_lossy(&a).lines())
            .find(|(b, a)| a != b)
            .map(|(b, a)| format!("LF:   {a}\nCRLF: {b}"))
            .unwrap_or_default()
    );
}
