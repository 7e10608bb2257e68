//! An earlier report, read back from its `report.json` as far as the changes since it need:
//! what report it was, its items (status, title, topics, details) and its topics' coverage.

use serde::Serialize;

use crate::diagnostic::SourceLoc;

/// An earlier `report.json`, as far as the comparison needs it (other keys are ignored).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Baseline {
    /// The file, relative to the inputs folder (set by the loader).
    #[serde(skip)]
    pub path: String,
    /// Where `report.yaml` names it (set by the loader).
    #[serde(skip)]
    pub named_at: SourceLoc,
    /// The report it is: its document number, date and meeting (a `report.json` has them).
    #[serde(default)]
    pub report: Option<BaselineReport>,
    /// Its items.
    pub items: Vec<BaselineItem>,
    /// Its topics.
    pub topics: Vec<BaselineTopic>,
}

/// What an earlier report was: the `report` of its `report.json`.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct BaselineReport {
    /// Its document number.
    pub document: String,
    /// Its date.
    pub date: String,
    /// The meeting it was for.
    #[serde(default)]
    pub meeting: Option<String>,
}

/// An item of an earlier report.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct BaselineItem {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: String,
    /// Topics.
    #[serde(default)]
    pub topics: Vec<BaselineTopicRef>,
    /// Its other values, in a `report.json` that has them (written since they were added); a
    /// value left out of them was not set.
    #[serde(default)]
    pub details: Option<BaselineDetails>,
}

/// The values of an item of an earlier report whose changes are reported besides status, title
/// and topics: where it stands in its body's process and when.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct BaselineDetails {
    /// The source's wording of the status.
    pub stage: Option<String>,
    /// A work item's target date.
    pub timing: Option<String>,
    /// A landscape item's date.
    pub date: Option<String>,
}

/// A topic of an item of an earlier report.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct BaselineTopicRef {
    /// Topic id.
    pub id: String,
}

/// A topic of an earlier report.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct BaselineTopic {
    /// Topic id.
    pub id: String,
    /// Its coverage status then.
    pub status: String,
}
