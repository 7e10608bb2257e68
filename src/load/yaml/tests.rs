//! The YAML reader: positions, numbers kept as written, duplicate keys and syntax errors.

use super::*;

#[test]
fn index_records_keys_and_elements() {
    let text = "org: ITU-T\nitems:\n  - id: A\n    title: T\n  - {id: B, title: U}\n";
    let doc = parse("f.yaml", text, 0).unwrap();
    assert_eq!(doc.index.loc("org").to_string(), "f.yaml:1:1");
    assert_eq!(doc.index.loc("items[0]").to_string(), "f.yaml:3:5");
    assert_eq!(doc.index.loc("items[0].title").to_string(), "f.yaml:4:5");
    assert_eq!(doc.index.loc("items[1].title").to_string(), "f.yaml:5:13");
    // Unknown paths fall back to the nearest ancestor.
    assert_eq!(doc.index.loc("items[1].nope").to_string(), "f.yaml:5:5");
}

#[test]
fn offset_shifts_lines() {
    let doc = parse("f.md", "id: x\n", 1).unwrap();
    assert_eq!(doc.index.loc("id").to_string(), "f.md:2:1");
}

#[test]
fn numbers_keep_the_text_written() {
    let text = "id: 1.10\nn: 7\nitems:\n  - {base_text: 0123, date: 2019}\n  - liaisons: [2418.10, '1.10', 0x1F, +1, .5, -0, 1e3]\nq: \"1.10\"\nok: true\n";
    let doc = parse("f.yaml", text, 0).unwrap();
    let v = &doc.value;
    assert_eq!(v["id"], Value::from("1.10"));
    assert_eq!(v["n"], Value::from("7"));
    assert_eq!(v["items"][0]["base_text"], Value::from("0123"));
    assert_eq!(v["items"][0]["date"], Value::from("2019"));
    let liaisons: Vec<&str> = v["items"][1]["liaisons"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(
        liaisons,
        ["2418.10", "1.10", "0x1F", "+1", ".5", "-0", "1e3"]
    );
    assert_eq!(v["q"], Value::from("1.10"));
    assert_eq!(v["ok"], Value::Bool(true));
}

#[test]
fn an_alias_of_a_number_keeps_the_text_written() {
    let text =
        "edition: &v 1.10\nitems:\n  - {id: A, edition: *v}\n  - [*v, 2.50]\nq: &s '1.10'\nr: *s\n";
    let v = parse("f.yaml", text, 0).unwrap().value;
    assert_eq!(v["edition"], Value::from("1.10"));
    assert_eq!(v["items"][0]["edition"], Value::from("1.10"));
    assert_eq!(v["items"][1][0], Value::from("1.10"));
    assert_eq!(v["items"][1][1], Value::from("2.50"));
    assert_eq!(v["r"], Value::from("1.10"));
}

#[test]
fn merge_keys_merge() {
    let text = "base: &b {status: proposed, stage: PWI}\nitem:\n  <<: *b\n  stage: WD\n";
    let doc = parse("f.yaml", text, 0).unwrap();
    assert_eq!(doc.value["item"]["status"], Value::from("proposed"));
    assert_eq!(doc.value["item"]["stage"], Value::from("WD"));
    assert!(doc.value["item"].get("<<").is_none());
    let err = parse("f.yaml", "a: 1\nitem:\n  <<: 5\n", 0).unwrap_err();
    assert_eq!(err.loc.to_string(), "f.yaml:3:1");
}

#[test]
fn a_key_given_twice_is_an_error_at_the_second() {
    let err = parse("f.md", "items:\n  - id: A\n    title: T\n    id: B\n", 1).unwrap_err();
    assert_eq!(err.loc.to_string(), "f.md:5:5");
    assert!(err.message.contains("key `id` is given twice"), "{err}");
    assert!(err.message.contains("first at line 3"), "{err}");
    // The same key in two mappings is not a duplicate.
    assert!(parse("f.yaml", "a: {id: 1}\nb: {id: 2}\n", 0).is_ok());
}

#[test]
fn syntax_error_has_line() {
    let err = parse("f.yaml", "a: b\nc: [d\n", 0).unwrap_err();
    assert_eq!(err.loc.file, "f.yaml");
    assert!(err.loc.line >= 2, "{err}");
    assert!(err.message.starts_with("invalid YAML"), "{err}");
}
