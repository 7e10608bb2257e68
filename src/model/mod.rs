//! Stage 2's product, the model: the validated inputs as plain typed values in the users' words
//! (report, Question, work items, bodies, landscape items, topics). Every entry keeps the
//! [`SourceLoc`] it was read from, so every conclusion can be traced back to a line of input.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

pub use crate::diagnostic::SourceLoc;

mod baseline;
mod date;
pub use baseline::{
    Baseline, BaselineDetails, BaselineItem, BaselineReport, BaselineTopic, BaselineTopicRef,
};
pub use date::PartialDate;

/// The validated inputs of one report.
#[derive(Debug)]
pub struct Model {
    /// `report.yaml`.
    pub report: Report,
    /// `question.md`.
    pub question: Question,
    /// `bodies.yaml`.
    pub bodies: Bodies,
    /// `taxonomy.yaml`.
    pub taxonomy: Taxonomy,
    /// `work-programme.yaml`: the Question's own work items.
    pub work_items: Vec<WorkItem>,
    /// `landscape/**`: other bodies' work, one entry per file, sorted by path.
    pub landscape: Vec<LandscapeFile>,
    /// The earlier report named by `report.yaml`'s `baseline`.
    pub baseline: Option<Baseline>,
}

impl Model {
    /// Every landscape item of every file, in file order.
    pub fn landscape_items(&self) -> impl Iterator<Item = &LandscapeItem> {
        self.landscape.iter().flat_map(|f| f.items.iter())
    }
}

/// The report's identity: `report.yaml`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Report title.
    pub title: String,
    /// Document number, e.g. `SG17-TD1234`.
    pub document: String,
    /// The Question, e.g. `Q14/17`.
    pub question: String,
    /// Report date, the reference for overdue checks.
    pub date: PartialDate,
    /// Meeting the report is for.
    pub meeting: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Path (relative to the inputs folder) of an earlier `report.json` to compare with.
    pub baseline: Option<String>,
}

/// The Question's text: `question.md`.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// e.g. `Q14/17`.
    pub id: String,
    /// The Question's title.
    pub title: String,
    /// Study items `a)` to `l)`.
    pub study_items: Vec<Entry>,
    /// Tasks `a)` to `k)`.
    pub tasks: Vec<Entry>,
    /// Motivation, as Markdown.
    pub motivation: String,
}

/// A lettered study item or task.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// `a`, `b`, ...
    pub id: String,
    /// Its text.
    pub text: String,
}

/// Life-cycle status of a work item, normalised; the source's own words stay in `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Study item, under study.
    Study,
    /// Proposed (PWI, new work item agreed).
    Proposed,
    /// Drafting, ballots.
    UnderDevelopment,
    /// Consented (ITU-T AAP).
    Consented,
    /// Approved.
    Approved,
    /// Published.
    Published,
    /// Closed or terminated.
    Closed,
    /// Withdrawn.
    Withdrawn,
}

impl Status {
    /// Every status, in life-cycle order.
    pub const ALL: [Status; 8] = [
        Status::Study,
        Status::Proposed,
        Status::UnderDevelopment,
        Status::Consented,
        Status::Approved,
        Status::Published,
        Status::Closed,
        Status::Withdrawn,
    ];

    /// Every status as written in the inputs, in life-cycle order.
    pub const NAMES: [&'static str; 8] = {
        let mut names = [""; 8];
        let mut i = 0;
        while i < names.len() {
            names[i] = Status::ALL[i].as_str();
            i += 1;
        }
        names
    };

    /// The status as written in the inputs.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Study => "study",
            Status::Proposed => "proposed",
            Status::UnderDevelopment => "under-development",
            Status::Consented => "consented",
            Status::Approved => "approved",
            Status::Published => "published",
            Status::Closed => "closed",
            Status::Withdrawn => "withdrawn",
        }
    }

    /// Parses the inputs' spelling.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Consented, approved or published: the work is done as far as the schedule is concerned.
    pub fn is_done(self) -> bool {
        matches!(
            self,
            Status::Consented | Status::Approved | Status::Published
        )
    }

    /// Closed or withdrawn: no longer active work.
    pub fn is_inactive(self) -> bool {
        matches!(self, Status::Closed | Status::Withdrawn)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Priority of a work item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// High.
    High,
    /// Medium.
    Medium,
    /// Low.
    Low,
}

impl Priority {
    /// As written in the inputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
        }
    }

    /// Parses `high`, `medium` or `low`.
    pub fn parse(s: &str) -> Option<Priority> {
        match s {
            "high" => Some(Priority::High),
            "medium" => Some(Priority::Medium),
            "low" => Some(Priority::Low),
            _ => None,
        }
    }
}

/// ITU-T approval process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Approval {
    /// Alternative approval process.
    #[serde(rename = "AAP")]
    Aap,
    /// Traditional approval process.
    #[serde(rename = "TAP")]
    Tap,
}

impl Approval {
    /// As written in the inputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Approval::Aap => "AAP",
            Approval::Tap => "TAP",
        }
    }

    /// Parses `AAP` or `TAP`.
    pub fn parse(s: &str) -> Option<Approval> {
        match s {
            "AAP" => Some(Approval::Aap),
            "TAP" => Some(Approval::Tap),
            _ => None,
        }
    }
}

/// Index of a body in [`Bodies`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BodyId(pub usize);

/// A standards body, study group, working group or project team.
#[derive(Debug, Clone, Serialize)]
pub struct Body {
    /// Stable slug, e.g. `iso-tc307`.
    pub id: String,
    /// Display name, e.g. `ISO/TC 307`.
    pub name: String,
    /// Organisation, e.g. `ISO`.
    pub org: String,
    /// Long name or scope.
    pub title: Option<String>,
    /// Enclosing body, e.g. a working group's technical committee.
    #[serde(skip)]
    pub parent: Option<BodyId>,
    /// Other spellings.
    pub aliases: Vec<String>,
    /// Where it is defined.
    pub source: SourceLoc,
}

/// Every body, with name resolution that ignores case and punctuation.
#[derive(Debug, Default)]
pub struct Bodies {
    list: Vec<Body>,
    by_name: HashMap<String, BodyId>,
}

impl Bodies {
    /// Builds the lookup; returns the bodies whose normalised name or alias collides with an
    /// earlier body's (the first body keeps the name).
    pub fn new(list: Vec<Body>) -> (Bodies, Vec<(BodyId, String, BodyId)>) {
        let mut by_name = HashMap::new();
        let mut clashes = Vec::new();
        for (i, body) in list.iter().enumerate() {
            for name in std::iter::once(&body.name).chain(&body.aliases) {
                match by_name.get(&normalise_name(name)) {
                    Some(&other) if other != BodyId(i) => {
                        clashes.push((BodyId(i), name.clone(), other))
                    }
                    Some(_) => {}
                    None => {
                        by_name.insert(normalise_name(name), BodyId(i));
                    }
                }
            }
        }
        (Bodies { list, by_name }, clashes)
    }

    /// The body a name or alias refers to.
    pub fn resolve(&self, name: &str) -> Option<BodyId> {
        self.by_name.get(&normalise_name(name)).copied()
    }

    /// The body whose id is `text`, else the one it names (as [`Bodies::resolve`]).
    pub fn find(&self, text: &str) -> Option<BodyId> {
        (self.list.iter().position(|b| b.id == text))
            .map(BodyId)
            .or_else(|| self.resolve(text))
    }

    /// The body with this id.
    pub fn get(&self, id: BodyId) -> &Body {
        &self.list[id.0]
    }

    /// All bodies in file order.
    pub fn all(&self) -> &[Body] {
        &self.list
    }

    /// Sets a body's parent.
    pub fn set_parent(&mut self, child: BodyId, parent: BodyId) {
        self.list[child.0].parent = Some(parent);
    }

    /// `body` itself and every body enclosing it, innermost first (stops at a cycle).
    pub fn ancestry(&self, body: BodyId) -> Vec<BodyId> {
        let mut chain = vec![body];
        let mut at = body;
        while let Some(parent) = self.get(at).parent {
            if chain.contains(&parent) {
                break;
            }
            chain.push(parent);
            at = parent;
        }
        chain
    }

    /// Whether `body` is `outer` or lies within it (through `parent`): a liaison with `outer`
    /// covers `body`, and `outer`'s work includes `body`'s.
    pub fn is_within(&self, body: BodyId, outer: BodyId) -> bool {
        self.ancestry(body).contains(&outer)
    }

    /// Every name and alias, for suggestions.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.list.iter().flat_map(|b| {
            std::iter::once(b.name.as_str()).chain(b.aliases.iter().map(String::as_str))
        })
    }
}

/// Lower-case letters and digits only: `ISO/TC 307`, `ISO TC 307` and `iso-tc-307` are one name.
pub fn normalise_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A liaison named by a work item: the spelling used and the body it resolves to.
#[derive(Debug, Clone)]
pub struct Liaison {
    /// As written in `work-programme.yaml`.
    pub as_written: String,
    /// The body it names.
    pub body: BodyId,
}

/// One of the Question's own work items (Table 1 of the roadmap).
#[derive(Debug, Clone)]
pub struct WorkItem {
    /// e.g. `X.sra-dlt`.
    pub id: String,
    /// Subject / title.
    pub title: String,
    /// Normalised status.
    pub status: Status,
    /// The source's wording of the status.
    pub stage: Option<String>,
    /// Type of text: Rec, Supplement, TR, ...
    pub kind: Option<String>,
    /// AAP or TAP.
    pub approval: Option<Approval>,
    /// High, medium or low.
    pub priority: Option<Priority>,
    /// Planned completion.
    pub timing: Option<PartialDate>,
    /// Bodies this item has a liaison relationship with.
    pub liaisons: Vec<Liaison>,
    /// Base text(s), e.g. `TD2831R2`.
    pub base_text: Option<String>,
    /// Editors.
    pub editors: Vec<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Manual topic ids.
    pub topics: Vec<String>,
    /// Topic ids it is not mapped to, whatever the patterns find.
    pub exclude_topics: Vec<String>,
    /// Where it is defined.
    pub source: SourceLoc,
}

/// Whether the reports make an item's link clickable: a web address (`http://`, `https://`).
/// Any other is shown as text, in the HTML and the PDF alike, and `check` warns of it.
pub fn is_web_address(link: &str) -> bool {
    link.starts_with("https://") || link.starts_with("http://")
}

/// The Markdown of the inputs' narratives (`question.md`, landscape `.md` files), as `check`
/// and both reports read it: CommonMark with GFM tables and strikethrough; a `{#id}` or
/// `{.class}` after a heading is read as an attribute, which the reports drop.
pub const NARRATIVE_MARKDOWN: pulldown_cmark::Options = pulldown_cmark::Options::ENABLE_TABLES
    .union(pulldown_cmark::Options::ENABLE_STRIKETHROUGH)
    .union(pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES);

/// HTML elements of a narrative that neither report shows, content and all (the web page's
/// sanitiser removes them whole, as the PDF does).
pub const REMOVED_WITH_CONTENT: [&str; 2] = ["script", "style"];

/// Whether the reports keep a link of a narrative: a web or mail address, or a place in the
/// report (`#...`). Any other (relative to the inputs folder, `javascript:`, ...) is shown as
/// its text, in the HTML and the PDF alike, and `check` warns of it.
pub fn opens_from_report(url: &str) -> bool {
    is_web_address(url) || url.starts_with("mailto:") || url.starts_with('#')
}

/// One work item of another body.
#[derive(Debug, Clone)]
pub struct LandscapeItem {
    /// The body's designation, or a synthetic id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Normalised status.
    pub status: Status,
    /// The source's wording of the status.
    pub stage: Option<String>,
    /// Type of document: TR, TS, Standard, ...
    pub kind: Option<String>,
    /// Date (publication or status date).
    pub date: Option<PartialDate>,
    /// Summary.
    pub summary: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Organisation (the file's `org`).
    pub org: String,
    /// The body that develops it.
    pub body: BodyId,
    /// Bodies that develop it jointly.
    pub joint_with: Vec<BodyId>,
    /// Manual topic ids.
    pub topics: Vec<String>,
    /// Topic ids it is not mapped to, whatever the patterns find.
    pub exclude_topics: Vec<String>,
    /// Links.
    pub links: Vec<String>,
    /// Where it is defined.
    pub source: SourceLoc,
}

/// One landscape file: a body's (or a group of bodies') work.
#[derive(Debug, Clone)]
pub struct LandscapeFile {
    /// Organisation.
    pub org: String,
    /// The body the file is about.
    pub body: BodyId,
    /// Short notes from the file's `notes` key.
    pub notes: Option<String>,
    /// Markdown narrative (body of a `.md` file).
    pub narrative: Option<String>,
    /// The file.
    pub source: SourceLoc,
    /// Its items.
    pub items: Vec<LandscapeItem>,
}

/// The three groups of the Q14/17 roadmap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// Security for DLT platforms.
    Platform,
    /// Security management for DLT.
    Management,
    /// Security for DLT applications.
    Applications,
}

impl Group {
    /// Parses `platform`, `management` or `applications`.
    pub fn parse(s: &str) -> Option<Group> {
        match s {
            "platform" => Some(Group::Platform),
            "management" => Some(Group::Management),
            "applications" => Some(Group::Applications),
            _ => None,
        }
    }

    /// As written in taxonomy.yaml.
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Platform => "platform",
            Group::Management => "management",
            Group::Applications => "applications",
        }
    }

    /// The roadmap's name for the group.
    pub fn label(self) -> &'static str {
        match self {
            Group::Platform => "Security for DLT platform",
            Group::Management => "Security management for DLT",
            Group::Applications => "Security for DLT applications",
        }
    }
}

pub use crate::pattern::{Pattern, PatternSet};

/// The taxonomy's patterns compiled as sets, for matching many items fast.
#[derive(Debug, Clone, Default)]
pub struct PatternSets {
    /// Every topic's `patterns` then its `patterns_in_context`, in taxonomy order (topic by
    /// topic).
    pub topics: PatternSet,
    /// Every context's patterns, in context order.
    pub contexts: PatternSet,
    /// The `security_patterns`.
    pub security: PatternSet,
    /// The `security_false_friends`.
    pub security_false_friends: PatternSet,
    /// Every topic's `exclude` patterns, in taxonomy order.
    pub excludes: PatternSet,
}

/// A topic of the taxonomy.
#[derive(Debug, Clone)]
pub struct Topic {
    /// e.g. `smart-contracts`.
    pub id: String,
    /// Display label.
    pub label: String,
    /// Roadmap group.
    pub group: Group,
    /// What it covers.
    pub description: String,
    /// Patterns that map an item to it.
    pub patterns: Vec<Pattern>,
    /// Patterns that veto it for an item.
    pub exclude: Vec<Pattern>,
    /// Where `security: true` is written, if it is: work on this topic is security work, so an
    /// item mapped to it is security-relevant.
    pub security_work: Option<SourceLoc>,
    /// Patterns that map an item to it only where a context matches the same field: each with
    /// the index of its context in [`Taxonomy::contexts`].
    pub patterns_in_context: Vec<(usize, Pattern)>,
    /// Where it is defined.
    pub source: SourceLoc,
}

/// A named list of patterns that places a text in a context (`contexts` of taxonomy.yaml): the
/// words that make "use cases" or "architecture" about ledgers, say.
#[derive(Debug, Clone)]
pub struct Context {
    /// e.g. `ledger`.
    pub name: String,
    /// Any of them matching puts a field in the context.
    pub patterns: Vec<Pattern>,
}

/// `taxonomy.yaml`.
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    /// Patterns that mark an item as security-relevant.
    pub security_patterns: Vec<Pattern>,
    /// Phrases the security patterns do not match inside (false friends such as "social
    /// security").
    pub security_false_friends: Vec<Pattern>,
    /// Topics, in file order.
    pub topics: Vec<Topic>,
    /// Contexts, by name.
    pub contexts: Vec<Context>,
    /// The patterns compiled as sets.
    pub sets: PatternSets,
}

impl Taxonomy {
    /// The topic with this id.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_ignore_case_and_punctuation() {
        assert_eq!(normalise_name("ISO/TC 307"), normalise_name("iso tc-307"));
        assert_ne!(normalise_name("TC307"), normalise_name("ISO TC 307"));
    }
}
