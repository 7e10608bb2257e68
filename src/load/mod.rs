//! Stage 1, load: reads the inputs folder into the raw structs of [`raw`], each with the file and
//! line it came from. Checks syntax and shape (YAML, front matter, UTF-8, known keys, value types);
//! the meaning of values is checked by [`crate::validate`].

mod discover;
pub mod fields;
pub mod raw;
pub mod yaml;

use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_yaml::Value;

use crate::diagnostic::{nearest, Diagnostic, Diagnostics, SourceLoc};
use raw::*;
use yaml::{decode, LineIndex, Shape};

/// Files larger than this are refused rather than read (a landscape file is a few kilobytes).
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// A value read from the inputs, with the place it was read from.
#[derive(Debug)]
pub struct Located<T> {
    /// The decoded value.
    pub value: T,
    index: Arc<LineIndex>,
    path: String,
    /// Keys whose values are not as written: missing or wrongly typed, already reported (see
    /// [`yaml::decode_partly`]). Only items and topics are kept with such keys, for their other
    /// values (a topic's patterns) to be checked; they never reach the model.
    broken: Vec<String>,
}

impl<T> Located<T> {
    /// Whether every value is as written (no missing or wrongly typed key).
    pub fn is_complete(&self) -> bool {
        self.broken.is_empty()
    }

    /// Whether the value of `key` is missing or wrongly typed (already reported).
    pub fn is_broken(&self, key: &str) -> bool {
        self.broken.iter().any(|k| k == key)
    }

    /// Where the value starts.
    pub fn loc(&self) -> SourceLoc {
        self.index.loc(&self.path)
    }

    /// Where the key or element `sub` of the value is (`"status"`, `"liaisons[2]"`), or the
    /// value's own location when `sub` is absent from the file.
    pub fn loc_of(&self, sub: &str) -> SourceLoc {
        if self.path.is_empty() {
            self.index.loc(sub)
        } else {
            self.index.loc(&format!("{}.{sub}", self.path))
        }
    }
}

/// `question.md`: its front matter, entries and Markdown body.
#[derive(Debug)]
pub struct QuestionSource {
    /// The front matter.
    pub front: Located<RawQuestion>,
    /// Study items `a)`, `b)`, ...
    pub study_items: Vec<Located<RawEntry>>,
    /// Tasks `a)`, `b)`, ...
    pub tasks: Vec<Located<RawEntry>>,
    /// The Markdown after the front matter (the motivation).
    pub markdown: MarkdownBody,
}

/// The Markdown after a file's front matter.
#[derive(Debug, Clone)]
pub struct MarkdownBody {
    /// The Markdown.
    pub text: String,
    /// The line of the file the Markdown starts on (from 1).
    pub first_line: u32,
}

/// `taxonomy.yaml`: security patterns and topics.
#[derive(Debug)]
pub struct TaxonomySource {
    /// The file's top level (security patterns are its `security_patterns[i]`).
    pub file: Located<RawTaxonomy>,
    /// Each topic.
    pub topics: Vec<Located<RawTopic>>,
}

/// One landscape file: its header, its items and, for `.md` files, its Markdown narrative.
#[derive(Debug)]
pub struct LandscapeSource {
    /// The file's top level.
    pub file: Located<RawLandscapeFile>,
    /// Each item.
    pub items: Vec<Located<RawLandscapeItem>>,
    /// The Markdown body of a `.md` landscape file.
    pub markdown: Option<MarkdownBody>,
}

/// Everything read from an inputs folder. Parts that could not be read are `None` or missing, and
/// the reason is in the diagnostics returned beside it.
#[derive(Debug, Default)]
pub struct Sources {
    /// `report.yaml`.
    pub report: Option<Located<RawReport>>,
    /// `question.md`.
    pub question: Option<QuestionSource>,
    /// `work-programme.yaml` items.
    pub work_items: Vec<Located<RawWorkItem>>,
    /// `bodies.yaml` entries.
    pub bodies: Vec<Located<RawBody>>,
    /// `taxonomy.yaml`.
    pub taxonomy: Option<TaxonomySource>,
    /// `landscape/**` files, sorted by path.
    pub landscape: Vec<LandscapeSource>,
    /// How many files were read.
    pub files_read: usize,
    /// The earlier `report.json` named by `report.yaml`'s `baseline`.
    pub baseline: Option<crate::model::Baseline>,
    /// False when `bodies.yaml` could not be read: names are then not checked against it.
    pub bodies_read: bool,
}

/// Reads every input file under `root`, collecting every problem rather than stopping at the first.
pub fn load(root: &Path) -> (Sources, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut sources = Sources::default();
    if !root.is_dir() {
        diags.push(
            Diagnostic::error(
                SourceLoc::file(root.display().to_string()),
                "inputs folder not found",
            )
            .with_help(
                "pass the folder with --inputs DIR, or create one with `gapreport init DIR`",
            ),
        );
        return (sources, diags);
    }
    let mut reader = Reader {
        root,
        diags: &mut diags,
        files_read: 0,
    };

    sources.report = reader
        .yaml("report.yaml")
        .and_then(|(doc, index)| top::<RawReport>(&doc, index, reader.diags));
    if let Some(report) = &sources.report {
        sources.baseline = reader.baseline(report);
    }
    sources.question = reader.question();
    if let Some((doc, index)) = reader.yaml("work-programme.yaml") {
        if let Some(wp) = top::<RawWorkProgramme>(&doc, index.clone(), reader.diags) {
            sources.work_items =
                elements_even_broken(&wp.value.items, "items", &index, reader.diags);
        }
    }
    if let Some((doc, index)) = reader.yaml("bodies.yaml") {
        if let Some(b) = top::<RawBodies>(&doc, index.clone(), reader.diags) {
            sources.bodies = elements(&b.value.bodies, "bodies", &index, reader.diags);
            sources.bodies_read = true;
        }
    }
    if let Some((doc, index)) = reader.yaml("taxonomy.yaml") {
        if let Some(file) = top::<RawTaxonomy>(&doc, index.clone(), reader.diags) {
            let topics = elements_even_broken(&file.value.topics, "topics", &index, reader.diags);
            sources.taxonomy = Some(TaxonomySource { file, topics });
        }
    }
    sources.landscape = reader.landscape();
    reader.unread_root_entries();
    sources.files_read = reader.files_read;
    (sources, diags)
}

/// Decodes the top level of a document.
fn top<T: Shape>(
    doc: &Value,
    index: Arc<LineIndex>,
    diags: &mut Diagnostics,
) -> Option<Located<T>> {
    let value = decode::<T>(doc, &index, "", diags)?;
    Some(Located {
        value,
        index,
        path: String::new(),
        broken: Vec::new(),
    })
}

/// Decodes each element of the list at `path`, skipping (and reporting) the ones that cannot be used.
fn elements<T: Shape>(
    values: &[Value],
    path: &str,
    index: &Arc<LineIndex>,
    diags: &mut Diagnostics,
) -> Vec<Located<T>> {
    let mut all = elements_even_broken(values, path, index, diags);
    all.retain(Located::is_complete);
    all
}

/// Like [`elements`], but an item (or topic) with a missing or wrongly typed value is kept (with
/// the error reported), so that its other values are checked in the same run.
fn elements_even_broken<T: Shape>(
    values: &[Value],
    path: &str,
    index: &Arc<LineIndex>,
    diags: &mut Diagnostics,
) -> Vec<Located<T>> {
    values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let path = format!("{path}[{i}]");
            let (value, broken) = yaml::decode_partly::<T>(v, index, &path, diags)?;
            Some(Located {
                value,
                index: index.clone(),
                path,
                broken,
            })
        })
        .collect()
}

struct Reader<'a> {
    root: &'a Path,
    diags: &'a mut Diagnostics,
    files_read: usize,
}

impl Reader<'_> {
    /// Reads a file as UTF-8 text, reporting a missing, empty, huge or non-UTF-8 file.
    fn text(&mut self, rel: &str) -> Option<String> {
        let path = self.root.join(rel);
        let whole = SourceLoc::file(rel);
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.diags.push(
                    Diagnostic::error(whole, "required file not found").with_help(format!(
                        "create `{rel}`; `gapreport init DIR` writes an example of every file"
                    )),
                );
                return None;
            }
            Err(e) => {
                self.diags
                    .push(Diagnostic::error(whole, format!("cannot read file: {e}")));
                return None;
            }
        };
        if meta.len() > MAX_FILE_BYTES {
            self.diags.push(
                Diagnostic::error(
                    whole,
                    format!(
                        "file is too large ({} bytes; the limit is {MAX_FILE_BYTES})",
                        meta.len()
                    ),
                )
                .with_help("split it into several landscape files"),
            );
            return None;
        }
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                self.diags
                    .push(Diagnostic::error(whole, format!("cannot read file: {e}")));
                return None;
            }
        };
        self.files_read += 1;
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = good.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
                let col = good.iter().rev().take_while(|&&b| b != b'\n').count() as u32 + 1;
                self.diags.push(
                    Diagnostic::error(SourceLoc::at(rel, line, col), "file is not valid UTF-8")
                        .with_help("save the file as UTF-8 (most editors: \"Save with encoding\")"),
                );
                return None;
            }
        };
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text);
        if text.trim().is_empty() {
            self.diags.push(
                Diagnostic::error(SourceLoc::at(rel, 1, 1), "file is empty")
                    .with_help("fill it in, or delete it if it is not needed"),
            );
            return None;
        }
        Some(text)
    }

    /// Reads and parses a YAML file.
    fn yaml(&mut self, rel: &str) -> Option<(Value, Arc<LineIndex>)> {
        let text = self.text(rel)?;
        self.parse(rel, &text, 0)
    }

    fn parse(&mut self, rel: &str, text: &str, offset: u32) -> Option<(Value, Arc<LineIndex>)> {
        match yaml::parse(rel, text, offset) {
            Ok(doc) => Some((doc.value, Arc::new(doc.index))),
            Err(d) => {
                self.diags.push(d);
                None
            }
        }
    }

    /// Reads a Markdown file with YAML front matter: returns the front matter parsed and the body.
    fn markdown(&mut self, rel: &str) -> Option<(Value, Arc<LineIndex>, MarkdownBody)> {
        let text = self.text(rel)?;
        let Some(front) = split_front_matter(&text) else {
            let (line, help) = if text.starts_with("---") {
                (
                    1,
                    "close the front matter with a line containing only `---`",
                )
            } else {
                (1, "start the file with a line `---`, the YAML keys, then a line `---`, then the Markdown")
            };
            let message = if text.starts_with("---") {
                "unterminated front matter"
            } else {
                "missing front matter"
            };
            self.diags
                .push(Diagnostic::error(SourceLoc::at(rel, line, 1), message).with_help(help));
            return None;
        };
        let (doc, index) = self.parse(rel, front.yaml, front.first_line - 1)?;
        let before_body = &text[..text.len() - front.body.len()];
        // Line ends as `\n` whatever the file's (a CRLF file gives the same report).
        let body = MarkdownBody {
            text: front.body.replace("\r\n", "\n"),
            first_line: before_body.matches('\n').count() as u32 + 1,
        };
        Some((doc, index, body))
    }

    /// Reads the earlier `report.json` named by `baseline`, relative to the inputs folder.
    fn baseline(&mut self, report: &Located<RawReport>) -> Option<crate::model::Baseline> {
        let rel = report.value.baseline.as_ref()?;
        let at = report.loc_of("baseline");
        let text = match std::fs::read_to_string(self.root.join(rel)) {
            Ok(t) => t,
            Err(e) => {
                self.diags.push(
                    Diagnostic::error(at, format!("cannot read baseline `{rel}`: {e}"))
                        .with_help("`baseline` is the path of an earlier report.json, relative to the inputs folder"),
                );
                return None;
            }
        };
        match serde_json::from_str::<crate::model::Baseline>(&text) {
            Ok(mut b) => {
                b.path = rel.clone();
                b.named_at = at;
                Some(b)
            }
            Err(e) => {
                self.diags.push(
                    Diagnostic::error(at, format!("baseline `{rel}` is not a gapreport report.json: {e}"))
                        .with_help("point `baseline` at the report.json written by an earlier `gapreport build`"),
                );
                None
            }
        }
    }

    fn question(&mut self) -> Option<QuestionSource> {
        let (doc, index, markdown) = self.markdown("question.md")?;
        let front = top::<RawQuestion>(&doc, index.clone(), self.diags)?;
        let study_items = elements(&front.value.study_items, "study_items", &index, self.diags);
        let tasks = elements(&front.value.tasks, "tasks", &index, self.diags);
        Some(QuestionSource {
            front,
            study_items,
            tasks,
            markdown,
        })
    }

    fn landscape(&mut self) -> Vec<LandscapeSource> {
        let dir = self.root.join("landscape");
        if !dir.is_dir() {
            self.diags.push(
                Diagnostic::warning(
                    SourceLoc::file("landscape"),
                    "no landscape folder: the report lists no other body's work",
                )
                .with_help("create `landscape/` with one YAML or Markdown file per body"),
            );
            return Vec::new();
        }
        let files = self.landscape_files(&dir);
        let root = self.root;
        let read = crate::parallel::map_balanced(
            &files,
            || (),
            |(), path| {
                let mut diags = Diagnostics::default();
                let mut reader = Reader {
                    root,
                    diags: &mut diags,
                    files_read: 0,
                };
                let source = reader.landscape_file(path);
                (source, reader.files_read, diags)
            },
        );
        let mut out = Vec::new();
        for (source, files_read, diags) in read {
            out.extend(source);
            self.files_read += files_read;
            self.diags.extend(diags);
        }
        out
    }

    /// Reads one landscape file (YAML, or Markdown with front matter).
    fn landscape_file(&mut self, path: &Path) -> Option<LandscapeSource> {
        let rel = relative(self.root, path);
        let is_md = file_kind(path) == Some(FileKind::Markdown);
        let (doc, index, markdown) = if is_md {
            self.markdown(&rel).map(|(d, i, m)| (d, i, Some(m)))?
        } else {
            self.yaml(&rel).map(|(d, i)| (d, i, None))?
        };
        let file = top::<RawLandscapeFile>(&doc, index.clone(), self.diags)?;
        let items = elements_even_broken(&file.value.items, "items", &index, self.diags);
        Some(LandscapeSource {
            file,
            items,
            markdown,
        })
    }
}

/// How an input file is read, by its extension in any case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    /// `.yaml`, `.yml`.
    Yaml,
    /// `.md`, `.markdown`: YAML front matter, then Markdown.
    Markdown,
}

fn file_kind(path: &Path) -> Option<FileKind> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "yaml" | "yml" => Some(FileKind::Yaml),
        "md" | "markdown" => Some(FileKind::Markdown),
        _ => None,
    }
}

/// The files the inputs folder holds besides its landscape: read by name.
const ROOT_FILES: [&str; 5] = [
    "report.yaml",
    "question.md",
    "work-programme.yaml",
    "bodies.yaml",
    "taxonomy.yaml",
];

/// The folders of the inputs folder: the landscape, and the JSON Schemas `init` writes.
const ROOT_FOLDERS: [&str; 2] = ["landscape", "schemas"];

/// The YAML front matter of a Markdown file, found by pulldown-cmark's metadata-block support.
struct FrontMatter<'a> {
    yaml: &'a str,
    /// 1-based line of the first YAML line.
    first_line: u32,
    body: &'a str,
}

fn split_front_matter(text: &str) -> Option<FrontMatter<'_>> {
    let parser =
        Parser::new_ext(text, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS).into_offset_iter();
    let mut yaml_range = None;
    for (event, range) in parser {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => yaml_range = Some(range.clone()),
            Event::End(TagEnd::MetadataBlock(_)) => {}
            Event::Text(_) if yaml_range.is_some() => {}
            _ => break,
        }
        if let Some(r) = &yaml_range {
            if r.start != 0 {
                return None;
            }
        }
    }
    let block = yaml_range?;
    // The block spans the opening `---` line through the closing fence.
    let inner_start = text[..block.end].find('\n')? + 1;
    let closing = text[..block.end]
        .trim_end_matches(['\n', '\r'])
        .rfind('\n')
        .map_or(inner_start, |i| i + 1);
    let yaml = &text[inner_start..closing.max(inner_start)];
    let rest = &text[block.end..];
    let body = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
        .unwrap_or(rest);
    Some(FrontMatter {
        yaml,
        first_line: 2,
        body,
    })
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split() {
        let fm = split_front_matter("---\nid: Q\ntitle: T\n---\n# Motivation\ntext\n").unwrap();
        assert_eq!(fm.yaml, "id: Q\ntitle: T\n");
        assert_eq!(fm.first_line, 2);
        assert_eq!(fm.body, "# Motivation\ntext\n");
    }

    #[test]
    fn unterminated_front_matter_is_none() {
        assert!(split_front_matter("---\nid: Q\ntitle: T\n# Motivation\n").is_none());
        assert!(split_front_matter("# no front matter\n").is_none());
    }
}
