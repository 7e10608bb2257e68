//! Stage 2, validate: turns the loaded [`Sources`] into the typed [`Model`], checking what values
//! mean: statuses, priorities, dates, regexes, duplicate ids, topic ids and body names. Every
//! problem is reported, each with its file, line and a fix.

use std::collections::HashMap;

use crate::diagnostic::{nearest, Diagnostic, Diagnostics, SourceLoc};
use crate::load::raw::{RawLandscapeItem, RawTopic, RawWorkItem};
use crate::load::{LandscapeSource, Located, Sources};
use crate::model::*;
use crate::pattern::{PatternCompiler, PatternError};

/// Validates everything loaded. Returns the model only when there is no error; warnings are
/// returned either way.
pub fn validate(sources: Sources, mut diags: Diagnostics) -> (Option<Model>, Diagnostics) {
    let mut v = Validator {
        diags: &mut diags,
        check_names: sources.bodies_read,
        check_topics: sources.taxonomy.is_some(),
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
    v.duplicate_item_ids(&work_items, &landscape);
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
}

const STATUS_HELP: &str = "use one of: study, proposed, under-development, consented, approved, published, closed, withdrawn (keep the source's own words in `stage`)";
const DATE_HELP: &str = "write the date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2020-09";

impl Validator<'_> {
    fn error(&mut self, loc: SourceLoc, message: String, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(loc, message).with_help(help));
    }

    fn bodies(&mut self, sources: &Sources) -> Bodies {
        let mut seen: HashMap<&str, SourceLoc> = HashMap::new();
        let mut list = Vec::new();
        let mut located = Vec::new();
        for b in &sources.bodies {
            if let Some(first) = seen.get(b.value.id.as_str()) {
                self.error(
                    b.loc_of("id"),
                    format!("duplicate body id `{}`", b.value.id),
                    format!("the id is already used at {first}; give each body its own id"),
                );
                continue;
            }
            seen.insert(&b.value.id, b.loc());
            list.push(Body {
                id: b.value.id.clone(),
                name: b.value.name.clone(),
                org: b.value.org.clone(),
                title: b.value.title.clone(),
                parent: None,
                aliases: b.value.aliases.clone(),
                source: b.loc(),
            });
            located.push(b);
        }
        let (mut bodies, clashes) = Bodies::new(list);
        for (body, name, other) in clashes {
            let other = bodies.get(other);
            self.error(
                bodies.get(body).source.clone(),
                format!("body name or alias `{name}` also names `{}`", other.name),
                format!("names are compared ignoring case and punctuation; remove or change one of them (the other is at {})", other.source),
            );
        }
        let ids: HashMap<String, BodyId> = bodies
            .all()
            .iter()
            .enumerate()
            .map(|(i, b)| (b.id.clone(), BodyId(i)))
            .collect();
        for (i, b) in located.iter().enumerate() {
            let Some(parent) = &b.value.parent else {
                continue;
            };
            match ids.get(parent) {
                Some(&p) => bodies.set_parent(BodyId(i), p),
                None => {
                    let help = match nearest(parent, ids.keys().map(String::as_str)) {
                        Some(n) => format!(
                            "`parent` takes a body id from bodies.yaml; did you mean `{n}`?"
                        ),
                        None => "`parent` takes a body id from bodies.yaml".to_string(),
                    };
                    self.error(
                        b.loc_of("parent"),
                        format!("unknown parent body `{parent}`"),
                        help,
                    );
                }
            }
        }
        for (i, b) in located.iter().enumerate() {
            if is_in_parent_cycle(&bodies, BodyId(i)) {
                self.error(
                    b.loc_of("parent"),
                    format!("body `{}` is its own ancestor through `parent`", b.value.id),
                    "remove the `parent` that closes the cycle",
                );
            }
        }
        bodies
    }

    /// Compiles every list of patterns, spread over the machine's cores (a few hundred NFAs);
    /// each broken pattern is an error at its line. `None` when any is broken.
    fn compile_patterns(&mut self, lists: Vec<Vec<RawPattern>>) -> Option<Vec<Vec<Pattern>>> {
        let all: Vec<&RawPattern> = lists.iter().flatten().collect();
        let compiled = crate::parallel::map_chunks(&all, |part| {
            let mut compiler = PatternCompiler::new();
            part.iter()
                .map(|p| compiler.compile(&p.text, p.source.clone()))
                .collect::<Vec<Result<Pattern, PatternError>>>()
        });
        let mut ok = Vec::with_capacity(compiled.len());
        for (raw, result) in all.iter().zip(compiled) {
            match result {
                Ok(p) => ok.push(p),
                Err(e) => self.regex_error(raw, &e),
            }
        }
        if ok.len() < all.len() {
            return None;
        }
        let mut ok = ok.into_iter();
        Some(
            lists
                .iter()
                .map(|list| ok.by_ref().take(list.len()).collect())
                .collect(),
        )
    }

    fn regex_error(&mut self, p: &RawPattern, e: &PatternError) {
        let detail = e.0.lines().last().unwrap_or("").trim().to_string();
        self.error(
            p.source.clone(),
            format!("regex `{}` does not compile: {detail}", p.text),
            "patterns use Rust `regex` syntax (no look-around or backreferences); escape literal `(`, `[`, `.` with `\\`",
        );
    }

    fn taxonomy(&mut self, sources: &Sources) -> Taxonomy {
        let Some(src) = &sources.taxonomy else {
            return Taxonomy::default();
        };
        let file = &src.file;
        let context_names: Vec<&str> = file.value.contexts.keys().map(String::as_str).collect();
        let mut context_used = vec![false; context_names.len()];
        let mut lists = vec![located_patterns(
            file,
            "security_patterns",
            &file.value.security_patterns,
        )];
        for (name, patterns) in &file.value.contexts {
            self.context_definition(file, name, patterns);
            lists.push(located_patterns(
                file,
                &format!("contexts.{name}"),
                patterns,
            ));
        }
        let mut seen: HashMap<&str, SourceLoc> = HashMap::new();
        let mut topics = Vec::new();
        // For each topic's three lists: the index of its topic (`None`: dropped, bad group) and
        // the context of each of its patterns in context.
        let mut owners: Vec<(Option<usize>, Vec<usize>)> = Vec::new();
        for t in &src.topics {
            let Ok(topic) = self.topic_header(t, &mut seen) else {
                continue;
            };
            let (in_context, contexts) = self.patterns_in_context(t, &context_names);
            contexts.iter().for_each(|&c| context_used[c] = true);
            lists.push(located_patterns(t, "patterns", &t.value.patterns));
            lists.push(located_patterns(t, "exclude", &t.value.exclude));
            lists.push(in_context);
            owners.push((topic.is_some().then_some(topics.len()), contexts));
            topics.extend(topic);
        }
        self.unused_contexts(file, &context_names, &context_used);
        let Some(compiled) = self.compile_patterns(lists) else {
            return Taxonomy {
                topics,
                ..Taxonomy::default()
            };
        };
        let mut compiled = compiled.into_iter();
        let security_patterns = compiled.next().unwrap_or_default();
        let contexts: Vec<Context> = context_names
            .iter()
            .map(|name| Context {
                name: name.to_string(),
                patterns: compiled.next().unwrap_or_default(),
            })
            .collect();
        for (owner, context_of) in owners {
            let mut next = || compiled.next().unwrap_or_default();
            let (patterns, exclude, in_context) = (next(), next(), next());
            if let Some(topic) = owner.and_then(|i| topics.get_mut(i)) {
                topic.patterns = patterns;
                topic.exclude = exclude;
                topic.patterns_in_context = context_of.into_iter().zip(in_context).collect();
            }
        }
        let sets = pattern_sets(&security_patterns, &contexts, &topics);
        Taxonomy {
            security_patterns,
            topics,
            contexts,
            sets,
        }
    }

    /// A topic without its patterns. `Err`: its id repeats an earlier topic's (it is skipped);
    /// `Ok(None)`: its group is unknown (its patterns are still checked, then it is dropped).
    fn topic_header<'s>(
        &mut self,
        t: &'s Located<RawTopic>,
        seen: &mut HashMap<&'s str, SourceLoc>,
    ) -> Result<Option<Topic>, ()> {
        let raw = &t.value;
        if let Some(first) = seen.get(raw.id.as_str()) {
            self.error(
                t.loc_of("id"),
                format!("duplicate topic id `{}`", raw.id),
                format!("first defined at {first}; merge the two or rename one"),
            );
            return Err(());
        }
        seen.insert(&raw.id, t.loc());
        let Some(group) = Group::parse(&raw.group) else {
            self.error(
                t.loc_of("group"),
                format!("unknown topic group `{}`", raw.group),
                "use one of: platform, management, applications",
            );
            return Ok(None);
        };
        Ok(Some(Topic {
            id: raw.id.clone(),
            label: raw.label.clone(),
            group,
            description: raw.description.clone().unwrap_or_default(),
            patterns: Vec::new(),
            exclude: Vec::new(),
            patterns_in_context: Vec::new(),
            source: t.loc(),
        }))
    }

    /// Checks a context's name (it is part of a path like `patterns_in_context.ledger`) and that
    /// it has patterns.
    fn context_definition<T>(&mut self, file: &Located<T>, name: &str, patterns: &[String]) {
        let at = file.loc_of(&format!("contexts.{name}"));
        let well_formed = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            self.error(
                at.clone(),
                format!("context name `{name}` is not a lowercase id"),
                "name contexts with lowercase letters, digits and `-`, e.g. `ledger`",
            );
        }
        if patterns.is_empty() {
            self.error(
                at,
                format!("context `{name}` has no patterns"),
                "list the patterns that place a text in this context, or remove it",
            );
        }
    }

    /// A topic's `patterns_in_context`, flattened: the patterns as written and, for each, the
    /// index of its context. A pattern under an unknown context is an error (and dropped).
    fn patterns_in_context(
        &mut self,
        topic: &Located<RawTopic>,
        context_names: &[&str],
    ) -> (Vec<RawPattern>, Vec<usize>) {
        let mut patterns = Vec::new();
        let mut contexts = Vec::new();
        for (name, list) in &topic.value.patterns_in_context {
            let key = format!("patterns_in_context.{name}");
            let Some(c) = context_names.iter().position(|n| n == name) else {
                let help = match nearest(name, context_names.iter().copied()) {
                    Some(n) => format!("did you mean `{n}`? contexts are defined under `contexts:` at the top of taxonomy.yaml"),
                    None => "define it under `contexts:` at the top of taxonomy.yaml".to_string(),
                };
                self.error(
                    topic.loc_of(&key),
                    format!("unknown context `{name}`"),
                    help,
                );
                continue;
            };
            let located = located_patterns(topic, &key, list);
            contexts.extend(std::iter::repeat_n(c, located.len()));
            patterns.extend(located);
        }
        (patterns, contexts)
    }

    /// Warns about contexts no topic uses (they cost matching time and mean nothing).
    fn unused_contexts<T>(&mut self, file: &Located<T>, names: &[&str], used: &[bool]) {
        for (name, _) in names.iter().zip(used).filter(|(_, &u)| !u) {
            self.diags.push(
                Diagnostic::warning(
                    file.loc_of(&format!("contexts.{name}")),
                    format!("context `{name}` is not used by any topic"),
                )
                .with_help(format!(
                    "use it in a topic's `patterns_in_context: {{ {name}: [...] }}`, or remove it"
                )),
            );
        }
    }

    fn date(
        &mut self,
        text: Option<&str>,
        loc: impl FnOnce() -> SourceLoc,
        what: &str,
    ) -> Option<PartialDate> {
        let text = text?;
        let parsed = PartialDate::parse(text.trim());
        if parsed.is_none() {
            self.error(loc(), format!("invalid {what} `{text}`"), DATE_HELP);
        }
        parsed
    }

    fn status<T>(&mut self, at: &Located<T>, text: &str) -> Option<Status> {
        let status = Status::parse(text);
        if status.is_none() {
            self.error(
                at.loc_of("status"),
                format!("invalid status `{text}`"),
                STATUS_HELP,
            );
        }
        status
    }

    fn report(&mut self, sources: &Sources) -> Option<Report> {
        let r = sources.report.as_ref()?;
        let date = self.date(Some(&r.value.date.0), || r.loc_of("date"), "report date");
        if date.is_some_and(|d| d.day.is_none()) {
            self.error(
                r.loc_of("date"),
                format!("the report date `{}` must be a full date", r.value.date.0),
                "write it as YYYY-MM-DD, e.g. 2020-09-01",
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
            let mut seen: HashMap<String, SourceLoc> = HashMap::new();
            let mut out = Vec::new();
            for e in list {
                if let Some(first) = seen.get(&e.value.id.0) {
                    self.error(
                        e.loc_of("id"),
                        format!("duplicate {what} `{}`", e.value.id.0),
                        format!("first used at {first}; letter them a, b, c, ..."),
                    );
                    continue;
                }
                seen.insert(e.value.id.0.clone(), e.loc());
                out.push(Entry {
                    id: e.value.id.0.clone(),
                    text: e.value.text.clone(),
                });
            }
            out
        };
        let study_items = entries(&q.study_items, "study item");
        let tasks = entries(&q.tasks, "task");
        Some(Question {
            id: q.front.value.id.clone(),
            title: q.front.value.title.clone(),
            study_items,
            tasks,
            motivation: q.markdown.clone(),
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

    fn topic_refs<T>(&mut self, taxonomy: &Taxonomy, at: &Located<T>, topics: &[String]) {
        for (i, t) in topics.iter().enumerate() {
            if taxonomy.topic(t).is_none() && self.check_topics {
                let help = match nearest(t, taxonomy.topics.iter().map(|t| t.id.as_str())) {
                    Some(n) => format!("did you mean `{n}`? topics are the ids in taxonomy.yaml"),
                    None => "use a topic id from taxonomy.yaml, or add the topic there".to_string(),
                };
                self.error(
                    at.loc_of(&format!("topics[{i}]")),
                    format!("unknown topic `{t}`"),
                    help,
                );
            }
        }
    }

    fn work_item(
        &mut self,
        w: &Located<RawWorkItem>,
        bodies: &Bodies,
        taxonomy: &Taxonomy,
    ) -> Option<WorkItem> {
        let raw = &w.value;
        let status = self.status(w, &raw.status);
        let priority = raw.priority.as_deref().and_then(|p| {
            let parsed = Priority::parse(p);
            if parsed.is_none() {
                self.error(
                    w.loc_of("priority"),
                    format!("invalid priority `{p}`"),
                    "use one of: high, medium, low",
                );
            }
            parsed
        });
        let approval = raw.approval.as_deref().and_then(|a| {
            let parsed = Approval::parse(a);
            if parsed.is_none() {
                self.error(
                    w.loc_of("approval"),
                    format!("invalid approval process `{a}`"),
                    "use AAP (alternative approval process) or TAP (traditional approval process)",
                );
            }
            parsed
        });
        let timing = self.date(
            raw.timing.as_ref().map(|t| t.0.as_str()),
            || w.loc_of("timing"),
            "timing",
        );
        let liaisons = raw
            .liaisons
            .iter()
            .enumerate()
            .filter_map(|(i, name)| {
                let body = self.body_ref(bodies, w, &format!("liaisons[{i}]"), name, "liaison")?;
                Some(Liaison {
                    as_written: name.clone(),
                    body,
                })
            })
            .collect();
        self.topic_refs(taxonomy, w, &raw.topics);
        Some(WorkItem {
            id: raw.id.0.clone(),
            title: raw.title.clone(),
            status: status?,
            stage: raw.stage.clone(),
            kind: raw.kind.clone(),
            approval,
            priority,
            timing,
            liaisons,
            base_text: raw.base_text.as_ref().map(|b| b.0.clone()),
            editors: raw.editors.clone(),
            summary: raw.summary.clone(),
            notes: raw.notes.clone(),
            topics: raw.topics.clone(),
            source: w.loc(),
        })
    }

    fn landscape_file(
        &mut self,
        f: &LandscapeSource,
        bodies: &Bodies,
        taxonomy: &Taxonomy,
    ) -> Option<LandscapeFile> {
        let raw = &f.file.value;
        let body = self.body_ref(bodies, &f.file, "body", &raw.body, "body");
        let items = f
            .items
            .iter()
            .filter_map(|i| self.landscape_item(i, &raw.org, body, bodies, taxonomy))
            .collect();
        Some(LandscapeFile {
            org: raw.org.clone(),
            body: body?,
            notes: raw.notes.clone(),
            narrative: f.markdown.clone().filter(|m| !m.trim().is_empty()),
            source: SourceLoc::file(f.file.loc().file),
            items,
        })
    }

    fn landscape_item(
        &mut self,
        i: &Located<RawLandscapeItem>,
        org: &str,
        file_body: Option<BodyId>,
        bodies: &Bodies,
        taxonomy: &Taxonomy,
    ) -> Option<LandscapeItem> {
        let raw = &i.value;
        let status = self.status(i, &raw.status);
        let date = self.date(
            raw.date.as_ref().map(|d| d.0.as_str()),
            || i.loc_of("date"),
            "date",
        );
        let body = match &raw.body {
            Some(name) => self.body_ref(bodies, i, "body", name, "body"),
            None => file_body,
        };
        let joint_with = raw
            .joint_with
            .iter()
            .enumerate()
            .filter_map(|(k, name)| {
                self.body_ref(bodies, i, &format!("joint_with[{k}]"), name, "joint body")
            })
            .collect();
        self.topic_refs(taxonomy, i, &raw.topics);
        Some(LandscapeItem {
            id: raw.id.0.clone(),
            title: raw.title.clone(),
            status: status?,
            stage: raw.stage.clone(),
            kind: raw.kind.clone(),
            date,
            summary: raw.summary.clone(),
            notes: raw.notes.clone(),
            org: org.to_string(),
            body: body?,
            joint_with,
            topics: raw.topics.clone(),
            links: raw.links.clone(),
            source: i.loc(),
        })
    }

    fn duplicate_item_ids(&mut self, work_items: &[WorkItem], landscape: &[LandscapeFile]) {
        let mut seen: HashMap<&str, &SourceLoc> = HashMap::new();
        let all = work_items.iter().map(|w| (w.id.as_str(), &w.source)).chain(
            landscape
                .iter()
                .flat_map(|f| f.items.iter().map(|i| (i.id.as_str(), &i.source))),
        );
        for (id, loc) in all {
            if let Some(first) = seen.get(id) {
                self.error(
                    loc.clone(),
                    format!("duplicate item id `{id}`"),
                    format!("also defined at {first}; item ids must be unique across all files: give one of them another id (or merge them, using `joint_with` for joint work)"),
                );
            } else {
                seen.insert(id, loc);
            }
        }
    }
}
/// True when following `parent` from `body` comes back to `body`.
fn is_in_parent_cycle(bodies: &Bodies, body: BodyId) -> bool {
    let mut at = bodies.get(body).parent;
    for _ in 0..bodies.all().len() {
        match at {
            Some(p) if p == body => return true,
            Some(p) => at = bodies.get(p).parent,
            None => return false,
        }
    }
    false
}

/// A pattern as written, before compiling.
struct RawPattern {
    text: String,
    source: SourceLoc,
}

/// The patterns of list `key` of a located value, each with its own line.
fn located_patterns<T>(at: &Located<T>, key: &str, texts: &[String]) -> Vec<RawPattern> {
    texts
        .iter()
        .enumerate()
        .map(|(i, p)| RawPattern {
            text: p.clone(),
            source: at.loc_of(&format!("{key}[{i}]")),
        })
        .collect()
}

/// The taxonomy's patterns as the sets the analysis matches items with (the topic set, the
/// largest, on its own thread).
fn pattern_sets(security: &[Pattern], contexts: &[Context], topics: &[Topic]) -> PatternSets {
    let topic_patterns: Vec<&Pattern> = topics
        .iter()
        .flat_map(|t| {
            t.patterns
                .iter()
                .chain(t.patterns_in_context.iter().map(|(_, p)| p))
        })
        .collect();
    let excludes: Vec<&Pattern> = topics.iter().flat_map(|t| &t.exclude).collect();
    let context_patterns: Vec<&Pattern> = contexts.iter().flat_map(|c| &c.patterns).collect();
    std::thread::scope(|scope| {
        let topic_set = scope.spawn(|| PatternSet::new(&topic_patterns));
        let security = PatternSet::new(&security.iter().collect::<Vec<_>>());
        let excludes = PatternSet::new(&excludes);
        let contexts = PatternSet::new(&context_patterns);
        PatternSets {
            topics: crate::parallel::joined(topic_set),
            security,
            excludes,
            contexts,
        }
    })
}
