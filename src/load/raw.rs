//! The input files as written: one serde struct per kind of file or entry, before any value is
//! checked. Unknown keys are rejected by [`super::yaml::decode`] against these structs' fields.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};
use serde_yaml::Value;

use super::yaml::Shape;

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

/// `report.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    pub title: String,
    pub document: Text,
    pub question: String,
    pub date: Text,
    pub meeting: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    pub baseline: Option<String>,
}

impl Shape for RawReport {
    const WHAT: &'static str = "report.yaml";
    const REQUIRED: &'static [&'static str] = &["title", "document", "question", "date"];
}

/// The front matter of `question.md`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: String,
    pub title: String,
    #[serde(default)]
    #[schemars(with = "Vec<RawEntry>")]
    pub study_items: Vec<Value>,
    #[serde(default)]
    #[schemars(with = "Vec<RawEntry>")]
    pub tasks: Vec<Value>,
}

impl Shape for RawQuestion {
    const WHAT: &'static str = "question.md front matter";
    const REQUIRED: &'static [&'static str] = &["id", "title"];
}

/// A study item or task of the Question: `{id, text}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEntry {
    pub id: Text,
    pub text: String,
}

impl Shape for RawEntry {
    const WHAT: &'static str = "study item or task";
    const REQUIRED: &'static [&'static str] = &["id", "text"];
}

/// `work-programme.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWorkProgramme {
    #[schemars(with = "Vec<RawWorkItem>")]
    pub items: Vec<Value>,
}

impl Shape for RawWorkProgramme {
    const WHAT: &'static str = "work-programme.yaml";
    const REQUIRED: &'static [&'static str] = &["items"];
}

/// One of the Question's own work items.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWorkItem {
    pub id: Text,
    pub title: String,
    #[schemars(extend("enum" = ["study", "proposed", "under-development", "consented", "approved", "published", "closed", "withdrawn"]))]
    pub status: String,
    pub stage: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    #[schemars(extend("enum" = ["AAP", "TAP"]))]
    pub approval: Option<String>,
    #[schemars(extend("enum" = ["high", "medium", "low"]))]
    pub priority: Option<String>,
    pub timing: Option<Text>,
    #[serde(default)]
    pub liaisons: Vec<String>,
    pub base_text: Option<Text>,
    #[serde(default)]
    pub editors: Vec<String>,
    pub summary: Option<String>,
    pub notes: Option<String>,
    #[serde(default)]
    pub topics: Vec<String>,
}

impl Shape for RawWorkItem {
    const WHAT: &'static str = "work item";
    const REQUIRED: &'static [&'static str] = &["id", "title", "status"];
}

/// `bodies.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBodies {
    #[schemars(with = "Vec<RawBody>")]
    pub bodies: Vec<Value>,
}

impl Shape for RawBodies {
    const WHAT: &'static str = "bodies.yaml";
    const REQUIRED: &'static [&'static str] = &["bodies"];
}

/// One standards body, group or project team.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBody {
    pub id: String,
    pub name: String,
    pub org: String,
    pub title: Option<String>,
    pub parent: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl Shape for RawBody {
    const WHAT: &'static str = "body";
    const REQUIRED: &'static [&'static str] = &["id", "name", "org"];
}

/// `taxonomy.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTaxonomy {
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
    #[schemars(with = "Vec<RawTopic>")]
    pub topics: Vec<Value>,
}

impl Shape for RawTaxonomy {
    const WHAT: &'static str = "taxonomy.yaml";
    const REQUIRED: &'static [&'static str] = &["topics"];
}

/// One topic of the taxonomy.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub id: String,
    pub label: String,
    #[schemars(extend("enum" = ["platform", "management", "applications"]))]
    pub group: String,
    pub description: Option<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
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
}

/// A landscape file (`.yaml`, or the front matter of a `.md`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLandscapeFile {
    pub org: String,
    pub body: String,
    pub notes: Option<String>,
    #[schemars(with = "Vec<RawLandscapeItem>")]
    pub items: Vec<Value>,
}

impl Shape for RawLandscapeFile {
    const WHAT: &'static str = "landscape file";
    const REQUIRED: &'static [&'static str] = &["org", "body", "items"];
}

/// One work item of another body.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLandscapeItem {
    pub id: Text,
    pub title: String,
    #[schemars(extend("enum" = ["study", "proposed", "under-development", "consented", "approved", "published", "closed", "withdrawn"]))]
    pub status: String,
    pub stage: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub date: Option<Text>,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub body: Option<String>,
    #[serde(default)]
    pub joint_with: Vec<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub links: Vec<String>,
}

impl Shape for RawLandscapeItem {
    const WHAT: &'static str = "landscape item";
    const REQUIRED: &'static [&'static str] = &["id", "title", "status"];
}
