//! Stage 2, validate: turns the loaded [`Sources`] into the typed [`Model`], checking what values
//! mean: statuses, priorities, dates, regexes, duplicate ids, topic ids and body names. Every
//! problem is reported, each with its file, line and a fix.
//!
//! This file holds the stage's entry point and the checks every kind of input shares (statuses,
//! dates, body names, topic ids); [`bodies`], [`taxonomy`] and [`items`] check their own files.

mod bodies;
mod items;
mod markdown;
mod taxonomy;

use std::collections::hash_map::Entry as Slot;
use std::collections::HashMap;

use crate::cache::KnownPatterns;
use crate::diagnostic::{nearest, Diagnostic, Diagnostics, SourceLoc};
use crate::load::{Located, Sources};
use crate::model::*;

/// Validates everything loaded; a pattern in `known` is set up from what compiling it found in an
/// earlier run. Returns the model only when there is no error; warnings are returned either way.
pub fn validate(
    sources: Sources,
    mut diags: Diagnostics,
    known: &KnownPatterns,
) -> (Option<Model>, Diagnostics) {
    let mut v = Validator {
        diags: &mut diags,
        check_names: sources.bodies_read,
        check_topics: sources.taxonomy.is_some(),
        known,
    };
    let bodies = v.bodies(&sources);
    let taxonomy = v.taxonomy(&sources);
    let report = v.report(&sources);
    let question = v.question(&sources);
    let work_items: Vec<WorkItem> = sources
        .work_items
        .iter()
        .filter_map(|w| v.work_item(w, &bodies, &taxonomy))
        .collect();
    let landscape: Vec<LandscapeFile> = sources
        .landscape
        .iter()
        .filter_map(|f| v.landscape_file(f, &bodies, &taxonomy))
        .collect();
    v.duplicate_item_ids(&sources);
    let model = match (report, question) {
        (Some(report), Some(question)) if !diags.has_errors() => Some(Model {
            report,
            question,
            bodies,
            taxonomy,
            work_items,
            landscape,
            baseline: sources.baseline,
        }),
        _ => None,
    };
    (model, diags)
}

struct Validator<'a> {
    diags: &'a mut Diagnostics,
    /// Whether body names can be checked (bodies.yaml was read); avoids a cascade of errors.
    check_names: bool,
    /// Whether topic ids can be checked (taxonomy.yaml was read).
    check_topics: bool,
    /// What compiling patterns found in an earlier run.
    known: &'a KnownPatterns,
}

/// The ids met so far, by the key they are compared by, each with how and where it was first
/// met, to report a repeat at both places.
#[derive(Default)]
struct FirstSeen<'a>(HashMap<String, (&'a str, SourceLoc)>);

impl<'a> FirstSeen<'a> {
    /// Where `id` was first met, if it was; otherwise records it as met at `at`.
    fn repeat_of(&mut self, id: &'a str, at: impl FnOnce() -> SourceLoc) -> Option<SourceLoc> {
        self.repeat_by(id.to_string(), id, at)
            .map(|(_, first)| first)
    }

    /// The id first met with the same `key` as `id` and where, if there was one; otherwise
    /// records `id` under `key` as met at `at`.
    fn repeat_by(
        &mut self,
        key: String,
        id: &'a str,
        at: impl FnOnce() -> SourceLoc,
    ) -> Option<(&'a str, SourceLoc)> {
        match self.0.entry(key) {
            Slot::Occupied(first) => Some(first.get().clone()),
            Slot::Vacant(slot) => {
                slot.insert((id, at()));
                None
            }
        }
    }
}

/// A key whose value is one of a fixed set: what it is called, its values, how to fix it.
struct Choice<V> {
    what: &'static str,
    values: &'static [&'static str],
    help: &'static str,
    parse: fn(&str) -> Option<V>,
}

const STATUS: Choice<Status> = Choice {
    what: "status",
    values: &Status::NAMES,
    help: "use one of: study, proposed, under-development, consented, approved, published, closed, withdrawn (keep the source's own words in `stage`)",
    parse: Status::parse,
};

const PRIORITY: Choice<Priority> = Choice {
    what: "priority",
    values: &["high", "medium", "low"],
    help: "use one of: high, medium, low",
    parse: Priority::parse,
};

const APPROVAL: Choice<Approval> = Choice {
    what: "approval process",
    values: &["AAP", "TAP"],
    help: "use AAP (alternative approval process) or TAP (traditional approval process)",
    parse: Approval::parse,
};

const DATE_HELP: &str = "write the date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2020-09";

/// How to write the report date, which must be a full date.
const FULL_DATE_HELP: &str = "write it as YYYY-MM-DD, e.g. 2020-09-01";

impl Validator<'_> {
    fn error(&mut self, loc: SourceLoc, message: String, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(loc, message).with_help(help));
    }

    /// `text` as a date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), or an error at `loc` naming `what`
    /// it is, whose help ends with `forms` (how to write it).
    fn date(
        &mut self,
        text: Option<&str>,
        loc: impl FnOnce() -> SourceLoc,
        what: &str,
        forms: &str,
    ) -> Option<PartialDate> {
        let text = text?;
        let parsed = PartialDate::parse(text.trim());
        if parsed.is_none() {
            let help = match PartialDate::calendar_problem(text.trim()) {
                Some(problem) => format!("{problem}; {forms}"),
                None => forms.to_string(),
            };
            self.error(loc(), format!("invalid {what} `{text}`"), help);
        }
        parsed
    }

    fn status<T>(&mut self, at: &Located<T>, text: &str) -> Option<Status> {
        if at.is_broken("status") {
            return None; // missing or wrongly typed: already reported
        }
        self.one_of(at, "status", text, &STATUS)
    }

    /// `text` as one of `choice`'s values, or an error at key `key` of `at` saying what was
    /// invalid, the value it is nearest to, if any, and how to fix it.
    fn one_of<T, V>(
        &mut self,
        at: &Located<T>,
        key: &str,
        text: &str,
        choice: &Choice<V>,
    ) -> Option<V> {
        let value = (choice.parse)(text);
        if value.is_none() {
            let help = match nearest(text, choice.values.iter().copied()) {
                Some(value) => format!("did you mean `{value}`? {}", choice.help),
                None => choice.help.to_string(),
            };
            let message = format!("invalid {} `{text}`", choice.what);
            self.error(at.loc_of(key), message, help);
        }
        value
    }

    fn report(&mut self, sources: &Sources) -> Option<Report> {
        let r = sources.report.as_ref()?;
        let date = self.date(
            Some(&r.value.date.0),
            || r.loc_of("date"),
            "report date",
            FULL_DATE_HELP,
        );
        if date.is_some_and(|d| d.day.is_none()) {
            self.error(
                r.loc_of("date"),
                format!("the report date `{}` must be a full date", r.value.date.0),
                FULL_DATE_HELP,
            );
            return None;
        }
        Some(Report {
            title: r.value.title.clone(),
            document: r.value.document.0.clone(),
            question: r.value.question.clone(),
            date: date?,
            meeting: r.value.meeting.clone(),
            authors: r.value.authors.clone(),
            baseline: r.value.baseline.clone(),
        })
    }

    fn question(&mut self, sources: &Sources) -> Option<Question> {
        let q = sources.question.as_ref()?;
        let mut entries = |list: &[Located<crate::load::raw::RawEntry>], what: &str| {
            let mut seen = FirstSeen::default();
            let mut out = Vec::new();
            for e in list {
                if let Some(first) = seen.repeat_of(&e.value.id.0, || e.loc()) {
                    self.error(
                        e.loc_of("id"),
                        format!("duplicate {what} `{}`", e.value.id.0),
                        format!("first used at {first}; letter them a, b, c, ..."),
                    );
                    continue;
                }
                out.push(Entry {
                    id: e.value.id.0.clone(),
                    text: e.value.text.clone(),
                });
            }
            out
        };
        let study_items = entries(&q.study_items, "study item");
        let tasks = entries(&q.tasks, "task");
        self.markdown("question.md", &q.markdown);
        Some(Question {
            id: q.front.value.id.clone(),
            title: q.front.value.title.clone(),
            study_items,
            tasks,
            motivation: q.markdown.text.clone(),
        })
    }

    fn body_ref<T>(
        &mut self,
        bodies: &Bodies,
        at: &Located<T>,
        key: &str,
        name: &str,
        what: &str,
    ) -> Option<BodyId> {
        let found = bodies.resolve(name);
        if found.is_none() && self.check_names {
            let help = match nearest(name, bodies.names()) {
                Some(n) => format!("did you mean `{n}`? names are matched ignoring case and punctuation; or add `{name}` to bodies.yaml (as a body or as an alias)"),
                None => format!("add a body named `{name}` to bodies.yaml, or add `{name}` to an existing body's aliases"),
            };
            self.error(
                at.loc_of(key),
                format!("{what} `{name}` is not a body in bodies.yaml"),
                help,
            );
        }
        found
    }

    /// Checks an item's `topics` and `exclude_topics`: every id is a topic, and none is in both.
    fn topic_refs<T>(
        &mut self,
        taxonomy: &Taxonomy,
        at: &Located<T>,
        topics: &[String],
        excluded: &[String],
    ) {
        let lists = [("topics", topics), ("exclude_topics", excluded)];
        for (key, list) in lists {
            for (i, t) in list.iter().enumerate() {
                if taxonomy.topic(t).is_none() && self.check_topics {
                    let ids = taxonomy.topics.iter().map(|t| t.id.as_str());
                    let help = match nearest(t, ids) {
                        Some(n) => {
                            format!("did you mean `{n}`? topics are the ids in taxonomy.yaml")
                        }
                        None => {
                            "use a topic id from taxonomy.yaml, or add the topic there".to_string()
                        }
                    };
                    self.error(
                        at.loc_of(&format!("{key}[{i}]")),
                        format!("unknown topic `{t}`"),
                        help,
                    );
                }
            }
        }
        for (i, t) in excluded.iter().enumerate() {
            if topics.contains(t) {
                self.error(
                    at.loc_of(&format!("exclude_topics[{i}]")),
                    format!("topic `{t}` is both in `topics` and in `exclude_topics`"),
                    "keep it in one: `topics` maps the item to it, `exclude_topics` keeps it off",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_for_a_bad_value_lists_every_value_accepted() {
        for choice in [
            (STATUS.values, STATUS.help),
            (PRIORITY.values, PRIORITY.help),
        ] {
            let listed = choice.1.trim_start_matches("use one of: ");
            let listed: Vec<&str> = listed.split(" (").next().unwrap().split(", ").collect();
            assert_eq!(listed, choice.0);
        }
        assert!(APPROVAL.values.iter().all(|v| APPROVAL.help.contains(v)));
    }
}
