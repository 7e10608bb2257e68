//! Markdown the report cannot show as written: an image (the report is one self-contained file
//! and its PDF draws no images, so a Markdown image's description stands in; an HTML `<img>` is
//! dropped), a link that opens nothing from the report (relative to the inputs folder, or of a
//! scheme the report drops), and HTML, which the PDF does not format and the web page keeps only
//! in part.

use pulldown_cmark::{Event, Parser, Tag};

use super::Validator;
use crate::diagnostic::{Diagnostic, SourceLoc};
use crate::load::MarkdownBody;
use crate::model::{opens_from_report, NARRATIVE_MARKDOWN, REMOVED_WITH_CONTENT};

impl Validator<'_> {
    /// Warns of each image and each link of `body` (the Markdown of `file`) the report cannot show.
    pub(super) fn markdown(&mut self, file: &str, body: &MarkdownBody) {
        let events = Parser::new_ext(&body.text, NARRATIVE_MARKDOWN).into_offset_iter();
        for (event, range) in events {
            let (message, help) = match event {
                Event::Start(Tag::Image { dest_url, .. }) => (
                    format!("image `{dest_url}` is not shown: the report is one self-contained file, and the image's description stands in"),
                    "describe the figure in the text, or link to it at a web address (https://...)",
                ),
                Event::Html(html) | Event::InlineHtml(html)
                    if html.to_ascii_lowercase().contains("<img") =>
                {
                    (
                        "an HTML image is not shown: the report is one self-contained file".to_string(),
                        "describe the figure in the text, or write it as ![description](address), whose description the report shows",
                    )
                }
                Event::Html(html) | Event::InlineHtml(html) => match html_tag(&html) {
                    Some(tag) if REMOVED_WITH_CONTENT.contains(&tag.as_str()) => (
                        format!("HTML `<{tag}>` is removed from the report, with its content"),
                        "the report runs no script and keeps its own style: remove it",
                    ),
                    Some(tag) if tag != "br" => (
                        format!("HTML `<{tag}>` is not formatted in the PDF, which shows only its text"),
                        "write Markdown instead (*emphasis*, **strong**, lists, tables, [text](https://...))",
                    ),
                    _ => continue,
                },
                Event::Start(Tag::Link { dest_url, .. }) if !opens_from_report(&dest_url) => (
                    format!("link `{dest_url}` opens nothing from the report"),
                    if dest_url.contains(':') {
                        "the report links only web (http, https) and mail (mailto) addresses"
                    } else {
                        "it is relative to the inputs folder: link to a web address (https://...)"
                    },
                ),
                _ => continue,
            };
            let before = &body.text[..range.start];
            let line = body.first_line + before.matches('\n').count() as u32;
            let col = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
            self.diags
                .push(Diagnostic::warning(SourceLoc::at(file, line, col), message).with_help(help));
        }
    }
}

/// The lower-case name of the element `html` opens (`<sup>`, `<div class="x">`), if it opens one:
/// none for a closing tag or a comment.
fn html_tag(html: &str) -> Option<String> {
    let rest = html.trim_start().strip_prefix('<')?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (name.starts_with(|c: char| c.is_ascii_alphabetic())).then(|| name.to_ascii_lowercase())
}
