//! The taxonomy's pattern sets (literal prefilter + PikeVM) find exactly what the regex crate
//! finds, on the shipped taxonomy and every text of the shipped inputs and held-out sets, as
//! written (common characters only, mostly) and with a Greek word added; so do the same patterns
//! set up from what compiling them found (as a run does from the cache of compiled patterns).

use std::path::Path;

use gapreport::model::{Pattern, PatternSet};
use gapreport::pattern::PatternCompiler;

fn regex(p: &Pattern) -> regex::Regex {
    regex::RegexBuilder::new(&p.text)
        .case_insensitive(true)
        .build()
        .unwrap()
}

/// Every title, summary and note of the shipped inputs, and every held-out title.
fn texts(model: &gapreport::model::Model) -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    for w in &model.work_items {
        texts.push(w.title.clone());
        texts.extend(w.summary.clone());
        texts.extend(w.notes.clone());
    }
    for file in &model.landscape {
        texts.extend(file.notes.clone());
        for i in &file.items {
            texts.push(i.title.clone());
            texts.extend(i.summary.clone());
            texts.extend(i.notes.clone());
        }
    }
    let heldout = Path::new(env!("CARGO_MANIFEST_DIR")).join("heldout");
    for entry in std::fs::read_dir(heldout).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let set: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        for item in set["items"].as_array().unwrap() {
            texts.push(item["title"].as_str().unwrap().to_string());
        }
    }
    // A text with a character beyond the common ones (Latin, general punctuation) runs each
    // pattern's own automaton instead of its common-script one: both must agree with the regex
    // crate, so every text is also tried with a Greek word added.
    let uncommon: Vec<String> = texts.iter().map(|t| format!("{t} (Ασφάλεια)")).collect();
    texts.extend(uncommon);
    texts
}

#[test]
fn pattern_sets_agree_with_the_regex_crate_on_the_shipped_taxonomy() {
    let inputs = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs");
    let model = gapreport::check(&inputs)
        .expect("shipped inputs are valid")
        .model;
    let texts = texts(&model);
    assert!(texts.len() > 500, "{} texts", texts.len());
    let tax = &model.taxonomy;
    let lists: Vec<(&PatternSet, Vec<&Pattern>)> = vec![
        (
            &tax.sets.topics,
            tax.topics
                .iter()
                .flat_map(|t| {
                    t.patterns
                        .iter()
                        .chain(t.patterns_in_context.iter().map(|(_, p)| p))
                })
                .collect(),
        ),
        (
            &tax.sets.contexts,
            tax.contexts.iter().flat_map(|c| &c.patterns).collect(),
        ),
        (&tax.sets.security, tax.security_patterns.iter().collect()),
        (
            &tax.sets.security_false_friends,
            tax.security_false_friends.iter().collect(),
        ),
        (
            &tax.sets.excludes,
            tax.topics.iter().flat_map(|t| &t.exclude).collect(),
        ),
    ];
    let mut matches = 0;
    for (set, patterns) in lists {
        let regexes: Vec<regex::Regex> = patterns.iter().map(|p| regex(p)).collect();
        // The same patterns set up as a later run does from the cache of compiled patterns.
        let mut compiler = PatternCompiler::new();
        let known: Vec<Pattern> = patterns
            .iter()
            .map(|p| compiler.known(&p.text, p.source.clone(), &p.known()))
            .collect::<Result<_, _>>()
            .expect("a compiled pattern sets up again");
        let known_set = PatternSet::new(&known.iter().collect::<Vec<_>>());
        let (mut cache, mut known_cache) = (set.cache(), known_set.cache());
        for text in &texts {
            let expected: Vec<(usize, &str)> = regexes
                .iter()
                .enumerate()
                .filter_map(|(i, r)| r.find(text).map(|m| (i, m.as_str())))
                .collect();
            let found = set.matches(&mut cache, text);
            assert_eq!(found, expected, "text: {text:?}");
            let found_known = known_set.matches(&mut known_cache, text);
            assert_eq!(
                found_known, expected,
                "set up from the cache, text: {text:?}"
            );
            matches += found.len();
        }
    }
    assert!(
        matches > 1000,
        "only {matches} matches: the comparison is too weak"
    );
}
