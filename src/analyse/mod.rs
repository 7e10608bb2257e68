//! Stage 3, analyse: pure functions from the validated [`Model`] to an [`Analysis`]: each item's
//! topics and security relevance with evidence, coverage per topic, missing liaisons, overdue
//! work items, unclassified items with suggested topics, recommended actions, and changes since a
//! baseline.

pub mod changes;
pub mod coverage;
pub mod mapping;
pub mod recommend;
pub mod suggest;

use serde::Serialize;

use crate::model::{BodyId, Model, Status};
pub use coverage::{CoverageStatus, MissingLiaison, Overdue, TopicCoverage};
pub use mapping::{Evidence, Field, TopicMapping};

/// Everything the report concludes.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// One per item: the Question's work items first, then the landscape in file order.
    pub items: Vec<ItemAnalysis>,
    /// One per topic of the taxonomy, in taxonomy order.
    pub topics: Vec<TopicCoverage>,
    /// Items mapped to no topic, with suggestions.
    pub unclassified: Vec<Unclassified>,
    /// Bodies with security work on a topic the Question also works on, without a liaison.
    pub missing_liaisons: Vec<MissingLiaison>,
    /// Work items past their timing.
    pub overdue: Vec<Overdue>,
    /// Topic x organisation item counts.
    pub matrix: coverage::Matrix,
    /// Recommended actions for the Question, drawn from the coverage.
    pub recommendations: Vec<recommend::Recommendation>,
    /// Changes since the baseline, when there is one.
    pub changes: Option<changes::Changes>,
}

/// Whose item it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// One of the Question's own work items (`work-programme.yaml`).
    WorkItem,
    /// Another body's item (`landscape/`).
    Landscape,
}

/// The conclusions about one item.
#[derive(Debug, Clone, Serialize)]
pub struct ItemAnalysis {
    /// Item id.
    pub id: String,
    /// Work programme or landscape.
    pub origin: Origin,
    /// Organisation.
    pub org: String,
    /// Body (display name); the Question for its own work items.
    pub body: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: Status,
    /// Security work or not.
    pub security: bool,
    /// Why it is (or is not) security work.
    pub security_evidence: Vec<Evidence>,
    /// The security false friends in its text, which the security patterns did not match
    /// inside (left out of `report.json` when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub security_false_friends: Vec<Evidence>,
    /// Topics with evidence.
    pub topics: Vec<TopicMapping>,
    /// The topics its `exclude_topics` keeps it off, each with the evidence that would have
    /// mapped it (none when no pattern finds it; left out of `report.json` when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overruled_topics: Vec<TopicMapping>,
    /// Where it is defined.
    pub source: String,
    /// The body, and joint bodies, as ids (empty for the Question's work items).
    #[serde(skip)]
    pub bodies: Vec<BodyId>,
}

impl ItemAnalysis {
    /// Whether the item counts for coverage (closed and withdrawn items do not).
    pub fn is_active(&self) -> bool {
        !self.status.is_inactive()
    }

    /// Whether it maps to the topic.
    pub fn has_topic(&self, topic: &str) -> bool {
        self.topics.iter().any(|t| t.id == topic)
    }
}

/// An item mapped to no topic, with the nearest topics as suggestions (never as mappings).
#[derive(Debug, Clone, Serialize)]
pub struct Unclassified {
    /// Item id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Up to three topic ids, nearest first.
    pub suggestions: Vec<suggest::Suggestion>,
    /// Where it is defined.
    pub source: String,
}

/// Runs every analysis step on the model.
pub fn analyse(model: &Model) -> Analysis {
    // The suggester's index (a BM25 index of every topic's words) is built alongside the
    // mapping: on two cores, a third thread beside the two that map items.
    let (items, suggester) = std::thread::scope(|scope| {
        let suggester = scope.spawn(|| suggest::Suggester::new(&model.taxonomy.topics));
        let items = map_items(model);
        (
            items,
            suggester.join().expect("indexing topics does not panic"),
        )
    });
    let topics = coverage::topics(model, &items);
    let missing_liaisons = coverage::missing_liaisons(model, &topics);
    let overdue = coverage::overdue(model);
    let matrix = coverage::matrix(model, &items);
    let unclassified = suggest::unclassified(&suggester, &items);
    let recommendations = recommend::recommend(&topics, &items, &missing_liaisons);
    let changes = model
        .baseline
        .as_ref()
        .map(|b| changes::compare(b, model, &items, &topics));
    Analysis {
        items,
        topics,
        unclassified,
        missing_liaisons,
        overdue,
        matrix,
        recommendations,
        changes,
    }
}

/// How a title that is not in the inputs would be mapped, were it a landscape item's: for
/// trying a title before adding the item (does it need manual `topics`?) or a taxonomy edit.
#[derive(Debug, Clone)]
pub struct TitleAnalysis {
    /// The title tried.
    pub title: String,
    /// Why it would (or would not) be security work.
    pub security_evidence: Vec<Evidence>,
    /// The security false friends in the title.
    pub security_false_friends: Vec<Evidence>,
    /// Topics with evidence.
    pub topics: Vec<TopicMapping>,
    /// When it maps to no topic: the nearest topics, as the unclassified list would show them.
    pub suggestions: Vec<suggest::Suggestion>,
}

/// Maps each of `titles` as the title of a landscape item without summary, notes or manual
/// topics.
pub fn try_titles(model: &Model, titles: &[String]) -> Vec<TitleAnalysis> {
    let mut matcher = mapping::Matcher::new(&model.taxonomy);
    let suggester = suggest::Suggester::new(&model.taxonomy.topics);
    titles
        .iter()
        .map(|title| {
            let view = item_text(title, &None, &None, &[], &[]);
            let mapping::Mapped {
                topics,
                security_evidence,
                security_false_friends,
                ..
            } = matcher.map(&view);
            let suggestions = if topics.is_empty() {
                suggester.suggest(title)
            } else {
                Vec::new()
            };
            TitleAnalysis {
                title: title.clone(),
                security_evidence,
                security_false_friends,
                topics,
                suggestions,
            }
        })
        .collect()
}

/// An item of the inputs, before analysis.
#[derive(Clone, Copy)]
enum Source<'m> {
    WorkItem(&'m crate::model::WorkItem),
    Landscape(&'m crate::model::LandscapeItem),
}

/// Maps every item, work items first, in input order, the items shared out over the machine's
/// cores (matching is the analysis' longest step).
fn map_items(model: &Model) -> Vec<ItemAnalysis> {
    let sources: Vec<Source> = model
        .work_items
        .iter()
        .map(Source::WorkItem)
        .chain(model.landscape_items().map(Source::Landscape))
        .collect();
    crate::parallel::map_balanced(
        &sources,
        || mapping::Matcher::new(&model.taxonomy),
        |matcher, s| map_item(model, matcher, *s),
    )
}

fn map_item(model: &Model, matcher: &mut mapping::Matcher, source: Source) -> ItemAnalysis {
    match source {
        Source::WorkItem(w) => {
            let view = item_text(&w.title, &w.summary, &w.notes, &w.topics, &w.exclude_topics);
            let mapped = matcher.map(&view);
            let mut security_evidence = vec![Evidence::QuestionWorkItem];
            security_evidence.extend(mapped.security_evidence);
            ItemAnalysis {
                id: w.id.clone(),
                origin: Origin::WorkItem,
                org: "ITU-T".to_string(),
                body: model.question.id.clone(),
                title: w.title.clone(),
                status: w.status,
                security: true,
                security_evidence,
                security_false_friends: mapped.security_false_friends,
                topics: mapped.topics,
                overruled_topics: mapped.overruled,
                source: w.source.to_string(),
                bodies: Vec::new(),
            }
        }
        Source::Landscape(i) => {
            let view = item_text(&i.title, &i.summary, &i.notes, &i.topics, &i.exclude_topics);
            let mapping::Mapped {
                topics,
                overruled,
                security_evidence,
                security_false_friends,
            } = matcher.map(&view);
            ItemAnalysis {
                id: i.id.clone(),
                origin: Origin::Landscape,
                org: i.org.clone(),
                body: model.bodies.get(i.body).name.clone(),
                title: i.title.clone(),
                status: i.status,
                security: !security_evidence.is_empty(),
                security_evidence,
                security_false_friends,
                topics,
                overruled_topics: overruled,
                source: i.source.to_string(),
                bodies: std::iter::once(i.body)
                    .chain(i.joint_with.iter().copied())
                    .collect(),
            }
        }
    }
}

fn item_text<'a>(
    title: &'a str,
    summary: &'a Option<String>,
    notes: &'a Option<String>,
    manual_topics: &'a [String],
    excluded_topics: &'a [String],
) -> mapping::ItemText<'a> {
    let mut fields = vec![(Field::Title, title)];
    fields.extend(summary.as_deref().map(|s| (Field::Summary, s)));
    fields.extend(notes.as_deref().map(|s| (Field::Notes, s)));
    mapping::ItemText {
        fields,
        manual_topics,
        excluded_topics,
    }
}
