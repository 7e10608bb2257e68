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

/// The cut values of a text: path, `line:col` of the `#`, the value read and the whole text.
fn cuts(text: &str) -> Vec<(String, String, String, String)> {
    let index = parse("f.yaml", text, 0).unwrap().index;
    let mut cuts: Vec<_> = (index.cut.iter())
        .map(|(path, c)| {
            let at = format!("{}:{}", c.at.0, c.at.1);
            (path.clone(), at, c.value.clone(), c.whole.clone())
        })
        .collect();
    cuts.sort();
    cuts
}

#[test]
fn a_value_cut_by_a_comment_after_one_space_is_found() {
    let text = "items:\n  - id: A\n    title: Information model #2 for blockchain  \n";
    assert_eq!(
        cuts(text),
        [(
            "items[0].title".to_string(),
            "3:30".to_string(),
            "Information model".to_string(),
            "Information model #2 for blockchain".to_string(),
        )]
    );
    // A tab is one blank too; the column counts characters.
    assert_eq!(cuts("title: Modèle\t#3\n")[0].1, "1:15");
    // A line ending in CRLF: the break is not part of the rest.
    assert_eq!(cuts("id: B\r\ntitle: A #1\r\n")[0].3, "A #1");
    // Folded over two lines, the value still starts on its key's line.
    assert_eq!(
        cuts("title: Information\n  model #2\n")[0].2,
        "Information model"
    );
}

#[test]
fn comments_that_cut_nothing_are_not_found() {
    let texts = [
        "title: Information model  # two spaces: a comment meant\n",
        "title: \"Information model\" # quoted\n",
        "title: 'Information model' # quoted\n",
        "title: Information model#2\n",
        "# a line of its own\ntitle: Information model\n",
        "title:\n  Information model #2\n",
        "items:\n  - Information model #2\n",
        "title: |\n  Information model #2\n",
    ];
    for text in texts {
        assert!(cuts(text).is_empty(), "{text}");
    }
}

#[test]
fn a_cut_prose_value_is_warned_of_with_the_value_quoted() {
    let text = "id: A #1\ntitle: Model #2 for \"ledgers\"\nstatus: study # since 2023\n";
    let doc = parse("f.md", text, 1).unwrap();
    let mut diags = Diagnostics::default();
    for key in ["id", "title", "status"] {
        doc.index.warn_if_cut("", key, &mut diags);
    }
    let shown: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
    assert_eq!(shown.len(), 3);
    assert_eq!(
        shown[1],
        "f.md:3:14: warning: the text after ` #` is a YAML comment, so `title` is `Model`\n  \
         help: quote the value: title: 'Model #2 for \"ledgers\"'; if the text after `#` is a \
         comment, put two spaces before the `#`"
    );
    assert_eq!(quoted("it's"), "\"it's\"");
    assert_eq!(quoted("a \\d"), "'a \\d'");
}
