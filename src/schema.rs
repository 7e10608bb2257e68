//! `gapreport schema`: a JSON Schema for each kind of input file, generated from the same structs
//! the loader decodes (so they cannot drift), for editors that validate and complete YAML.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;

use crate::load::raw::{
    RawBodies, RawLandscapeFile, RawQuestion, RawReport, RawTaxonomy, RawWorkProgramme,
};

/// (file name, schema as pretty JSON) for every kind of input file.
pub fn schemas() -> Vec<(&'static str, String)> {
    vec![
        ("report.schema.json", schema::<RawReport>("report.yaml")),
        (
            "question.schema.json",
            schema::<RawQuestion>("question.md front matter"),
        ),
        (
            "work-programme.schema.json",
            schema::<RawWorkProgramme>("work-programme.yaml"),
        ),
        ("bodies.schema.json", schema::<RawBodies>("bodies.yaml")),
        (
            "taxonomy.schema.json",
            schema::<RawTaxonomy>("taxonomy.yaml"),
        ),
        (
            "landscape.schema.json",
            schema::<RawLandscapeFile>("a landscape file (landscape/**/*.yaml)"),
        ),
    ]
}

fn schema<T: JsonSchema>(what: &str) -> String {
    let mut schema = schemars::generate::SchemaSettings::draft2020_12()
        .with_transform(numbers_as_text)
        .with_transform(required_text_not_blank)
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert("title".into(), format!("gapreport: {what}").into());
    let mut text = serde_json::to_string_pretty(&schema).expect("schemas serialise");
    text.push('\n');
    text
}

/// Writes every schema into `dir` (created if needed); returns the files written.
pub fn write(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    schemas()
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text)?;
            Ok(path)
        })
        .collect()
}

/// Lets every text value be written as a number too (`stage: 0123`, `title: 1.10`): the loader
/// keeps a number's text as written wherever it takes text, so an editor must not flag it.
/// Values from a list (`status`) stay as they are.
fn numbers_as_text(schema: &mut schemars::Schema) {
    if let Some(object) = schema.as_object_mut() {
        if !object.contains_key("enum") {
            match object.get_mut("type") {
                Some(serde_json::Value::String(t)) if t == "string" => {
                    object.insert("type".into(), serde_json::json!(["string", "number"]));
                }
                Some(serde_json::Value::Array(types))
                    if types.contains(&"string".into()) && !types.contains(&"number".into()) =>
                {
                    let at = types
                        .iter()
                        .position(|t| t == "string")
                        .map_or(0, |i| i + 1);
                    types.insert(at, "number".into());
                }
                _ => {}
            }
        }
    }
    schemars::transform::transform_subschemas(&mut numbers_as_text, schema);
}

/// A required text may not be blank, and an `id` may not have spaces around it, as the loader
/// checks (an `id: "  X.1401  "` would hide a duplicate): an editor flags them as `check` does.
fn required_text_not_blank(schema: &mut schemars::Schema) {
    if let Some(object) = schema.as_object_mut() {
        let required: Vec<String> = (object.get("required").and_then(|r| r.as_array()))
            .map(|keys| {
                keys.iter()
                    .filter_map(|k| k.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let properties = object.get_mut("properties").and_then(|p| p.as_object_mut());
        for (key, property) in properties.into_iter().flatten() {
            let is_text = property.get("type").is_some_and(|t| match t {
                serde_json::Value::String(t) => t == "string",
                serde_json::Value::Array(types) => types.contains(&"string".into()),
                _ => false,
            });
            // An id is text of its own kind (`$ref` to `Text`): a pattern beside it applies.
            let is_text = is_text || key == "id";
            if required.contains(key) && is_text && property.get("enum").is_none() {
                let pattern = if key == "id" { r"^\S(.*\S)?$" } else { r"\S" };
                property["pattern"] = pattern.into();
            }
        }
    }
    schemars::transform::transform_subschemas(&mut required_text_not_blank, schema);
}
