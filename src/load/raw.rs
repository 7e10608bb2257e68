//! The input files as written: one serde struct per kind of file or entry, before any value is
//! checked. Unknown keys are rejected by [`super::yaml::decode`] against these structs' fields.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};
use serde_yaml::Value;

use super::yaml::Shape;
use crate::model::Status;

/// A scalar read as text whether YAML typed it as a string or a number (`date: 2019`, `id: 22739`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Text {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": ["string", "number"] })
    }
}

/// A status: one of [`Status::NAMES`].
fn status_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "enum": Status::NAMES })
}

/// `report.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    /// The report's title, on the cover page and in the PDF metadata.
    pub title: String,
    /// Document number, e.g. `SG17-TD1234`.
    pub document: Text,
    /// The Question, e.g. `Q14/17`.
    pub question: String,
    /// Report date, `YYYY-MM-DD`: work items whose timing is before it are overdue.
    pub date: Text,
    /// The meeting the report is for.
    pub meeting: Option<String>,
    /// Authors, as they appear on the cover page.
    #[serde(default)]
    pub authors: Vec<String>,
    /// An earlier `report.json` (path relative to the inputs folder) to list the changes since.
    pub baseline: Option<String>,
}

impl Shape for RawReport {
    const WHAT: &'static str = "report.yaml";
    const REQUIRED: &'static [&'static str] = &["title", "document", "question", "date"];
    const PROSE: &'static [&'static str] = &["title", "meeting"];
}

/// The front matter of `question.md`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    /// The Question, e.g. `Q14/17`.
    pub id: String,
    /// The Question's title.
    pub title: String,
    /// Study items, each `{id, text}` (ids `a`, `b`, ...).
    #[serde(default)]
    #[schemars(with = "Vec<RawEntry>")]
    pub study_items: Vec<Value>,
    /// Tasks, each `{id, text}` (ids `a`, `b`, ...).
    #[serde(default)]
    #[schemars(with = "Vec<RawEntry>")]
    pub tasks: Vec<Value>,
}

impl Shape for RawQuestion {
    const WHAT: &'static str = "question.md front matter";
    const REQUIRED: &'static [&'static str] = &["id", "title"];
    const PROSE: &'static [&'static str] = &["title"];
}

/// A study item or task of the Question: `{id, text}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEntry {
    /// Its letter: `a`, `b`, ...
    pub id: Text,
    /// Its text.
    pub text: String,
}

impl Shape for RawEntry {
    const WHAT: &'static str = "study item or task";
    const REQUIRED: &'static [&'static str] = &["id", "text"];
    const PROSE: &'static [&'static str] = &["text"];
}

/// `work-programme.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWorkProgramme {
    /// The Question's own work items.
    #[schemars(with = "Vec<RawWorkItem>")]
    pub items: Vec<Value>,
}

impl Shape for RawWorkProgramme {
    const WHAT: &'static str = "work-programme.yaml";
    const REQUIRED: &'static [&'static str] = &["items"];
    const PROSE: &'static [&'static str] = &[];
}

/// One of the Question's own work items.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWorkItem {
    /// The work item's designation, e.g. `X.sra-dlt` or `X.1401`; unique across all files.
    pub id: Text,
    /// Title.
    pub title: String,
    /// Normalised status: study, proposed, under-development, consented, approved, published,
    /// closed or withdrawn (the source's own words go in `stage`).
    #[schemars(schema_with = "status_schema")]
    pub status: String,
    /// The source's own wording of the status, e.g. `working item`.
    pub stage: Option<String>,
    /// Type of document: Rec, Supplement, TR, ...
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Approval process: AAP (alternative) or TAP (traditional).
    #[schemars(extend("enum" = ["AAP", "TAP"]))]
    pub approval: Option<String>,
    /// Priority: high, medium or low.
    #[schemars(extend("enum" = ["high", "medium", "low"]))]
    pub priority: Option<String>,
    /// Target date, `YYYY-MM`: the item is overdue if it is before the report date and the item is
    /// not consented, approved or published.
    pub timing: Option<Text>,
    /// Bodies the item liaises with, as the source writes them (each must resolve through
    /// `bodies.yaml`).
    #[serde(default)]
    pub liaisons: Vec<String>,
    /// The base text (a TD or contribution number).
    pub base_text: Option<Text>,
    /// Editors.
    #[serde(default)]
    pub editors: Vec<String>,
    /// Summary; matched by the taxonomy's patterns like the title.
    pub summary: Option<String>,
    /// Notes; matched by the taxonomy's patterns like the title.
    pub notes: Option<String>,
    /// Topic ids (from `taxonomy.yaml`) set by hand, besides those the patterns find.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Topic ids this item is not mapped to although a pattern finds them: a mapping judged
    /// wrong for this item alone (the report shows what was overruled).
    #[serde(default)]
    pub exclude_topics: Vec<String>,
}

impl Shape for RawWorkItem {
    const WHAT: &'static str = "work item";
    const REQUIRED: &'static [&'static str] = &["id", "title", "status"];
    const PROSE: &'static [&'static str] = &["title", "summary", "notes"];
}

/// `bodies.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBodies {
    /// Every body named anywhere in the inputs.
    #[schemars(with = "Vec<RawBody>")]
    pub bodies: Vec<Value>,
}

impl Shape for RawBodies {
    const WHAT: &'static str = "bodies.yaml";
    const REQUIRED: &'static [&'static str] = &["bodies"];
    const PROSE: &'static [&'static str] = &[];
}

/// One standards body, group or project team.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBody {
    /// A short id, used in anchors (`#body-ID`).
    pub id: String,
    /// The name shown in the report.
    pub name: String,
    /// Organisation: ITU-T, ISO, IEEE, W3C, ETSI, IETF, ...
    pub org: String,
    /// The body's full title.
    pub title: Option<String>,
    /// The id of the body it belongs to (a liaison with the parent covers it).
    pub parent: Option<String>,
    /// Other names it is written as; names match ignoring case and punctuation.
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl Shape for RawBody {
    const WHAT: &'static str = "body";
    const REQUIRED: &'static [&'static str] = &["id", "name", "org"];
    const PROSE: &'static [&'static str] = &["title"];
}

/// `taxonomy.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTaxonomy {
    /// Regexes (Rust `regex` syntax) that mark an item as security work.
    #[serde(default)]
    pub security_patterns: Vec<String>,
    /// Phrases in which a security word is a false friend ("social security", "food
    /// security"): the security patterns do not match inside them.
    #[serde(default)]
    pub security_false_friends: Vec<String>,
    /// Named lists of patterns that place a text in a context ("ledger": blockchain, DLT, ...),
    /// which a topic's `patterns_in_context` require in the same field.
    #[serde(default)]
    pub contexts: BTreeMap<String, Vec<String>>,
    /// The topics items are mapped to.
    #[schemars(with = "Vec<RawTopic>")]
    pub topics: Vec<Value>,
}

impl Shape for RawTaxonomy {
    const WHAT: &'static str = "taxonomy.yaml";
    const REQUIRED: &'static [&'static str] = &["topics"];
    const PROSE: &'static [&'static str] = &[];
}

/// One topic of the taxonomy.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    /// Topic id, used in `topics` lists, anchors and report.json.
    pub id: String,
    /// The name shown in the report.
    pub label: String,
    /// The roadmap's group: platform, management or applications.
    #[schemars(extend("enum" = ["platform", "management", "applications"]))]
    pub group: String,
    /// What the topic covers, shown under its heading and used for suggestions.
    pub description: Option<String>,
    /// Regexes (Rust `regex` syntax, case-insensitive) matched against an item's title, summary and
    /// notes.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Regexes that veto the topic for an item (false friends).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Work on this topic is security work: an item mapped to it is security-relevant, with the
    /// mapping as evidence (identity management, cryptography, ...).
    #[serde(default)]
    pub security: bool,
    /// Patterns that count only where the named context also matches the same field.
    #[serde(default)]
    pub patterns_in_context: BTreeMap<String, Vec<String>>,
}

impl Shape for RawTopic {
    const WHAT: &'static str = "topic";
    const REQUIRED: &'static [&'static str] = &["id", "label", "group"];
    const PROSE: &'static [&'static str] = &["description"];
}

/// A landscape file (`.yaml`, or the front matter of a `.md`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLandscapeFile {
    /// Organisation: ITU-T, ISO, IEEE, W3C, ETSI, IETF, ...
    pub org: String,
    /// The body the file is about (a name or alias from `bodies.yaml`).
    pub body: String,
    /// Short notes about the body's work, shown in the report.
    pub notes: Option<String>,
    /// The body's work items.
    #[schemars(with = "Vec<RawLandscapeItem>")]
    pub items: Vec<Value>,
}

impl Shape for RawLandscapeFile {
    const WHAT: &'static str = "landscape file";
    const REQUIRED: &'static [&'static str] = &["org", "body", "items"];
    const PROSE: &'static [&'static str] = &["notes"];
}

/// One work item of another body.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLandscapeItem {
    /// The item's designation, e.g. `ISO/TS 23635`; unique across all files.
    pub id: Text,
    /// Title.
    pub title: String,
    /// Normalised status: study, proposed, under-development, consented, approved, published,
    /// closed or withdrawn (the source's own words go in `stage`).
    #[schemars(schema_with = "status_schema")]
    pub status: String,
    /// The source's own wording of the status, e.g. `3rd CD ballot`, `PWI`.
    pub stage: Option<String>,
    /// Type of document: Standard, TS, TR, Recommendation, ...
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Publication or status date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<Text>,
    /// Summary; matched by the taxonomy's patterns like the title.
    pub summary: Option<String>,
    /// Notes; matched by the taxonomy's patterns like the title.
    pub notes: Option<String>,
    /// The body that develops it, when not the file's `body`.
    pub body: Option<String>,
    /// Bodies it is developed jointly with.
    #[serde(default)]
    pub joint_with: Vec<String>,
    /// Topic ids (from `taxonomy.yaml`) set by hand, besides those the patterns find.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Topic ids this item is not mapped to although a pattern finds them: a mapping judged
    /// wrong for this item alone (the report shows what was overruled).
    #[serde(default)]
    pub exclude_topics: Vec<String>,
    /// Links to the item (URLs).
    #[serde(default)]
    pub links: Vec<String>,
}

impl Shape for RawLandscapeItem {
    const WHAT: &'static str = "landscape item";
    const REQUIRED: &'static [&'static str] = &["id", "title", "status"];
    const PROSE: &'static [&'static str] = &["title", "summary", "notes"];
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each prose key is a key of its mapping: a misspelt one would never be checked.
    #[test]
    fn prose_keys_are_keys() {
        fn check<T: Shape>() {
            for key in T::PROSE {
                assert!(T::allowed().contains(key), "{}: {key}", T::WHAT);
            }
        }
        check::<RawReport>();
        check::<RawQuestion>();
        check::<RawEntry>();
        check::<RawWorkItem>();
        check::<RawBody>();
        check::<RawTopic>();
        check::<RawLandscapeFile>();
        check::<RawLandscapeItem>();
    }
}
