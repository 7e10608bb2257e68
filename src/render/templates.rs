//! The report templates: built into the binary from `templates/`, each overridable by a file of
//! the same name in `--templates DIR`. A template error names the template file and line.
//! Besides tera's built-in filters, templates get `slug` (an id as it appears in anchors:
//! `item-{{ id | slug }}`).

use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, ErrorKind, Kwargs, State, Tera};

use crate::diagnostic::{Diagnostic, SourceLoc};

/// The built-in templates: (name, content). Renderers add theirs here.
pub const BUILTIN: &[(&str, &str)] = &[
    ("report.html", include_str!("../../templates/report.html")),
    ("report.css", include_str!("../../templates/report.css")),
    ("report.js", include_str!("../../templates/report.js")),
    ("report.md", include_str!("../../templates/report.md")),
];

/// The loaded templates, with where each came from.
pub struct Templates {
    tera: Tera,
    /// For each template name, the file it was read from (for error messages).
    origins: Vec<(String, String)>,
    /// Files of the templates folder that look meant as templates but are not read.
    pub warnings: Vec<Diagnostic>,
}

/// The endings of template files (of an overriding folder); other files there are not read.
const TEMPLATE_ENDINGS: [&str; 4] = ["html", "css", "js", "md"];

impl Templates {
    /// The built-in templates, with those of `overrides` (if given) replacing them by name.
    /// Files in `overrides` that match no built-in template are added too (for `{% include %}`).
    pub fn load(overrides: Option<&Path>) -> Result<Templates, Diagnostic> {
        Self::load_from(BUILTIN, overrides)
    }

    /// As [`Templates::load`], from an explicit list of built-in templates.
    pub fn load_from(
        builtin: &[(&str, &str)],
        overrides: Option<&Path>,
    ) -> Result<Templates, Diagnostic> {
        let mut sources: Vec<(String, String, String)> = builtin
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    text.to_string(),
                    format!("templates/{name} (built in)"),
                )
            })
            .collect();
        let mut warnings = Vec::new();
        if let Some(dir) = overrides {
            let OverrideFiles { files, unread } = override_files(dir, builtin)?;
            warnings = unread;
            for (name, path) in files {
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    Diagnostic::error(
                        SourceLoc::file(path.display().to_string()),
                        format!("cannot read template: {e}"),
                    )
                })?;
                let origin = path.display().to_string();
                match sources.iter_mut().find(|(n, _, _)| *n == name) {
                    Some(slot) => *slot = (name, text, origin),
                    None => sources.push((name, text, origin)),
                }
            }
        }
        let origins: Vec<(String, String)> = sources
            .iter()
            .map(|(n, _, o)| (n.clone(), o.clone()))
            .collect();
        let mut tera = Tera::new();
        tera.autoescape_on([".html"]);
        tera.register_filter("md", |text: &str, _: Kwargs, _: &State| {
            escape_markdown(text)
        });
        tera.register_filter("slug", |text: &str, _: Kwargs, _: &State| {
            super::view::slug(text)
        });
        tera.register_test("web_address", |link: &str, _: Kwargs, _: &State| {
            crate::model::is_web_address(link)
        });
        tera.add_raw_templates(sources.iter().map(|(n, t, _)| (n.as_str(), t.as_str())))
            .map_err(|e| error(&origins, e))?;
        Ok(Templates {
            tera,
            origins,
            warnings,
        })
    }

    /// Renders template `name` with `context` serialised as its variables.
    pub fn render(&self, name: &str, context: &impl Serialize) -> Result<String, Diagnostic> {
        let context = Context::from_serialize(context).map_err(|e| error(&self.origins, e))?;
        self.tera
            .render(name, &context)
            .map_err(|e| error(&self.origins, e))
    }
}

/// Input text made literal in Markdown: every character that could start Markdown syntax is
/// backslash-escaped and line breaks become spaces, so the text stays one inline run (a table
/// cell, a list item, a heading). The `md` filter of the templates.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '(' | ')' | '#' | '+'
            | '-' | '.' | '!' | '|' | '~' | '&' | '=' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// The template files of `dir`, and a warning for each file that looks meant as one but is not
/// read (`report.CSS`). Other files (a README, an editor's backup
/// `report.html~`, hidden files) are not read and not warned of.
fn override_files(dir: &Path, builtin: &[(&str, &str)]) -> Result<OverrideFiles, Diagnostic> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostic::error(SourceLoc::file(dir.display().to_string()), format!("cannot read the templates folder: {e}"))
            .with_help("--templates takes a folder of template files named like the built-in ones in templates/")
    })?;
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !path.is_file() || name.starts_with('.') {
            continue;
        }
        let ending = name.rsplit_once('.').map_or("", |(_, e)| e);
        if TEMPLATE_ENDINGS.contains(&ending) {
            files.push((name, path));
        } else if TEMPLATE_ENDINGS.contains(&ending.to_ascii_lowercase().as_str()) {
            let builtin = builtin.iter().find(|(b, _)| b.eq_ignore_ascii_case(&name));
            let help = match builtin {
                Some((b, _)) => format!("rename it `{b}`: template names are case-sensitive"),
                None => format!("rename it to end in .{}", ending.to_ascii_lowercase()),
            };
            warnings.push(
                Diagnostic::warning(
                    SourceLoc::file(path.display().to_string()),
                    "not read: template files end in .html, .css, .js or .md, in lower case",
                )
                .with_help(help),
            );
        }
    }
    files.sort();
    warnings.sort_by(|a, b| a.loc.cmp(&b.loc));
    Ok(OverrideFiles {
        files,
        unread: warnings,
    })
}

/// What a templates folder holds.
struct OverrideFiles {
    /// The template files: (name, path), sorted.
    files: Vec<(String, PathBuf)>,
    /// A warning for each file that looks meant as a template but is not read.
    unread: Vec<Diagnostic>,
}

/// A tera error as a diagnostic at the template file and line it names.
fn error(origins: &[(String, String)], e: tera::Error) -> Diagnostic {
    let origin_of = |name: &str| {
        origins
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, o)| o.clone())
            .unwrap_or_else(|| name.to_string())
    };
    match e.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            let origin = origin_of(report.filename());
            let file = origin.trim_end_matches(" (built in)").to_string();
            Diagnostic::error(
                SourceLoc::at(file, span.start_line as u32, span.start_col as u32 + 1),
                format!("template error: {}", report.message()),
            )
            .with_help(if origin.ends_with("(built in)") {
                "this is a built-in template: please report the bug".to_string()
            } else {
                format!("fix the template {origin}, or remove it to use the built-in one")
            })
        }
        _ => Diagnostic::error(SourceLoc::file("templates"), format!("template error: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILT: &[(&str, &str)] = &[
        ("page.html", "<h1>{{ title }}</h1>\n"),
        ("notes.md", "# {{ title }}\n"),
    ];

    #[test]
    fn html_is_escaped_markdown_is_not() {
        let t = Templates::load_from(BUILT, None).unwrap();
        let ctx = serde_json::json!({"title": "<b>x</b>"});
        assert_eq!(
            t.render("page.html", &ctx).unwrap(),
            "<h1>&lt;b&gt;x&lt;/b&gt;</h1>\n"
        );
        assert_eq!(t.render("notes.md", &ctx).unwrap(), "# <b>x</b>\n");
    }

    #[test]
    fn md_filter_escapes_markdown_syntax() {
        let t = Templates::load_from(&[("x.md", "{{ v | md }}")], None).unwrap();
        let ctx = serde_json::json!({"v": "# a|b *c* [d](e)\nf"});
        assert_eq!(
            t.render("x.md", &ctx).unwrap(),
            "\\# a\\|b \\*c\\* \\[d\\]\\(e\\) f"
        );
    }

    #[test]
    fn override_replaces_by_name_and_errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("page.html"), "<p>{{ title }}</p>\n").unwrap();
        let t = Templates::load_from(BUILT, Some(dir.path())).unwrap();
        let ctx = serde_json::json!({"title": "T"});
        assert_eq!(t.render("page.html", &ctx).unwrap(), "<p>T</p>\n");

        std::fs::write(dir.path().join("page.html"), "<p>\n{{ title </p>\n").unwrap();
        let err = Templates::load_from(BUILT, Some(dir.path())).err().unwrap();
        let file = dir.path().join("page.html").display().to_string();
        assert_eq!(err.loc.file, file);
        assert_eq!(err.loc.line, 2, "{err}");
        assert!(err.message.starts_with("template error"), "{err}");
    }

    #[test]
    fn only_template_files_are_read_and_a_misnamed_one_is_warned_of() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write("page.html", "<p>{{ title }}</p>\n");
        // An editor's backup and a README would not parse as templates: they are not read.
        write("page.html~", "{{ broken");
        write("README.txt", "{% broken");
        write(".page.html.swp", "{{ broken");
        write("NOTES.MD", "# {{ title }}\n");
        let t = Templates::load_from(BUILT, Some(dir.path())).unwrap();
        let ctx = serde_json::json!({"title": "T"});
        assert_eq!(t.render("page.html", &ctx).unwrap(), "<p>T</p>\n");
        assert_eq!(t.render("notes.md", &ctx).unwrap(), "# T\n", "built in");
        let warnings: Vec<String> = t.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("NOTES.MD"), "{warnings:?}");
        assert!(
            warnings[0].contains("rename it `notes.md`: template names are case-sensitive"),
            "{warnings:?}"
        );
    }
}
