//! Characters the PDF's built-in fonts cannot show (a Chinese title, say: DejaVu has no CJK
//! glyphs), traced back to the input fields that hold them, so the run warns at the file and line
//! instead of printing empty boxes silently.

use std::collections::{BTreeMap, BTreeSet};

use super::fonts::Fonts;
use super::layout::{Document, Draw};
use crate::diagnostic::{Diagnostic, SourceLoc};
use crate::model::Model;

/// Every character drawn in `doc` that its font has no glyph for, or that is of a script written
/// right to left: the layout neither reorders nor joins letters, so Arabic or Hebrew would read
/// as separate letters in the wrong order even where the font has them.
pub fn missing_chars(doc: &Document, fonts: &Fonts) -> BTreeSet<char> {
    let mut missing = BTreeSet::new();
    for draw in doc.pages.iter().flatten() {
        if let Draw::Text { text, font, .. } = draw {
            missing.extend(text.chars().filter(|&c| {
                !c.is_whitespace() && (is_right_to_left(c) || !fonts.has_glyph(*font, c))
            }));
        }
    }
    missing
}

/// Whether `c` is a letter of a script written right to left (Hebrew, Arabic, Syriac, Thaana,
/// N'Ko and their presentation forms).
fn is_right_to_left(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// One warning per input field that holds characters of `missing`, at the field's item or file.
/// Characters found in no field (they came from a user template) get one warning of their own.
pub fn warnings(missing: &BTreeSet<char>, model: &Model) -> Vec<Diagnostic> {
    if missing.is_empty() {
        return Vec::new();
    }
    let mut per_field: BTreeMap<(SourceLoc, String), BTreeSet<char>> = BTreeMap::new();
    for field in fields(model) {
        let chars: BTreeSet<char> = field.text.chars().filter(|c| missing.contains(c)).collect();
        if !chars.is_empty() {
            per_field
                .entry((field.loc, field.what))
                .or_default()
                .extend(chars);
        }
    }
    let found: BTreeSet<char> = per_field.values().flatten().copied().collect();
    let mut out: Vec<Diagnostic> = per_field
        .into_iter()
        .map(|((loc, what), chars)| {
            let message = format!(
                "{what} has characters the PDF cannot show: {}",
                list(&chars)
            );
            Diagnostic::warning(loc, message).with_help(HELP)
        })
        .collect();
    let elsewhere: BTreeSet<char> = missing.difference(&found).copied().collect();
    if !elsewhere.is_empty() {
        out.push(
            Diagnostic::warning(
                SourceLoc::file(format!("templates/{}", super::TEMPLATE)),
                format!(
                    "the PDF template's text has characters the PDF cannot show: {}",
                    list(&elsewhere)
                ),
            )
            .with_help(HELP),
        );
    }
    out
}

const HELP: &str = "report.pdf prints them as empty boxes, or, for a script written right to \
                    left, as separate letters in the wrong order (report.html shows them); \
                    transliterate them or add the English form";

fn list(chars: &BTreeSet<char>) -> String {
    chars
        .iter()
        .map(|c| format!("`{c}` (U+{:04X})", u32::from(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A piece of input text the report prints, and where it comes from.
struct Field<'a> {
    loc: SourceLoc,
    what: String,
    text: &'a str,
}

fn field<'a>(loc: &SourceLoc, what: impl Into<String>, text: &'a str) -> Field<'a> {
    Field {
        loc: loc.clone(),
        what: what.into(),
        text,
    }
}

/// The input text the report prints, field by field.
fn fields(model: &Model) -> Vec<Field<'_>> {
    let report = SourceLoc::file("report.yaml");
    let question = SourceLoc::file("question.md");
    let r = &model.report;
    let mut out = vec![
        field(&report, "the report's title", &r.title),
        field(&report, "the report's document", &r.document),
    ];
    out.extend(r.meeting.iter().map(|m| field(&report, "the meeting", m)));
    out.extend(r.authors.iter().map(|a| field(&report, "an author", a)));
    let q = &model.question;
    out.push(field(&question, "the Question's title", &q.title));
    out.push(field(&question, "the motivation", &q.motivation));
    for e in q.study_items.iter().chain(&q.tasks) {
        out.push(field(&question, format!("entry {}", e.id), &e.text));
    }
    for b in model.bodies.all() {
        let what = format!("body {}", b.id);
        out.push(field(&b.source, what.clone(), &b.name));
        out.extend(b.title.iter().map(|t| field(&b.source, what.clone(), t)));
        out.extend(b.aliases.iter().map(|a| field(&b.source, what.clone(), a)));
    }
    for t in &model.taxonomy.topics {
        let what = format!("topic {}", t.id);
        out.push(field(&t.source, what.clone(), &t.label));
        out.push(field(&t.source, what, &t.description));
    }
    for w in &model.work_items {
        let what = format!("work item {}", w.id);
        let texts = [
            Some(&w.id),
            Some(&w.title),
            w.stage.as_ref(),
            w.kind.as_ref(),
        ]
        .into_iter()
        .chain([w.base_text.as_ref(), w.summary.as_ref(), w.notes.as_ref()])
        .flatten()
        .chain(&w.editors)
        .chain(w.liaisons.iter().map(|l| &l.as_written));
        out.extend(texts.map(|t| field(&w.source, what.clone(), t)));
    }
    for f in &model.landscape {
        let texts = [f.notes.as_ref(), f.narrative.as_ref()]
            .into_iter()
            .flatten();
        out.extend(texts.map(|t| field(&f.source, "the file's notes", t)));
        out.push(field(&f.source, "the file's org", &f.org));
        for i in &f.items {
            let what = format!("item {}", i.id);
            let texts = [Some(&i.id), Some(&i.title), Some(&i.org), i.stage.as_ref()]
                .into_iter()
                .chain([i.kind.as_ref(), i.summary.as_ref(), i.notes.as_ref()])
                .flatten();
            out.extend(texts.map(|t| field(&i.source, what.clone(), t)));
        }
    }
    out
}
