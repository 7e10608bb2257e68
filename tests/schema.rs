//! `gapreport schema`: the JSON Schemas validate the shipped inputs and the `init` examples, reject
//! a misspelt key, and the copies committed in `inputs/schemas/` match what the binary generates.

mod common;

use common::gapreport;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn validator(name: &str) -> jsonschema::Validator {
    let (_, text) = gapreport::schema::schemas()
        .into_iter()
        .find(|(n, _)| *n == name)
        .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

/// The schema file a YAML file declares on its first line (modeline), resolved from its folder.
fn declared_schema(path: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(path).unwrap();
    let target = text
        .lines()
        .next()?
        .strip_prefix("# yaml-language-server: $schema=")?;
    Some(path.parent()?.join(target))
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect()
}

fn assert_valid(dir: &Path) {
    let files = yaml_files(dir);
    assert!(files.len() >= 4, "{files:?}");
    for path in files {
        let schema = declared_schema(&path)
            .unwrap_or_else(|| panic!("{} has no schema modeline", path.display()));
        assert!(
            schema.exists(),
            "{}: modeline names a missing file",
            path.display()
        );
        let name = schema.file_name().unwrap().to_string_lossy().into_owned();
        let value: serde_json::Value =
            serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let errors: Vec<String> = validator(&name)
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
}

#[test]
fn shipped_inputs_validate_against_their_schemas() {
    assert_valid(&root().join("inputs"));
}

#[test]
fn init_examples_validate_against_their_schemas() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(gapreport(dir.path(), &["init", "demo"]).code, 0);
    assert_valid(&dir.path().join("demo"));
}

#[test]
fn init_examples_commented_out_work_when_uncommented() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(gapreport(dir.path(), &["init", "demo"]).code, 0);
    let demo = dir.path().join("demo");
    // Every commented-out key of an item (`    # topics: [...]`) becomes a key.
    let mut uncommented = 0;
    for file in ["landscape/iso-tc307.yaml", "work-programme.yaml"] {
        let path = demo.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<String> = (text.lines())
            .map(|l| match l.split_once("# ") {
                Some((indent, rest))
                    if !indent.is_empty()
                        && indent.trim().is_empty()
                        && rest.split(':').next().is_some_and(|k| {
                            !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                        }) =>
                {
                    uncommented += 1;
                    format!("{indent}{rest}")
                }
                _ => l.to_string(),
            })
            .collect();
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    }
    assert!(uncommented >= 3, "{uncommented} examples uncommented");
    let run = gapreport(&demo, &["check", "--inputs", ".", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_misspelt_key_is_rejected() {
    let item =
        "org: IEEE\nbody: IEEE\nitems:\n  - id: P1\n    titel: Consensus\n    status: published\n";
    let value: serde_json::Value = serde_yaml::from_str(item).unwrap();
    let errors: Vec<String> = validator("landscape.schema.json")
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.iter().any(|e| e.contains("titel")), "{errors:?}");
    let bad_status = "org: IEEE\nbody: IEEE\nitems:\n  - {id: P1, title: T, status: ongoing}\n";
    let value: serde_json::Value = serde_yaml::from_str(bad_status).unwrap();
    assert!(!validator("landscape.schema.json").is_valid(&value));
}

#[test]
fn committed_schemas_match_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let run = gapreport(dir.path(), &["schema", "--out", "s"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (name, _) in gapreport::schema::schemas() {
        let generated = std::fs::read_to_string(dir.path().join("s").join(name)).unwrap();
        let committed = std::fs::read_to_string(root().join("inputs/schemas").join(name)).unwrap();
        assert_eq!(
            generated, committed,
            "inputs/schemas/{name} is stale: run `gapreport schema`"
        );
    }
}

/// Every key an input file may hold, in the root object and every definition of each schema.
fn keys(schema: &serde_json::Value) -> Vec<(String, &serde_json::Value)> {
    let objects = std::iter::once(("root".to_string(), schema)).chain(
        (schema["$defs"].as_object().into_iter().flatten()).map(|(name, d)| (name.clone(), d)),
    );
    objects
        .flat_map(|(object, d)| {
            (d["properties"].as_object().into_iter().flatten())
                .map(move |(key, p)| (format!("{object}.{key}"), p))
        })
        .collect()
}

#[test]
fn every_key_has_a_description_editors_show() {
    let mut described = 0;
    for (name, text) in gapreport::schema::schemas() {
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        for (key, property) in keys(&schema) {
            let description = property["description"].as_str().unwrap_or("");
            assert!(
                !description.trim().is_empty(),
                "{name}: {key} has no description"
            );
            described += 1;
        }
    }
    // report 7, question 4 + entry 2, work programme 1 + item 15, bodies 1 + body 6,
    // taxonomy 4 + topic 8, landscape 4 + item 13.
    assert_eq!(described, 65);
}

#[test]
fn text_written_as_a_number_is_valid_for_the_editor_and_the_tool_alike() {
    // YAML reads these as numbers; the loader keeps their text as written, so the schema must
    // not flag them in an editor either.
    let numbers = "org: IEEE\nbody: IEEE\nnotes: 2024\nitems:\n  - id: 2418.10\n    \
                   title: 1.10\n    status: proposed\n    stage: 0123\n    summary: 42\n    \
                   links: [https://example.org/1]\n    joint_with: [IEEE]\n";
    let value: serde_json::Value = serde_yaml::from_str(numbers).unwrap();
    let errors: Vec<String> = validator("landscape.schema.json")
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let dir = common::fixture_with(None);
    std::fs::write(dir.path().join("landscape/numbers.yaml"), numbers).unwrap();
    let run = gapreport(
        dir.path(),
        &["build", "--inputs", ".", "--out", "out", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/report.json")).unwrap())
            .unwrap();
    let item = (report["items"].as_array().unwrap().iter())
        .find(|i| i["id"] == "2418.10")
        .expect("the item, its id as written");
    assert_eq!(item["title"], "1.10");
    // A value from a list is still checked: a number is not a status.
    let status: serde_json::Value =
        serde_yaml::from_str("org: IEEE\nbody: IEEE\nitems:\n  - {id: P1, title: T, status: 3}\n")
            .unwrap();
    assert!(!validator("landscape.schema.json").is_valid(&status));
}

#[test]
fn a_blank_required_text_or_a_padded_id_is_flagged_as_check_flags_it() {
    let landscape = |item: &str| -> serde_json::Value {
        serde_yaml::from_str(&format!("org: IEEE\nbody: IEEE\nitems:\n  - {item}\n")).unwrap()
    };
    let schema = validator("landscape.schema.json");
    assert!(schema.is_valid(&landscape("{id: P1, title: T, status: proposed}")));
    assert!(schema.is_valid(&landscape("{id: 2418.10, title: 1.10, status: proposed}")));
    for flagged in [
        "{id: P1, title: '   ', status: proposed}",
        "{id: '', title: T, status: proposed}",
        "{id: '  P1  ', title: T, status: proposed}",
    ] {
        assert!(!schema.is_valid(&landscape(flagged)), "{flagged}");
        let dir = common::fixture_with(None);
        std::fs::write(
            dir.path().join("landscape/extra.yaml"),
            format!("org: IEEE\nbody: IEEE\nitems:\n  - {flagged}\n"),
        )
        .unwrap();
        let run = gapreport(dir.path(), &["check", "--inputs", "."]);
        assert_eq!(run.code, 1, "check flags {flagged} too: {}", run.stderr);
    }
}
