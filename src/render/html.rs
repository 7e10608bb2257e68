//! `report.html`: the report as one self-contained page, rendered from the shared
//! [`ReportView`] through the `report.html` template. Markdown from the inputs goes through
//! pulldown-cmark and then ammonia's allow-list, so no script, event handler, `javascript:` URL
//! or style from an input reaches the page; everything else is escaped by tera. The page's own
//! style and script (templates `report.css` and `report.js`) are inlined and pinned by hash in a
//! Content Security Policy that also forbids every network request.

use std::collections::HashSet;

use base64::{engine::general_purpose::STANDARD, Engine};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::view::{heading_shift, Narrative, ReportView};
use super::Inputs;
use crate::diagnostic::{Diagnostic, SourceLoc};
use crate::model::{opens_from_report, NARRATIVE_MARKDOWN};

/// Tags removed from ammonia's default allow-list (their text content stays): images could load
/// from the network.
const REMOVED_TAGS: [&str; 1] = ["img"];

/// Heading level of the top heading of a landscape narrative (under the body's `h4`).
const NARRATIVE_TOP: u8 = 5;
/// Heading level of the top heading of the Question's motivation (under the section's `h2`).
const MOTIVATION_TOP: u8 = 3;

/// What `report.html` gets: the report view, plus the page's own style and script and the
/// Content Security Policy that allows exactly them.
#[derive(Serialize)]
struct PageView<'a> {
    #[serde(flatten)]
    report: ReportView<'a>,
    /// The rendered `report.css`.
    style: String,
    /// The rendered `report.js`.
    script: String,
    /// The `content` of the CSP meta tag.
    csp: String,
}

/// Renders `report.html`; a template error is reported at the template's file and line.
pub fn render(inputs: &Inputs) -> Result<Vec<u8>, Diagnostic> {
    let report = ReportView::build(inputs.model, inputs.analysis, &|md, place| {
        let top = match place {
            Narrative::Motivation => MOTIVATION_TOP,
            Narrative::Body => NARRATIVE_TOP,
        };
        markdown_to_html(md, top)
    });
    let none = serde_json::json!({});
    let style = inline_asset(inputs, "report.css", "</style", &none)?;
    let script = inline_asset(inputs, "report.js", "</script", &none)?;
    let csp = content_security_policy(&style, &script);
    let page = PageView {
        report,
        style,
        script,
        csp,
    };
    inputs
        .templates
        .render("report.html", &page)
        .map(String::into_bytes)
}

/// Renders the style or script template, refusing text that would end its element early.
fn inline_asset(
    inputs: &Inputs,
    name: &str,
    end_tag: &str,
    context: &serde_json::Value,
) -> Result<String, Diagnostic> {
    let text = inputs.templates.render(name, context)?;
    if text.to_ascii_lowercase().contains(end_tag) {
        return Err(Diagnostic::error(
            SourceLoc::file(format!("templates/{name}")),
            format!("template {name} contains `{end_tag}`, which would end the inline element"),
        )
        .with_help(format!("remove `{end_tag}` from {name}")));
    }
    Ok(text)
}

/// A policy that forbids every request and allows only this page's own style and script.
fn content_security_policy(style: &str, script: &str) -> String {
    format!(
        "default-src 'none'; style-src '{}'; script-src '{}'; img-src data:; \
         base-uri 'none'; form-action 'none'",
        csp_hash(style),
        csp_hash(script)
    )
}

/// `sha256-` and the base64 SHA-256 of `text`, as a CSP source expression.
pub fn csp_hash(text: &str) -> String {
    format!(
        "sha256-{}",
        STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

/// Markdown from the inputs as sanitised HTML: headings shifted so the highest one becomes
/// `h{top}` (the page keeps one `h1` and ordered headings), then every tag, attribute and URL
/// scheme outside ammonia's allow-list removed. An image is shown as its description: the page
/// loads nothing from elsewhere.
pub fn markdown_to_html(markdown: &str, top: u8) -> String {
    let shift = heading_shift(markdown, top);
    let events = Parser::new_ext(markdown, NARRATIVE_MARKDOWN).map(|e| match e {
        // Attributes are dropped: an input's `{#id}` could take a place of the report's.
        Event::Start(Tag::Heading { level, .. }) => Event::Start(Tag::Heading {
            level: shifted(level, shift),
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shifted(level, shift))),
        // The image's description, in italics, as the PDF shows it.
        Event::Start(Tag::Image { .. }) => Event::Start(Tag::Emphasis),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Emphasis),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    sanitise(&html)
}

fn shifted(level: HeadingLevel, shift: u8) -> HeadingLevel {
    match (level as u8 + shift).min(6) {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// ammonia's allow-list without images (they could load from the network), and only the links
/// the reports keep ([`opens_from_report`]): any other `href` is dropped, its text stays. Header
/// cells are scoped to their column.
fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .rm_tags(REMOVED_TAGS)
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("a", "href") if !opens_from_report(value) => None,
            _ => Some(value.into()),
        })
        .link_rel(Some("noopener noreferrer"))
        // A narrative's table has its header row only (GFM): each header cell heads a column.
        .set_tag_attribute_value("th", "scope", "col")
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_shifted_so_the_highest_is_top() {
        let html = markdown_to_html("# A\n\n## B\n", 3);
        assert_eq!(html, "<h3>A</h3>\n<h4>B</h4>\n");
        assert_eq!(markdown_to_html("## B\n", 3), "<h3>B</h3>\n");
        assert_eq!(
            markdown_to_html("# A\n\n#### D\n", 5),
            "<h5>A</h5>\n<h6>D</h6>\n"
        );
    }

    #[test]
    fn an_image_is_shown_as_its_description() {
        let html = markdown_to_html("See ![the *roadmap* figure](https://x.org/r.png).\n", 3);
        assert_eq!(html, "<p>See <em>the <em>roadmap</em> figure</em>.</p>\n");
    }

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let md = "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n\
                  [x](javascript:alert(3)) <a href=\"javascript:alert(4)\" onclick=\"alert(5)\">y</a>\n\n\
                  <style>body{display:none}</style><b style=\"color:red\">z";
        let html = markdown_to_html(md, 3);
        for bad in [
            "script",
            "alert",
            "onerror",
            "onclick",
            "javascript",
            "style",
            "<img",
        ] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
        assert!(html.contains("<b>z</b>"), "{html}");
    }

    #[test]
    fn csp_hash_is_the_base64_sha256() {
        // echo -n "" | openssl dgst -sha256 -binary | base64
        assert_eq!(
            csp_hash(""),
            "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }
}
