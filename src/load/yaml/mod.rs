//! YAML with line numbers: the one place that knows which YAML library the loader uses.
//!
//! `serde_yaml` parses and deserialises (it guards against alias bombs and deep nesting);
//! `saphyr-parser` events give every key and element its line, which `serde_yaml::Value` forgets.
//! Replacing `serde_yaml` by a maintained fork means changing this file only.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use serde::de::DeserializeOwned;
use serde_yaml::{Mapping, Value};

use crate::diagnostic::{nearest, Diagnostic, Diagnostics, SourceLoc};

mod decode;
pub use decode::{decode, decode_partly, kind_of, Shape};

/// A parsed YAML document and the position of each of its nodes.
#[derive(Debug)]
pub struct Document {
    /// The document's content.
    pub value: Value,
    /// Line and column of every key and sequence element, by path.
    pub index: LineIndex,
}

/// Positions of the nodes of one YAML document, keyed by path: `items[3].title` is the `title` key
/// of the fourth element of the top-level `items` sequence; `""` is the document itself.
#[derive(Debug, Default)]
pub struct LineIndex {
    file: String,
    line_offset: u32,
    positions: HashMap<String, (u32, u32)>,
    /// Plain values cut short by a ` #` on their line, by path.
    cut: HashMap<String, CutValue>,
}

/// A plain value on its key's line that a comment follows after a single space
/// (`title: Information model #2 for ...`): YAML keeps only the text before the ` #`, which in
/// prose is more likely a cut than a comment.
#[derive(Debug, Clone)]
struct CutValue {
    /// Line and column of the `#`.
    at: (u32, u32),
    /// The value as YAML reads it.
    value: String,
    /// The value and the rest of its line, as written.
    whole: String,
}

impl LineIndex {
    /// The location of the node at `path`, falling back to its nearest recorded ancestor, then to
    /// the first line of the document.
    pub fn loc(&self, path: &str) -> SourceLoc {
        let mut p = path;
        loop {
            if let Some(&(line, col)) = self.positions.get(p) {
                return SourceLoc::at(self.file.clone(), line + self.line_offset, col);
            }
            match p.rfind(['.', '[']) {
                Some(cut) => p = &p[..cut],
                None if !p.is_empty() => p = "",
                None => return SourceLoc::at(self.file.clone(), 1 + self.line_offset, 1),
            }
        }
    }

    /// Warns of the value of `key` in the mapping at `path` if a ` #` cut it short (see
    /// [`CutValue`]), with the value quoted as the fix.
    fn warn_if_cut(&self, path: &str, key: &str, diags: &mut Diagnostics) {
        let Some(cut) = self.cut.get(&join(path, key)) else {
            return;
        };
        let at = SourceLoc::at(self.file.clone(), cut.at.0 + self.line_offset, cut.at.1);
        diags.push(
            Diagnostic::warning(
                at,
                format!(
                    "the text after ` #` is a YAML comment, so `{key}` is `{}`",
                    cut.value
                ),
            )
            .with_help(format!(
                "quote the value: {key}: {}; if the text after `#` is a comment, put two spaces before the `#`",
                quoted(&cut.whole)
            )),
        );
    }

    /// The file this index belongs to.
    pub fn file(&self) -> &str {
        &self.file
    }
}

/// Parses `text` (the YAML of `file`, starting at line `line_offset + 1` of that file).
pub fn parse(file: &str, text: &str, line_offset: u32) -> Result<Document, Diagnostic> {
    // Indexing first also bounds the nesting depth, which libyaml (under serde_yaml) would scan
    // in quadratic time before its own recursion limit applies.
    let (index, numbers) = index_lines(file, text, line_offset)?;
    let mut value: Value =
        serde_yaml::from_str(text).map_err(|e| syntax_error(file, line_offset, &e))?;
    keep_numbers_as_written(&mut value, numbers);
    value
        .apply_merge()
        .map_err(|e| merge_error(file, text, line_offset, &e))?;
    Ok(Document { value, index })
}

/// A merge key (`<<: *defaults`) whose value is not a mapping, at the line of the first merge key.
fn merge_error(file: &str, text: &str, line_offset: u32, e: &serde_yaml::Error) -> Diagnostic {
    let line = text
        .lines()
        .position(|l| l.trim_start().trim_start_matches("- ").starts_with("<<"))
        .map_or(1, |n| n as u32 + 1);
    Diagnostic::error(
        SourceLoc::at(file, line + line_offset, 1),
        format!("invalid YAML: {e}"),
    )
    .with_help("`<<:` merges the keys of a mapping or of a list of mappings, e.g. `<<: *defaults`")
}

/// A plain scalar that YAML may read as a number, by path, and its text as written.
type NumberLike = (String, String);

/// Puts back the text of every number as it was written: YAML reads `id: 1.10` as the number
/// 1.1 and `base_text: 0123` as 123, but every key of the inputs takes text, so the value the
/// user wrote is the one meant. A scalar written in quotes was never a number, and one that YAML
/// did not read as a number is left alone.
fn keep_numbers_as_written(value: &mut Value, numbers: Vec<NumberLike>) {
    for (path, text) in numbers {
        let Some(node) = node_at(value, &path) else {
            continue;
        };
        if node.is_number() && serde_yaml::from_str::<Value>(&text).ok().as_ref() == Some(node) {
            *node = Value::String(text);
        }
    }
}

/// The node at a path of the line index (`items[3].id`), if the path leads to one.
fn node_at<'v>(value: &'v mut Value, path: &str) -> Option<&'v mut Value> {
    let mut node = value;
    for part in path.split('.') {
        let (key, indices) = match part.find('[') {
            Some(cut) => (&part[..cut], &part[cut..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            node = node.get_mut(key)?;
        }
        for index in indices.split_terminator(']') {
            node = node.get_mut(index.strip_prefix('[')?.parse::<usize>().ok()?)?;
        }
    }
    Some(node)
}

/// Whether YAML might read a plain scalar as a number (its first character is one a number can
/// start with): the few worth checking against the parsed value.
fn may_be_number(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
}

/// Deepest nesting of mappings and sequences accepted (serde_yaml's own limit is 128).
pub const MAX_DEPTH: usize = 100;

fn syntax_error(file: &str, line_offset: u32, e: &serde_yaml::Error) -> Diagnostic {
    let loc = match e.location() {
        Some(l) => SourceLoc::at(file, l.line() as u32 + line_offset, l.column() as u32),
        None => SourceLoc::at(file, 1 + line_offset, 1),
    };
    let message = e.to_string();
    let message = match message.find(" at line ") {
        Some(cut) => message[..cut].to_string(),
        None => message,
    };

    Diagnostic::error(loc, format!("invalid YAML: {message}")).with_help(syntax_help(&message))
}

/// The fix for a YAML syntax error, by its message.
fn syntax_help(message: &str) -> &'static str {
    if message.contains("recursion limit") {
        "nesting is this deep only by mistake: flatten the structure"
    } else if message.contains("repetition limit") {
        "anchors and aliases expand to too much data; write the values out instead"
    } else if message.contains("unknown escape") {
        "in double quotes YAML reads `\\` as an escape: write a regex or other text with backslashes in single quotes ('\\d+'), which keep it as written"
    } else if message.contains("tab") {
        "YAML indents with spaces only: replace the tab with spaces"
    } else {
        SYNTAX_HELP
    }
}

const SYNTAX_HELP: &str = "fix the YAML syntax here: check indentation, and quote text that contains `: ` or starts with `[`, `{`, `*`, `&`, `!`, `%`, `@` or `#`";

/// One open mapping or sequence while walking the parser's events.
enum Frame {
    Map {
        path: String,
        key: Option<String>,
        /// The keys read so far.
        seen: Vec<String>,
    },
    Seq {
        path: String,
        next: usize,
    },
}

/// Records the position of every key and element, and the plain scalars that may be numbers;
/// a key given twice in one mapping is an error at its second place, and so is a second
/// document.
fn index_lines(
    file: &str,
    text: &str,
    line_offset: u32,
) -> Result<(LineIndex, Vec<NumberLike>), Diagnostic> {
    let mut positions = HashMap::new();
    let mut cut = HashMap::new();
    // Only a text with a `#` can hold a cut value.
    let lines = text.contains('#').then(|| LineStarts::of(text));
    let mut numbers = Vec::new();
    // The text of plain scalars that may be numbers and carry an anchor (`&version 1.10`).
    let mut anchored: HashMap<usize, String> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut documents = 0;
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| {
            let at = e.marker();
            let mut pos = (at.line() as u32, at.col() as u32 + 1);
            if e.info().contains("tab") {
                pos = first_tab_from(text, pos.0).unwrap_or(pos);
            }
            Diagnostic::error(
                SourceLoc::at(file, pos.0 + line_offset, pos.1),
                format!("invalid YAML: {}", e.info()),
            )
            .with_help(syntax_help(e.info()))
        })?;
        let pos = (span.start.line() as u32, span.start.col() as u32 + 1);
        match event {
            Event::Scalar(..) | Event::Alias(_) => {
                if let Some(Frame::Map {
                    key: key @ None,
                    path,
                    seen,
                }) = stack.last_mut()
                {
                    let name = match &event {
                        Event::Scalar(s, ..) => s.to_string(),
                        _ => String::from("*"),
                    };
                    let joined = join(path, &name);
                    if seen.contains(&name) {
                        let first = positions.get(&joined).map_or(0, |&(line, _)| line);
                        return Err(duplicate_key(file, line_offset, pos, &name, first));
                    }
                    positions.entry(joined).or_insert(pos);
                    seen.push(name.clone());
                    *key = Some(name);
                } else if let Some(path) = child_path(&mut stack) {
                    if let (Event::Scalar(s, ScalarStyle::Plain, ..), Some(lines)) =
                        (&event, &lines)
                    {
                        let key_line = positions.get(&path).map(|&(line, _)| line);
                        if let Some(value) = cut_value(lines, s, &span, key_line) {
                            cut.insert(path.clone(), value);
                        }
                    }
                    match &event {
                        Event::Scalar(s, ScalarStyle::Plain, anchor, _) if may_be_number(s) => {
                            numbers.push((path.clone(), s.to_string()));
                            if *anchor > 0 {
                                anchored.insert(*anchor, s.to_string());
                            }
                        }
                        // `*version` repeats an anchored number's text as written.
                        Event::Alias(anchor) => {
                            if let Some(s) = anchored.get(anchor) {
                                numbers.push((path.clone(), s.clone()));
                            }
                        }
                        _ => {}
                    }
                    positions.entry(path).or_insert(pos);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let path = match stack.last_mut() {
                    // A mapping used as a key: index it under a name no real key has.
                    Some(Frame::Map {
                        key: key @ None,
                        path,
                        ..
                    }) => {
                        *key = Some(String::from("?"));
                        join(path, "?")
                    }
                    _ => child_path(&mut stack).unwrap_or_default(),
                };
                positions.entry(path.clone()).or_insert(pos);
                if stack.len() >= MAX_DEPTH {
                    return Err(Diagnostic::error(
                        SourceLoc::at(file, pos.0 + line_offset, pos.1),
                        format!("invalid YAML: nesting deeper than {MAX_DEPTH} levels"),
                    )
                    .with_help(
                        "flatten the structure: items are mappings of plain values and short lists",
                    ));
                }
                stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Map {
                        path,
                        key: None,
                        seen: Vec::new(),
                    }
                } else {
                    Frame::Seq { path, next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::DocumentStart(_) if documents > 0 => {
                return Err(second_document(file, line_offset, pos));
            }
            Event::DocumentStart(_) => documents += 1,
            Event::StreamEnd => break,
            _ => {}
        }
    }
    let index = LineIndex {
        file: file.to_string(),
        line_offset,
        positions,
        cut,
    };
    Ok((index, numbers))
}

/// The lines of a text, found once so that each is reached without scanning the text again.
struct LineStarts<'a> {
    text: &'a str,
    /// The byte offset of each line's first character.
    starts: Vec<usize>,
}

impl<'a> LineStarts<'a> {
    fn of(text: &'a str) -> Self {
        let after_breaks = text.match_indices('\n').map(|(i, _)| i + 1);
        let starts = std::iter::once(0).chain(after_breaks).collect();
        LineStarts { text, starts }
    }

    /// Line `line` (from 1), without its line break.
    fn get(&self, line: usize) -> Option<&'a str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).map_or(self.text.len(), |&e| e - 1);
        Some(self.text[start..end].trim_end_matches('\r'))
    }
}

/// The plain value `value`, spanning `span`, if it starts on its key's line (`key_line`, none
/// for a sequence element) and a `#` follows it after one space or tab on its last line.
fn cut_value(
    lines: &LineStarts,
    value: &str,
    span: &Span,
    key_line: Option<u32>,
) -> Option<CutValue> {
    if key_line != Some(span.start.line() as u32) {
        return None;
    }
    let line = lines.get(span.end.line())?;
    let rest: String = line.chars().skip(span.end.col()).collect();
    let mut chars = rest.chars();
    let one_blank = matches!(chars.next(), Some(' ' | '\t')) && chars.next() == Some('#');
    one_blank.then(|| CutValue {
        at: (span.end.line() as u32, span.end.col() as u32 + 2),
        value: value.to_string(),
        whole: format!("{value}{}", rest.trim_end()),
    })
}

/// `text` as a YAML quoted scalar: in double quotes, or in single quotes when it holds a `"` or
/// a `\` (which double quotes would read as an escape).
fn quoted(text: &str) -> String {
    if text.contains(['"', '\\']) {
        format!("'{}'", text.replace('\'', "''"))
    } else {
        format!("\"{text}\"")
    }
}

/// A second YAML document in one file (after a `---` line), at its start.
fn second_document(file: &str, line_offset: u32, at: (u32, u32)) -> Diagnostic {
    Diagnostic::error(
        SourceLoc::at(file, at.0 + line_offset, at.1),
        "invalid YAML: a second document starts here, and a file holds one",
    )
    .with_help("remove this `---` line, or move what follows it into a file of its own")
}

fn duplicate_key(
    file: &str,
    line_offset: u32,
    at: (u32, u32),
    key: &str,
    first: u32,
) -> Diagnostic {
    Diagnostic::error(
        SourceLoc::at(file, at.0 + line_offset, at.1),
        format!(
            "invalid YAML: key `{key}` is given twice in this mapping (first at line {})",
            first + line_offset
        ),
    )
    .with_help("keep one of the two: YAML takes each key of a mapping once")
}

/// Line and column of the first tab on line `line` (counted from 1) or after it: the parser
/// reports a misplaced tab at the start of the value before it.
fn first_tab_from(text: &str, line: u32) -> Option<(u32, u32)> {
    let skip = line.checked_sub(1)? as usize;
    text.lines().enumerate().skip(skip).find_map(|(n, l)| {
        let col = l.chars().position(|c| c == '\t')?;
        Some((n as u32 + 1, col as u32 + 1))
    })
}

/// The path of the next value in the innermost container (consuming a pending key or index).
fn child_path(stack: &mut [Frame]) -> Option<String> {
    match stack.last_mut()? {
        Frame::Map { path, key, .. } => key.take().map(|k| join(path, &k)),
        Frame::Seq { path, next } => {
            *next += 1;
            Some(format!("{path}[{}]", *next - 1))
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests;
