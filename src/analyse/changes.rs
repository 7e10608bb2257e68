//! Changes since the baseline (the `report.json` of an earlier meeting): items added, removed and
//! changed (status, title, topics, and, when the baseline has items' details, stage, timing and
//! date), and topics whose coverage status changed.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{ItemAnalysis, TopicCoverage};
use crate::model::{Baseline, BaselineDetails, Model};

/// What changed since the baseline.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Changes {
    /// The baseline file, relative to the inputs folder.
    pub baseline: String,
    /// Items not in the baseline.
    pub added: Vec<ItemRef>,
    /// Baseline items no longer in the inputs.
    pub removed: Vec<ItemRef>,
    /// Items whose status, title, topics, stage, timing or date changed.
    pub changed: Vec<ItemChange>,
    /// Topics whose coverage status changed.
    pub topics: Vec<TopicChange>,
}

/// An item named by id and title.
#[derive(Debug, Clone, Serialize)]
pub struct ItemRef {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
}

/// The changes of one item.
#[derive(Debug, Clone, Serialize)]
pub struct ItemChange {
    /// Id.
    pub id: String,
    /// One entry per changed field.
    pub fields: Vec<FieldChange>,
}

/// One changed field: `status`, `title`, `topics`, `stage`, `timing` or `date` (an unset value
/// is empty).
#[derive(Debug, Clone, Serialize)]
pub struct FieldChange {
    /// Field name.
    pub field: &'static str,
    /// Value in the baseline.
    pub before: String,
    /// Value now.
    pub after: String,
}

/// A topic whose coverage status changed.
#[derive(Debug, Clone, Serialize)]
pub struct TopicChange {
    /// Topic id.
    pub id: String,
    /// Status in the baseline (`absent` if the topic is new).
    pub before: String,
    /// Status now.
    pub after: String,
}

/// Compares the analysis (and the model's stages and dates) with the baseline.
pub fn compare(
    baseline: &Baseline,
    model: &Model,
    items: &[ItemAnalysis],
    topics: &[TopicCoverage],
) -> Changes {
    let before: BTreeMap<&str, _> = baseline.items.iter().map(|i| (i.id.as_str(), i)).collect();
    let details = details_now(model);
    let now: BTreeMap<&str, &ItemAnalysis> = items.iter().map(|i| (i.id.as_str(), i)).collect();
    let mut changes = Changes {
        baseline: baseline.path.clone(),
        ..Changes::default()
    };
    for item in items {
        let Some(old) = before.get(item.id.as_str()) else {
            changes.added.push(ItemRef {
                id: item.id.clone(),
                title: item.title.clone(),
            });
            continue;
        };
        let mut fields = Vec::new();
        let mut diff = |field, before: String, after: String| {
            if before != after {
                fields.push(FieldChange {
                    field,
                    before,
                    after,
                });
            }
        };
        diff("status", old.status.clone(), item.status.to_string());
        diff("title", old.title.clone(), item.title.clone());
        let old_topics: Vec<&str> = old.topics.iter().map(|t| t.id.as_str()).collect();
        let new_topics: Vec<&str> = item.topics.iter().map(|t| t.id.as_str()).collect();
        diff("topics", old_topics.join(", "), new_topics.join(", "));
        if let (Some(old), Some(new)) = (&old.details, details.get(item.id.as_str())) {
            let text = |value: &Option<String>| value.clone().unwrap_or_default();
            diff("stage", text(&old.stage), text(&new.stage));
            diff("timing", text(&old.timing), text(&new.timing));
            diff("date", text(&old.date), text(&new.date));
        }
        if !fields.is_empty() {
            changes.changed.push(ItemChange {
                id: item.id.clone(),
                fields,
            });
        }
    }
    for old in &baseline.items {
        if !now.contains_key(old.id.as_str()) {
            changes.removed.push(ItemRef {
                id: old.id.clone(),
                title: old.title.clone(),
            });
        }
    }
    let old_status: BTreeMap<&str, &str> = baseline
        .topics
        .iter()
        .map(|t| (t.id.as_str(), t.status.as_str()))
        .collect();
    for topic in topics {
        let before = old_status
            .get(topic.id.as_str())
            .copied()
            .unwrap_or("absent");
        if before != topic.status.as_str() {
            changes.topics.push(TopicChange {
                id: topic.id.clone(),
                before: before.to_string(),
                after: topic.status.as_str().to_string(),
            });
        }
    }
    changes
}

/// Each item's stage, timing and date now, as a baseline's details hold them.
fn details_now(model: &Model) -> BTreeMap<&str, BaselineDetails> {
    let work_items = model.work_items.iter().map(|w| {
        let details = BaselineDetails {
            stage: w.stage.clone(),
            timing: w.timing.map(|t| t.to_string()),
            date: None,
        };
        (w.id.as_str(), details)
    });
    let landscape = model.landscape_items().map(|i| {
        let details = BaselineDetails {
            stage: i.stage.clone(),
            timing: None,
            date: i.date.map(|d| d.to_string()),
        };
        (i.id.as_str(), details)
    });
    work_items.chain(landscape).collect()
}
