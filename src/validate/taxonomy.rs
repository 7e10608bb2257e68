//! `taxonomy.yaml`: topics (unique ids, known groups), contexts, and every pattern compiled, each
//! broken one reported at its line; then the pattern sets the analysis matches items with.

use super::{FirstSeen, Validator};
use crate::diagnostic::{nearest, Diagnostic, SourceLoc};
use crate::load::raw::RawTopic;
use crate::load::{Located, Sources};
use crate::model::{Context, Group, Pattern, PatternSet, PatternSets, Taxonomy, Topic};
use crate::pattern::{PatternCompiler, PatternError};

impl Validator<'_> {
    /// Compiles every list of patterns, shared out over the machine's cores (a few hundred NFAs,
    /// some a hundred times costlier than others); each broken pattern is an error at its line.
    /// A pattern compiled in an earlier run (`self.known`) is set up from what was found then.
    /// `None` when any is broken.
    fn compile_patterns(&mut self, lists: Vec<Vec<RawPattern>>) -> Option<Vec<Vec<Pattern>>> {
        let all: Vec<&RawPattern> = lists.iter().flatten().collect();
        let known = self.known;
        let compiled: Vec<Result<Pattern, PatternError>> =
            crate::parallel::map_balanced(&all, PatternCompiler::new, |compiler, p| {
                match known.get(&p.text) {
                    Some(k) => compiler.known(&p.text, p.source.clone(), k),
                    None => compiler.compile(&p.text, p.source.clone()),
                }
            });
        let mut ok = Vec::with_capacity(compiled.len());
        for (raw, result) in all.iter().zip(compiled) {
            if let Some(c) = raw.text.chars().find(|c| c.is_control()) {
                self.control_character_error(raw, c);
                continue;
            }
            match result {
                Ok(p) => ok.push(p),
                Err(PatternError::MatchesEmpty) => self.empty_match_error(raw),
                Err(PatternError::MatchesNothing) => self.no_match_error(raw),
                Err(PatternError::Syntax(e)) => self.regex_error(raw, &e),
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

    fn regex_error(&mut self, p: &RawPattern, e: &str) {
        let detail = e.lines().last().unwrap_or("").trim().to_string();
        self.error(
            p.source.clone(),
            format!("regex `{}` does not compile: {detail}", p.text),
            "patterns use Rust `regex` syntax (no look-around or backreferences); escape literal `(`, `[`, `.` with `\\`",
        );
    }

    /// A pattern that matches the empty text matches every text: mostly a stray `|`.
    fn empty_match_error(&mut self, p: &RawPattern) {
        self.error(
            p.source.clone(),
            format!(
                "pattern `{}` matches the empty text, so {}",
                p.text, p.everywhere
            ),
            "look for an empty alternative: `||`, a leading or trailing `|`, or a pattern that \
             is all optional, like `x*` or `(ledger)?`; every match must hold at least one \
             character",
        );
    }

    /// A pattern that can match no text does nothing, silently: mostly a class written as its
    /// own complement (`[^\s\S]`).
    fn no_match_error(&mut self, p: &RawPattern) {
        self.error(
            p.source.clone(),
            format!("pattern `{}` can match no text, so it maps nothing", p.text),
            "a class that leaves out every character (`[^\\s\\S]`, `\\P{any}`) matches nothing; \
             write the characters it should match, e.g. `[\\s\\S]` for any, or remove the pattern",
        );
    }

    /// A pattern holding a control character can never match a title; it is almost always a
    /// regex escape that YAML read first, in double quotes (`"\bpay\b"` is a backspace, not a
    /// word boundary).
    fn control_character_error(&mut self, p: &RawPattern, c: char) {
        let as_written: String = p.text.chars().map(yaml_escape).collect();
        let message = format!(
            "pattern `{as_written}` holds a control character (U+{:04X}, `{}` in double quotes), \
             so it can never match a title",
            c as u32,
            yaml_escape(c)
        );
        let help = format!(
            "in double quotes YAML reads `\\b`, `\\t`, ... as control characters, not as regex \
             escapes; write the pattern on one line in single quotes, which keep backslashes as \
             written: '{}'",
            as_written.trim_end_matches("\\n").replace('\'', "''")
        );
        self.error(p.source.clone(), message, help);
    }

    /// The taxonomy with every pattern compiled (an empty one without `taxonomy.yaml`).
    pub(super) fn taxonomy(&mut self, sources: &Sources) -> Taxonomy {
        let Some(src) = &sources.taxonomy else {
            return Taxonomy::default();
        };
        let file = &src.file;
        let context_names: Vec<&str> = file.value.contexts.keys().map(String::as_str).collect();
        let mut context_used = vec![false; context_names.len()];
        let mut lists = vec![
            located_patterns(
                file,
                "security_patterns",
                &file.value.security_patterns,
                "every item would be security-relevant",
            ),
            located_patterns(
                file,
                "security_false_friends",
                &file.value.security_false_friends,
                "it would count as a false friend in every text",
            ),
        ];
        for (name, patterns) in &file.value.contexts {
            self.context_definition(file, name, patterns);
            lists.push(located_patterns(
                file,
                &format!("contexts.{name}"),
                patterns,
                &format!("every text would be in context `{name}`"),
            ));
        }
        let mut seen = FirstSeen::default();
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
            let id = &t.value.id;
            lists.push(located_patterns(
                t,
                "patterns",
                &t.value.patterns,
                &format!("every item would map to topic `{id}`"),
            ));
            lists.push(located_patterns(
                t,
                "exclude",
                &t.value.exclude,
                &format!("it would veto topic `{id}` for every item"),
            ));
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
        let security_false_friends = compiled.next().unwrap_or_default();
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
        let sets = pattern_sets(
            &security_patterns,
            &security_false_friends,
            &contexts,
            &topics,
        );
        Taxonomy {
            security_patterns,
            security_false_friends,
            topics,
            contexts,
            sets,
        }
    }

    /// A topic without its patterns. `Err`: its id repeats an earlier topic's (it is skipped);
    /// `Ok(None)`: its id or group is missing or unknown (its patterns are still checked, then it
    /// is dropped). A topic whose label is missing is kept, for the items that name it; an error
    /// was reported, so no model is made.
    fn topic_header<'s>(
        &mut self,
        t: &'s Located<RawTopic>,
        seen: &mut FirstSeen<'s>,
    ) -> Result<Option<Topic>, ()> {
        let raw = &t.value;
        if t.is_broken("id") || t.is_broken("group") {
            return Ok(None); // already reported
        }
        if let Some(first) = seen.repeat_of(&raw.id, || t.loc()) {
            self.error(
                t.loc_of("id"),
                format!("duplicate topic id `{}`", raw.id),
                format!("first defined at {first}; merge the two or rename one"),
            );
            return Err(());
        }
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
            security_work: raw.security.then(|| t.loc_of("security")),
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
            let everywhere = format!(
                "every item in context `{name}` would map to topic `{}`",
                topic.value.id
            );
            let located = located_patterns(topic, &key, list, &everywhere);
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
}

/// A pattern as written, before compiling.
struct RawPattern {
    text: String,
    source: SourceLoc,
    /// What the pattern would do if it matched every text ("every item would be
    /// security-relevant"), for the error when it matches the empty text.
    everywhere: String,
}

/// The patterns of list `key` of a located value, each with its own line; `everywhere` says what
/// one of them would do if it matched every text.
fn located_patterns<T>(
    at: &Located<T>,
    key: &str,
    texts: &[String],
    everywhere: &str,
) -> Vec<RawPattern> {
    texts
        .iter()
        .enumerate()
        .map(|(i, p)| RawPattern {
            text: p.clone(),
            source: at.loc_of(&format!("{key}[{i}]")),
            everywhere: everywhere.to_string(),
        })
        .collect()
}

/// The taxonomy's patterns as the sets the analysis matches items with (the topic set, the
/// largest, on its own thread).
fn pattern_sets(
    security: &[Pattern],
    security_false_friends: &[Pattern],
    contexts: &[Context],
    topics: &[Topic],
) -> PatternSets {
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
        let security_false_friends =
            PatternSet::new(&security_false_friends.iter().collect::<Vec<_>>());
        let excludes = PatternSet::new(&excludes);
        let contexts = PatternSet::new(&context_patterns);
        PatternSets {
            topics: crate::parallel::joined(topic_set),
            security,
            security_false_friends,
            excludes,
            contexts,
        }
    })
}

/// How a YAML double-quoted string writes `c` (the character itself when it needs no escape).
fn yaml_escape(c: char) -> String {
    match c {
        '\u{0}' => "\\0".to_string(),
        '\u{7}' => "\\a".to_string(),
        '\u{8}' => "\\b".to_string(),
        '\t' => "\\t".to_string(),
        '\n' => "\\n".to_string(),
        '\u{b}' => "\\v".to_string(),
        '\u{c}' => "\\f".to_string(),
        '\r' => "\\r".to_string(),
        '\u{1b}' => "\\e".to_string(),
        c if c.is_control() => format!("\\x{:02X}", c as u32),
        c => c.to_string(),
    }
}
