//! Markdown (CommonMark with GFM tables and heading attributes) to the list of blocks the layout
//! engine paginates: headings, paragraphs, lists, tables, and the layout directives written as
//! HTML comments (`<!-- cover -->`, `<!-- /cover -->`, `<!-- toc -->`, `<!-- pagebreak -->`).
//! Inline, `<a id="...">` names a link target and `<br>` breaks the line (in a table cell too).
//!
//! Markdown from the inputs (a [`Narrative`]) is not pasted into the template's: the template
//! names it by reference (`<!-- narrative N -->`) and it is parsed on its own, so nothing in it
//! (an unclosed code fence, a layout directive, a `{#id}`) can change the report around it. In
//! it, headings move down to their place and are not numbered, HTML is read as the web page's sanitiser leaves it
//! (text only; `<script>` and `<style>` dropped whole; `<br>` breaks the line), and only the
//! links the reports keep are links.
use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};

use crate::model::{opens_from_report, NARRATIVE_MARKDOWN, REMOVED_WITH_CONTENT};

/// A run of text in one style.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Span {
    /// The text (empty for a pure link target).
    pub text: String,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Struck through (`~~deleted~~`).
    pub strike: bool,
    /// Link destination: `#anchor` inside the document, or a URL.
    pub link: Option<String>,
    /// A link target named here (`<a id="...">`).
    pub anchor: Option<String>,
    /// A forced line break (`<br>`), with no text: what follows starts a new line.
    pub line_break: bool,
}

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Left (the default).
    Left,
    /// Centred.
    Center,
    /// Right.
    Right,
}

/// A table cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// Its text.
    pub spans: Vec<Span>,
    /// Shade level 1-4 (`<!-- shade:N -->`), 0 for none.
    pub shade: u8,
}

/// A GFM table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column alignments.
    pub aligns: Vec<Align>,
    /// The header row.
    pub head: Vec<Cell>,
    /// The body rows.
    pub rows: Vec<Vec<Cell>>,
}

/// A layout directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directive {
    /// The cover page starts.
    Cover,
    /// The cover page ends (a new page follows).
    CoverEnd,
    /// The table of contents goes here.
    Toc,
    /// A new page.
    PageBreak,
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading.
    Heading {
        /// 1 to 6.
        level: u8,
        /// Its text.
        spans: Vec<Span>,
        /// `{#id}`.
        id: Option<String>,
        /// False when marked `{.unnumbered}`.
        numbered: bool,
    },
    /// A paragraph.
    Paragraph(Vec<Span>),
    /// A list: each item is a list of blocks.
    List {
        /// The first number of an ordered list.
        start: Option<u64>,
        /// The items.
        items: Vec<Vec<Block>>,
    },
    /// A table.
    Table(Table),
    /// Preformatted text.
    Code(String),
    /// A block quote.
    Quote(Vec<Block>),
    /// A horizontal rule.
    Rule,
    /// A layout directive.
    Directive(Directive),
}

/// Markdown from the inputs, and how its headings take their place in the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Narrative {
    /// The Markdown.
    pub markdown: String,
    /// Levels its headings move down (they are not numbered).
    pub shift: u8,
}

/// What the template writes where the narrative numbered `index` goes.
pub fn narrative_reference(index: usize) -> String {
    format!("<!-- narrative {index} -->")
}

/// Parses the template's `markdown` into blocks, each narrative it refers to in its place.
pub fn parse(markdown: &str, narratives: &[Narrative]) -> Vec<Block> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut builder = Builder {
        narratives,
        ..Builder::default()
    };
    for event in Parser::new_ext(markdown, options) {
        builder.event(event);
    }
    builder.finish()
}

/// The blocks of `narrative`, read as the reports read input Markdown.
fn parse_narrative(narrative: &Narrative) -> Vec<Block> {
    let mut builder = Builder {
        input: Some(InputMarkdown {
            shift: narrative.shift,
            hidden: 0,
        }),
        ..Builder::default()
    };
    for event in Parser::new_ext(&narrative.markdown, NARRATIVE_MARKDOWN) {
        builder.event(event);
    }
    builder.finish()
}

/// A container being filled.
enum Frame {
    /// The document, a list item or a block quote.
    Blocks(Vec<Block>),
    /// A list and its finished items.
    List(Option<u64>, Vec<Vec<Block>>),
    /// A table: alignments, finished rows (the first is the header), the current row.
    Table(Vec<Align>, Vec<Vec<Cell>>, Vec<Cell>),
}

/// How a narrative is read (see the module's documentation).
struct InputMarkdown {
    shift: u8,
    /// Depth inside elements neither report shows (`<script>`, `<style>`).
    hidden: usize,
}

#[derive(Default)]
struct Builder<'n> {
    /// The narratives the template refers to (none in a narrative).
    narratives: &'n [Narrative],
    /// Set when reading a narrative.
    input: Option<InputMarkdown>,
    frames: Vec<Frame>,
    spans: Vec<Span>,
    bold: usize,
    italic: usize,
    struck: usize,
    /// The destinations of the links the text is in; none for a link shown as text.
    links: Vec<Option<String>>,
    shade: u8,
    heading: Option<(u8, Option<String>, bool)>,
    code: Option<String>,
}

impl Builder<'_> {
    fn event(&mut self, event: Event) {
        if self.frames.is_empty() {
            self.frames.push(Frame::Blocks(Vec::new()));
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => match self.code.as_mut() {
                Some(code) => code.push_str(&text),
                None => self.text(&text),
            },
            Event::Code(text) => self.text(&text),
            Event::SoftBreak | Event::HardBreak => self.text(" "),
            Event::Html(html) | Event::InlineHtml(html) if self.input.is_some() => {
                self.input_html(&html)
            }
            Event::Html(html) => self.directive(&html),
            Event::InlineHtml(html) => self.inline_html(&html),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Heading {
                level, id, classes, ..
            } => {
                self.flush_paragraph();
                self.heading = Some(match &self.input {
                    Some(input) => ((level as u8 + input.shift).min(6), None, false),
                    None => {
                        let numbered = !classes.iter().any(|c| c.as_ref() == "unnumbered");
                        (level as u8, id.map(|s| s.to_string()), numbered)
                    }
                });
            }
            Tag::Paragraph => self.flush_paragraph(),
            Tag::List(start) => {
                self.flush_paragraph();
                self.frames.push(Frame::List(start, Vec::new()));
            }
            Tag::Item | Tag::BlockQuote(_) => {
                self.flush_paragraph();
                self.frames.push(Frame::Blocks(Vec::new()));
            }
            Tag::Table(aligns) => {
                self.flush_paragraph();
                let aligns = aligns.iter().map(|&a| align(a)).collect();
                self.frames
                    .push(Frame::Table(aligns, Vec::new(), Vec::new()));
            }
            Tag::CodeBlock(_) => {
                self.flush_paragraph();
                self.code = Some(String::new());
            }
            Tag::TableCell => self.shade = 0,
            // An image is shown as its description, in italics.
            Tag::Emphasis | Tag::Image { .. } => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Strikethrough => self.struck += 1,
            Tag::Link { dest_url, .. } => {
                let kept = self.input.is_none() || opens_from_report(&dest_url);
                self.links.push(kept.then(|| dest_url.to_string()));
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                let (level, id, numbered) = self.heading.take().unwrap_or((1, None, true));
                let spans = std::mem::take(&mut self.spans);
                self.push(Block::Heading {
                    level,
                    spans,
                    id,
                    numbered,
                });
            }
            TagEnd::Paragraph => self.flush_paragraph(),
            TagEnd::List(_) => {
                if let Some(Frame::List(start, items)) = self.frames.pop() {
                    self.push(Block::List { start, items });
                }
            }
            TagEnd::Item => {
                self.flush_paragraph();
                if let Some(Frame::Blocks(blocks)) = self.frames.pop() {
                    if let Some(Frame::List(_, items)) = self.frames.last_mut() {
                        items.push(blocks);
                    }
                }
            }
            TagEnd::BlockQuote(_) => {
                self.flush_paragraph();
                if let Some(Frame::Blocks(blocks)) = self.frames.pop() {
                    self.push(Block::Quote(blocks));
                }
            }
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                self.push(Block::Code(code.trim_end().to_string()));
            }
            TagEnd::TableCell => self.end_cell(),
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(Frame::Table(_, rows, row)) = self.frames.last_mut() {
                    rows.push(std::mem::take(row));
                }
            }
            TagEnd::Table => self.end_table(),
            TagEnd::Emphasis | TagEnd::Image => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Strikethrough => self.struck = self.struck.saturating_sub(1),
            TagEnd::Link => {
                self.links.pop();
            }
            _ => {}
        }
    }

    fn end_cell(&mut self) {
        let cell = Cell {
            spans: std::mem::take(&mut self.spans),
            shade: self.shade,
        };
        if let Some(Frame::Table(_, _, row)) = self.frames.last_mut() {
            row.push(cell);
        }
    }

    fn end_table(&mut self) {
        if let Some(Frame::Table(aligns, mut rows, _)) = self.frames.pop() {
            let head = if rows.is_empty() {
                Vec::new()
            } else {
                rows.remove(0)
            };
            self.push(Block::Table(Table { aligns, head, rows }));
        }
    }

    fn text(&mut self, text: &str) {
        if self.input.as_ref().is_some_and(|i| i.hidden > 0) {
            return;
        }
        // HTML dropped between two spaces leaves one (as a browser shows it).
        let after_space = self.spans.last().is_some_and(|s| s.text.ends_with(' '));
        let text = match text.strip_prefix(' ') {
            Some(rest) if after_space && self.input.is_some() => rest,
            _ => text,
        };
        let span = Span {
            text: text.to_string(),
            bold: self.bold > 0,
            italic: self.italic > 0,
            strike: self.struck > 0,
            link: self.links.last().cloned().flatten(),
            ..Span::default()
        };
        match self.spans.last_mut() {
            Some(last) if last.anchor.is_none() && same_style(last, &span) => {
                last.text.push_str(text)
            }
            _ => self.spans.push(span),
        }
    }

    fn inline_html(&mut self, html: &str) {
        if let Some(level) = comment_value(html, "shade:") {
            self.shade = level.parse::<u8>().unwrap_or(0).min(4);
        } else if let Some(id) = anchor_id(html) {
            self.spans.push(Span {
                anchor: Some(id),
                ..Span::default()
            });
        } else if is_line_break(html) {
            self.spans.push(Span {
                line_break: true,
                ..Span::default()
            });
        }
    }

    /// HTML in a narrative, read as the web page's sanitiser leaves it: the text outside tags
    /// (none inside `<script>` or `<style>`), and a line break for `<br>`.
    fn input_html(&mut self, html: &str) {
        let mut rest = html;
        while !rest.is_empty() {
            let (text, tag) = match rest.find('<') {
                Some(start) => {
                    let end = rest[start..]
                        .find('>')
                        .map_or(rest.len(), |e| start + e + 1);
                    (&rest[..start], &rest[start..end])
                }
                None => (rest, ""),
            };
            rest = &rest[text.len() + tag.len()..];
            let shown = self.input.as_ref().is_some_and(|i| i.hidden == 0);
            let text = collapsed_whitespace(text);
            let starts_line = self.spans.last().is_none_or(|s| s.line_break);
            match text.strip_prefix(' ') {
                _ if !shown || text.trim().is_empty() => {}
                Some(rest) if starts_line => self.text(rest),
                _ => self.text(&text),
            }
            self.input_tag(tag);
        }
    }

    /// A tag of a narrative's HTML: `<br>` breaks the line; `<script>`, `<style>` and their
    /// ends hide and show the text.
    fn input_tag(&mut self, tag: &str) {
        if is_line_break(tag) {
            self.spans.push(Span {
                line_break: true,
                ..Span::default()
            });
        }
        let name = tag.trim_start_matches('<').to_ascii_lowercase();
        let Some(input) = self.input.as_mut() else {
            return;
        };
        for hidden in REMOVED_WITH_CONTENT {
            if name.starts_with(hidden) {
                input.hidden += 1;
            } else if name
                .strip_prefix('/')
                .is_some_and(|n| n.starts_with(hidden))
            {
                input.hidden = input.hidden.saturating_sub(1);
            }
        }
    }

    fn directive(&mut self, html: &str) {
        let directive = match comment_value(html, "").as_deref().map(str::trim) {
            Some("cover") => Directive::Cover,
            Some("/cover") => Directive::CoverEnd,
            Some("toc") => Directive::Toc,
            Some("pagebreak") => Directive::PageBreak,
            Some(other) if other.starts_with("narrative ") => return self.narrative(other),
            _ => return self.inline_html(html),
        };
        self.flush_paragraph();
        self.push(Block::Directive(directive));
    }

    /// The blocks of the narrative `reference` names, in place.
    fn narrative(&mut self, reference: &str) {
        let index = reference["narrative ".len()..].trim().parse::<usize>();
        let Some(narrative) = index.ok().and_then(|i| self.narratives.get(i)) else {
            return;
        };
        self.flush_paragraph();
        for block in parse_narrative(narrative) {
            self.push(block);
        }
    }

    /// Inline text gathered outside a paragraph (a tight list item) becomes a paragraph.
    fn flush_paragraph(&mut self) {
        if self.heading.is_some() || self.spans.is_empty() {
            return;
        }
        if matches!(self.frames.last(), Some(Frame::Table(..))) {
            return;
        }
        let spans = std::mem::take(&mut self.spans);
        self.push(Block::Paragraph(trim_spans(spans)));
    }

    fn push(&mut self, block: Block) {
        if let Some(Frame::Blocks(blocks)) = self.frames.last_mut() {
            blocks.push(block);
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush_paragraph();
        while self.frames.len() > 1 {
            self.frames.pop();
        }
        match self.frames.pop() {
            Some(Frame::Blocks(blocks)) => blocks,
            _ => Vec::new(),
        }
    }
}

/// `text` with each run of white space (a line break too) one space.
fn collapsed_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c.is_whitespace() {
            true if out.ends_with(' ') => {}
            true => out.push(' '),
            false => out.push(c),
        }
    }
    out
}

fn same_style(a: &Span, b: &Span) -> bool {
    a.bold == b.bold
        && a.italic == b.italic
        && a.strike == b.strike
        && a.link == b.link
        && !a.line_break
}

/// Whether `html` is `<br>`, `<br/>` or `<br />`.
fn is_line_break(html: &str) -> bool {
    let tag = html
        .trim()
        .strip_prefix("<br")
        .and_then(|t| t.strip_suffix('>'));
    tag.is_some_and(|rest| rest.trim() == "" || rest.trim() == "/")
}

fn trim_spans(mut spans: Vec<Span>) -> Vec<Span> {
    if let Some(last) = spans.last_mut() {
        last.text = last.text.trim_end().to_string();
    }
    spans
}

fn align(a: Alignment) -> Align {
    match a {
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
        Alignment::Left | Alignment::None => Align::Left,
    }
}

/// The text of an HTML comment `<!-- prefix... -->` after `prefix`.
fn comment_value(html: &str, prefix: &str) -> Option<String> {
    let inner = html
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    inner.strip_prefix(prefix).map(|v| v.trim().to_string())
}

/// The id of `<a id="...">` (or `name=`).
fn anchor_id(html: &str) -> Option<String> {
    let html = html.trim();
    if !html.starts_with("<a ") {
        return None;
    }
    let start = html.find("id=\"").map(|i| i + 4)?;
    let len = html[start..].find('"')?;
    Some(html[start..start + len].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_and_directives() {
        let md = "<!-- toc -->\n\n# One {#one}\n\nSome *it* and **b** [l](#x).\n\n\
                  ## Annex {.unnumbered}\n\n<!-- pagebreak -->\n";
        let blocks = parse(md, &[]);
        assert_eq!(blocks[0], Block::Directive(Directive::Toc));
        match &blocks[1] {
            Block::Heading {
                level,
                id,
                numbered,
                ..
            } => {
                assert_eq!((*level, id.as_deref(), *numbered), (1, Some("one"), true));
            }
            other => panic!("{other:?}"),
        }
        let Block::Paragraph(spans) = &blocks[2] else {
            panic!("{:?}", blocks[2])
        };
        assert!(spans.iter().any(|s| s.italic && s.text == "it"));
        assert!(spans.iter().any(|s| s.bold && s.text == "b"));
        assert!(spans.iter().any(|s| s.link.as_deref() == Some("#x")));
        assert!(matches!(
            &blocks[3],
            Block::Heading {
                numbered: false,
                ..
            }
        ));
        assert_eq!(blocks[4], Block::Directive(Directive::PageBreak));
    }

    #[test]
    fn tables_keep_escaped_pipes_shades_and_anchors() {
        let md = "| A | B |\n| --- | :-: |\n| <a id=\"r1\"></a>x \\| y | <!-- shade:3 -->7 |\n";
        let blocks = parse(md, &[]);
        let Block::Table(t) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(t.aligns, vec![Align::Left, Align::Center]);
        assert_eq!(t.head.len(), 2);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0][0].spans[0].anchor.as_deref(), Some("r1"));
        assert_eq!(t.rows[0][0].spans[1].text, "x | y");
        assert_eq!(
            (t.rows[0][1].shade, t.rows[0][1].spans[0].text.as_str()),
            (3, "7")
        );
    }

    #[test]
    fn a_br_breaks_the_line_in_a_cell_and_a_paragraph() {
        let blocks = parse(
            "| A |\n| --- |\n| one<br>*two*<br />three |\n\nfour<br/>five\n",
            &[],
        );
        let Block::Table(t) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        let cell: Vec<(&str, bool, bool)> = (t.rows[0][0].spans.iter())
            .map(|s| (s.text.as_str(), s.line_break, s.italic))
            .collect();
        assert_eq!(
            cell,
            [
                ("one", false, false),
                ("", true, false),
                ("two", false, true),
                ("", true, false),
                ("three", false, false)
            ]
        );
        let Block::Paragraph(spans) = &blocks[1] else {
            panic!("{blocks:?}")
        };
        assert_eq!(spans.iter().filter(|s| s.line_break).count(), 1);
        assert_eq!(spans.last().map(|s| s.text.as_str()), Some("five"));
    }

    #[test]
    fn tight_and_nested_lists() {
        let blocks = parse("- a\n- b\n  - c\n", &[]);
        let Block::List { items, .. } = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(items.len(), 2);
        assert!(matches!(&items[0][0], Block::Paragraph(s) if s[0].text == "a"));
        assert!(matches!(&items[1][1], Block::List { .. }));
    }

    #[test]
    fn a_narrative_is_parsed_on_its_own_in_its_place() {
        let narrative = Narrative {
            markdown: "# Head {#toc}\n\n<!-- pagebreak -->\n\n<div>\nBlock <b>text</b>\n</div>\n\n\
                       a<br>b <style>p{}</style> [x](javascript:y) [w](https://w.org)\n\n```\nopen"
                .to_string(),
            shift: 3,
        };
        let blocks = parse("# One\n\n<!-- narrative 0 -->\n\n## Two\n", &[narrative]);
        let heading = |b: &Block| match b {
            Block::Heading {
                level,
                id,
                numbered,
                spans,
            } => Some((*level, id.clone(), *numbered, spans[0].text.clone())),
            _ => None,
        };
        assert_eq!(heading(&blocks[1]), Some((4, None, false, "Head".into())));
        let Block::Paragraph(html_block) = &blocks[2] else {
            panic!("{blocks:?}")
        };
        assert_eq!(html_block[0].text, "Block text");
        let Block::Paragraph(spans) = &blocks[3] else {
            panic!("{blocks:?}")
        };
        let shown: Vec<(&str, Option<&str>)> = (spans.iter())
            .map(|s| (s.text.as_str(), s.link.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [
                ("a", None),
                ("", None),
                ("b x ", None),
                ("w", Some("https://w.org"))
            ]
        );
        assert_eq!(blocks[4], Block::Code("open".into()));
        assert_eq!(heading(&blocks[5]), Some((2, None, true, "Two".into())));
        assert_eq!(blocks.len(), 6, "{blocks:?}");
    }
}
