//! Diagnostics: what went wrong in the inputs, where, and how to fix it.
//!
//! Every stage reports problems as [`Diagnostic`] values instead of stopping at the first one, so a
//! contributor sees every mistake of a run at once, each with its file, line and a fix.

use std::fmt;

/// Where something stands in the inputs: a path relative to the inputs folder and a 1-based line
/// and column. `line == 0` means "the whole file" (a missing or unreadable file).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct SourceLoc {
    /// Path relative to the inputs folder, with `/` separators.
    pub file: String,
    /// 1-based line; 0 when the location is the file as a whole.
    pub line: u32,
    /// 1-based column; 0 when unknown.
    pub col: u32,
}

impl SourceLoc {
    /// A location naming a file as a whole.
    pub fn file(file: impl Into<String>) -> Self {
        SourceLoc {
            file: file.into(),
            line: 0,
            col: 0,
        }
    }

    /// A location at `line:col` of `file`.
    pub fn at(file: impl Into<String>, line: u32, col: u32) -> Self {
        SourceLoc {
            file: file.into(),
            line,
            col,
        }
    }
}

impl fmt::Display for SourceLoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.col) {
            (0, _) => write!(f, "{}", self.file),
            (line, 0) => write!(f, "{}:{}", self.file, line),
            (line, col) => write!(f, "{}:{}:{}", self.file, line, col),
        }
    }
}

/// How bad a diagnostic is: errors fail the run, warnings are printed and the run goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The inputs are invalid; nothing is written.
    Error,
    /// Worth a look, but the report is still built.
    Warning,
}

/// One problem found in the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where the problem is.
    pub loc: SourceLoc,
    /// What is wrong, in one line.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `loc`.
    pub fn error(loc: SourceLoc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            loc,
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `loc`.
    pub fn warning(loc: SourceLoc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(loc, message)
        }
    }

    /// The same diagnostic with a `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {}: {}", self.loc, kind, self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The problems of one run, in the order they were found; sorted by location before printing.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records every problem of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// True when at least one error (not just warnings) was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// The diagnostics sorted by file, line and column (stable for equal locations).
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.loc.cmp(&b.loc));
        self.items
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// `1 body`, `2 bodies`: a count and what it counts, in the singular or plural.
pub fn count(n: usize, what: &str) -> String {
    match (n, what.strip_suffix('y')) {
        (1, _) => format!("1 {what}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {what}s"),
    }
}

/// The nearest of `candidates` to `word` by edit distance, if it is close enough to be a likely
/// typo (used for "did you mean" suggestions).
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(count(1, "work item"), "1 work item");
        assert_eq!(count(2, "work item"), "2 work items");
        assert_eq!(count(1, "body"), "1 body");
        assert_eq!(count(88, "body"), "88 bodies");
        assert_eq!(count(0, "topic"), "0 topics");
    }

    use super::*;

    #[test]
    fn display_has_location_kind_message_and_help() {
        let d = Diagnostic::error(SourceLoc::at("a.yaml", 3, 5), "unknown key `titel`")
            .with_help("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "a.yaml:3:5: error: unknown key `titel`\n  help: did you mean `title`?"
        );
        let whole = Diagnostic::error(SourceLoc::file("report.yaml"), "file not found");
        assert_eq!(whole.to_string(), "report.yaml: error: file not found");
    }

    #[test]
    fn nearest_finds_typos_only() {
        let keys = ["id", "title", "status", "summary"];
        assert_eq!(nearest("titel", keys), Some("title"));
        assert_eq!(nearest("stauts", keys), Some("status"));
        assert_eq!(nearest("zzzzzz", keys), None);
    }
}
