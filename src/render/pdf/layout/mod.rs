//! Pagination: the blocks flowed down A4 pages as positioned drawing instructions. Headings are
//! numbered and kept with the block that follows; paragraphs break between lines; the cover page
//! is laid out here, the table of contents in [`contents`] (page numbers from a first pass), the
//! running header and footer in [`furniture`], tables in [`super::table`].

use std::collections::{BTreeMap, HashMap};

use super::blocks::{Block, Directive, Span, Table};
use super::fonts::Fonts;
use super::style::{self, PageSetup, Rgb, TextStyle, BODY};
use super::table::{wrap_tables, TableKey, Wrapped};
use super::wrap::{wrap, Line};

mod contents;
mod furniture;
mod structure;

use contents::{fill_page_numbers, TocSlot};
use furniture::decorate;
use structure::Tagging;
pub use structure::{Node, Role, Structure};

/// Space between a list marker and its item.
const MARKER_GAP: f32 = 4.0;
/// A table's caption (above it, centred), and the space between them.
const CAPTION: TextStyle = TextStyle {
    family: super::fonts::Family::Sans,
    ..BODY
};
const CAPTION_GAP: f32 = 3.0;
/// How far above the baseline a strike goes, and how thick it is, in ems: the middle of
/// DejaVu's lower-case letters (x-height 0.55 em), a little thicker than a hairline.
const STRIKE_HEIGHT: f32 = 0.28;
const STRIKE_WIDTH: f32 = 0.06;

/// One drawing instruction; coordinates are points from the page's top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub enum Draw {
    /// Text on a baseline.
    Text {
        /// Left end.
        x: f32,
        /// Baseline.
        y: f32,
        /// Width (measured).
        width: f32,
        /// The run's text, face, size and colour.
        text: String,
        /// Face.
        font: super::fonts::FontKey,
        /// Size.
        size: f32,
        /// Colour.
        color: Rgb,
        /// The structure node it belongs to; none for an artifact (set by the engine).
        node: Option<usize>,
    },
    /// A filled rectangle.
    Fill {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Colour.
        color: Rgb,
    },
    /// A straight line.
    Rule {
        /// Start.
        x1: f32,
        /// Start.
        y1: f32,
        /// End.
        x2: f32,
        /// End.
        y2: f32,
        /// Thickness.
        width: f32,
        /// Colour.
        color: Rgb,
    },
    /// A clickable area.
    Link {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// `#anchor` or a URL.
        target: String,
        /// The structure node (a link) its annotation belongs to (set by the engine).
        node: Option<usize>,
    },
}

/// A heading as it appears in the contents and the outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Clause number, e.g. `4.2`; none for unnumbered headings.
    pub number: Option<String>,
    /// Its text.
    pub title: String,
    /// Its link target.
    pub anchor: String,
    /// Page index (0-based) and top, once laid out.
    pub at: (usize, f32),
}

impl Heading {
    /// Number and title, as printed (an en space between them, as in the heading).
    pub fn label(&self) -> String {
        match &self.number {
            Some(n) => format!("{n}\u{2002}{}", self.title),
            None => self.title.clone(),
        }
    }
}

/// The laid-out document.
#[derive(Debug, Default)]
pub struct Document {
    /// Every page's drawing instructions.
    pub pages: Vec<Vec<Draw>>,
    /// Link targets: page index and top.
    pub anchors: BTreeMap<String, (usize, f32)>,
    /// Headings in order (cover excluded).
    pub headings: Vec<Heading>,
    /// Whether the first page is a cover (no running header or footer).
    pub has_cover: bool,
    /// The logical structure that the text and links belong to.
    pub structure: Structure,
}

/// What the layout needs besides the blocks.
pub struct LayoutOptions<'a> {
    /// The page.
    pub page: PageSetup,
    /// The fonts.
    pub fonts: &'a Fonts,
    /// Running header: left (document number) and right (title).
    pub header: (String, String),
    /// The deepest heading level listed in the contents.
    pub toc_depth: u8,
}

/// A horizontal band of the page that blocks flow into.
#[derive(Debug, Clone, Copy)]
pub(super) struct Area {
    pub x: f32,
    pub width: f32,
    /// Space after a paragraph.
    pub gap: f32,
}

/// Lays `blocks` out on pages. The table of contents is laid out with room for its page
/// numbers, which are filled in once the headings have their pages (nothing moves).
pub fn layout(blocks: &[Block], options: &LayoutOptions) -> Document {
    let area = Area {
        x: options.page.margin_x,
        width: options.page.body_width(),
        gap: style::BLOCK_GAP,
    };
    let wrapped = wrap_tables(blocks, area.width, options.fonts);
    let mut engine = Engine::new(options, outline(blocks), wrapped);
    engine.blocks(blocks, area);
    let slots = std::mem::take(&mut engine.toc_slots);
    let mut doc = engine.doc;
    fill_page_numbers(&mut doc, &slots, options.fonts);
    decorate(&mut doc, options);
    doc
}

/// The headings outside the cover, numbered.
fn outline(blocks: &[Block]) -> Vec<Heading> {
    let mut numbers = [0u32; 6];
    let mut in_cover = false;
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Directive(Directive::Cover) => in_cover = true,
            Block::Directive(Directive::CoverEnd) => in_cover = false,
            Block::Heading {
                level,
                spans,
                id,
                numbered,
            } if !in_cover => {
                let l = usize::from((*level).clamp(1, 6)) - 1;
                let number = numbered.then(|| {
                    numbers[l] += 1;
                    numbers[l + 1..].iter_mut().for_each(|n| *n = 0);
                    let parts: Vec<String> = numbers[..=l].iter().map(|n| n.to_string()).collect();
                    parts.join(".")
                });
                out.push(Heading {
                    level: *level,
                    number,
                    title: plain_text(spans),
                    anchor: id
                        .clone()
                        .unwrap_or_else(|| format!("sec-{}", out.len() + 1)),
                    at: (0, 0.0),
                });
            }
            _ => {}
        }
    }
    out
}

/// The text of spans without styles.
pub fn plain_text(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// The pagination state.
pub(super) struct Engine<'a> {
    pub options: &'a LayoutOptions<'a>,
    pub doc: Document,
    pub y: f32,
    in_cover: bool,
    known: Vec<Heading>,
    next_heading: usize,
    toc_slots: Vec<TocSlot>,
    /// Column widths of the tables measured so far, by table address and area width: a table's
    /// lead is measured before it is laid out (kept with its heading), and measuring every cell
    /// is the costly part.
    pub column_widths: std::cell::RefCell<HashMap<TableKey, Vec<f32>>>,
    /// The top-level tables, fitted and wrapped before the pagination (on every core).
    pub wrapped: HashMap<TableKey, Wrapped>,
    /// The tables too wide for their area, as the tables of some of their columns each.
    pub split: std::cell::RefCell<HashMap<TableKey, Option<std::rc::Rc<Vec<Table>>>>>,
    /// Where drawn text goes in the structure.
    tagging: Tagging,
}

impl<'a> Engine<'a> {
    fn new(
        options: &'a LayoutOptions<'a>,
        known: Vec<Heading>,
        wrapped: HashMap<TableKey, Wrapped>,
    ) -> Engine<'a> {
        Engine {
            options,
            doc: Document {
                pages: vec![Vec::new()],
                ..Document::default()
            },
            y: options.page.top,
            in_cover: false,
            known,
            next_heading: 0,
            toc_slots: Vec::new(),
            column_widths: Default::default(),
            wrapped,
            split: Default::default(),
            tagging: Tagging::default(),
        }
    }

    pub fn fonts(&self) -> &'a Fonts {
        self.options.fonts
    }

    pub fn bottom(&self) -> f32 {
        self.options.page.bottom
    }

    pub fn fresh(&self) -> bool {
        self.y <= self.options.page.top + 0.01
    }

    pub fn new_page(&mut self) {
        self.doc.pages.push(Vec::new());
        self.y = self.options.page.top;
    }

    /// Starts a new page unless `height` fits below the cursor (or the page is still empty).
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom() + 0.01 && !self.fresh() {
            self.new_page();
        }
    }

    pub fn draw(&mut self, draw: Draw) {
        let draw = self.tagged(draw);
        let page = self.doc.pages.len() - 1;
        self.doc.pages[page].push(draw);
    }

    pub fn anchor(&mut self, name: &str, y: f32) {
        let page = self.doc.pages.len() - 1;
        self.doc
            .anchors
            .entry(name.to_string())
            .or_insert((page, y));
    }

    pub(super) fn blocks(&mut self, blocks: &[Block], area: Area) {
        for (i, block) in blocks.iter().enumerate() {
            let next = blocks.get(i + 1);
            match block {
                Block::Heading { level, spans, .. } => {
                    let level = if self.in_cover { 1 } else { *level };
                    self.within(Role::Heading(level), |e| {
                        e.heading(level, spans, area, &blocks[i + 1..])
                    });
                }
                Block::Paragraph(spans) if !self.in_cover && is_caption(spans, next) => {
                    let table = self.table_for_caption();
                    self.inside(table, |e| {
                        e.within(Role::Caption, |e| e.paragraph(spans, area, next))
                    });
                }
                Block::Paragraph(spans) => {
                    self.within(Role::Paragraph, |e| e.paragraph(spans, area, next))
                }
                Block::List { start, items } => self.list(*start, items, area),
                Block::Table(table) => {
                    let node = self.table_node();
                    self.inside(node, |e| e.table(table, area));
                }
                Block::Code(code) => self.within(Role::Paragraph, |e| e.code(code, area)),
                Block::Quote(inner) => {
                    let quote = Area {
                        x: area.x + style::LIST_INDENT,
                        width: area.width - style::LIST_INDENT,
                        ..area
                    };
                    self.within(Role::Quote, |e| e.blocks(inner, quote));
                }
                Block::Rule => self.rule(area),
                Block::Directive(d) => self.directive(*d, area),
            }
        }
    }

    fn directive(&mut self, directive: Directive, area: Area) {
        match directive {
            Directive::Cover => {
                self.in_cover = true;
                self.doc.has_cover = self.doc.pages.len() == 1;
                let top = self.options.page.top;
                self.bar(area, top, 3.0);
                self.y = top + 150.0;
            }
            Directive::CoverEnd => {
                self.in_cover = false;
                let y = self.bottom() - 40.0;
                self.bar(area, y, 0.8);
                self.new_page();
            }
            Directive::Toc => self.toc(area),
            Directive::PageBreak => {
                if !self.fresh() {
                    self.new_page();
                }
            }
        }
    }

    /// A rule through each stretch of struck runs of `line` (the space after it left out) at the
    /// middle of the lower-case letters, in the text's colour, as a browser strikes
    /// `~~deleted words~~`.
    fn strike(&mut self, line: &Line, x: f32, baseline: f32) {
        let runs = &line.runs;
        let mut i = 0;
        while i < runs.len() {
            if !runs[i].strike {
                i += 1;
                continue;
            }
            let first = &runs[i];
            while i + 1 < runs.len() && runs[i + 1].strike {
                i += 1;
            }
            let last = &runs[i];
            let y = baseline - first.size * STRIKE_HEIGHT;
            self.draw(Draw::Rule {
                x1: x + first.x,
                y1: y,
                x2: x + last.x + last.width - last.trailing,
                y2: y,
                width: first.size * STRIKE_WIDTH,
                color: first.color,
            });
            i += 1;
        }
    }

    fn bar(&mut self, area: Area, y: f32, width: f32) {
        self.draw(Draw::Rule {
            x1: area.x,
            y1: y,
            x2: area.x + area.width,
            y2: y,
            width,
            color: style::ACCENT,
        });
    }

    /// Draws `line` with its top at the cursor, `dx` from the area's left, and moves down.
    pub fn line(&mut self, line: &Line, x: f32, text: &TextStyle) {
        let top = self.y;
        let baseline = top + (text.leading + text.size * 0.72) / 2.0;
        for name in &line.anchors {
            self.anchor(name, top);
        }
        self.strike(line, x, baseline);
        for run in &line.runs {
            match &run.link {
                Some(target) => self.open_link(target),
                None if run.text.trim().is_empty() => {}
                None => self.end_of_link(),
            }
            self.draw(Draw::Text {
                x: x + run.x,
                y: baseline,
                width: run.width,
                text: run.text.clone(),
                font: run.font,
                size: run.size,
                color: run.color,
                node: None,
            });
            if let Some(target) = &run.link {
                self.draw(Draw::Link {
                    x: x + run.x,
                    y: top,
                    w: run.width,
                    h: text.leading,
                    target: target.clone(),
                    node: None,
                });
                self.close();
            }
        }
        self.y += text.leading;
    }

    /// A heading, kept on a page with the start of `rest`, the blocks after it.
    fn heading(&mut self, level: u8, spans: &[Span], area: Area, rest: &[Block]) {
        if self.in_cover {
            let title = TextStyle {
                size: 22.0,
                leading: 28.0,
                ..style::heading(1)
            };
            return self.centered(spans, &title, area, 14.0);
        }
        let Some(known) = self.known.get(self.next_heading).cloned() else {
            return;
        };
        self.next_heading += 1;
        let text = style::heading(level);
        let mut label = Vec::with_capacity(spans.len() + 1);
        if let Some(n) = &known.number {
            label.push(Span {
                text: format!("{n}\u{2002}"),
                ..Span::default()
            });
        }
        label.extend(spans.iter().cloned());
        let lines = wrap(&label, &text, area.width, self.fonts());
        if !self.fresh() {
            self.y += style::heading_space_before(level);
        }
        let height = lines.len() as f32 * text.leading + style::HEADING_GAP;
        self.ensure(height + self.heading_lead(rest, area));
        self.anchor(&known.anchor, self.y);
        let mut laid = known;
        laid.at = (self.doc.pages.len() - 1, self.y);
        self.doc.headings.push(laid);
        for l in &lines {
            self.line(l, area.x, &text);
        }
        self.y += style::HEADING_GAP;
    }

    /// The height that must fit with a heading: the start of the blocks after it, `rest`; when
    /// they start with another heading, that heading and the start of what follows it (a
    /// clause heading is not left alone at the foot of a page above its first subclause), and
    /// when with a table's caption, the caption and the table's header and first row.
    fn heading_lead(&self, rest: &[Block], area: Area) -> f32 {
        match rest {
            [Block::Heading { level, .. }, after @ ..] => {
                let h = style::heading(*level);
                style::heading_space_before(*level)
                    + h.leading
                    + style::HEADING_GAP
                    + self.heading_lead(after, area)
            }
            [Block::Paragraph(spans), after @ ..] if is_caption(spans, after.first()) => {
                let lines = wrap(spans, &CAPTION, area.width, self.fonts()).len();
                lines as f32 * CAPTION.leading + CAPTION_GAP + self.lead(after.first(), area)
            }
            _ => self.lead(rest.first(), area),
        }
    }

    /// The height that must fit with a heading or caption: the start of the next block.
    fn lead(&self, next: Option<&Block>, area: Area) -> f32 {
        match next {
            Some(Block::Paragraph(spans)) => {
                let lines = wrap(spans, &BODY, area.width, self.fonts()).len().min(2);
                lines as f32 * BODY.leading
            }
            Some(Block::List { .. }) | Some(Block::Code(_)) | Some(Block::Quote(_)) => {
                2.0 * BODY.leading
            }
            Some(Block::Table(t)) => self.table_lead(t, area),
            Some(Block::Heading { level, .. }) => {
                let h = style::heading(*level);
                style::heading_space_before(*level) + h.leading + 2.0 * BODY.leading
            }
            _ => 0.0,
        }
    }

    fn paragraph(&mut self, spans: &[Span], area: Area, next: Option<&Block>) {
        if self.in_cover {
            let text = TextStyle {
                family: super::fonts::Family::Sans,
                size: 12.0,
                leading: 16.0,
                ..BODY
            };
            return self.centered(spans, &text, area, 8.0);
        }
        if is_caption(spans, next) {
            let lines = wrap(spans, &CAPTION, area.width, self.fonts());
            let height = lines.len() as f32 * CAPTION.leading + CAPTION_GAP;
            self.ensure(height + self.lead(next, area));
            for l in &lines {
                self.line(l, area.x + (area.width - l.width) / 2.0, &CAPTION);
            }
            self.y += CAPTION_GAP;
            return;
        }
        let lines = wrap(spans, &BODY, area.width, self.fonts());
        self.ensure(lines.len().min(2) as f32 * BODY.leading);
        // A lead-in ("... as follows:") keeps its last line with the start of its list.
        let lead_in = is_lead_in(spans, next).then(|| area.gap + self.lead(next, area));
        for (i, l) in lines.iter().enumerate() {
            match lead_in {
                Some(lead) if i + 1 == lines.len() => self.ensure(BODY.leading + lead),
                _ => self.ensure(BODY.leading),
            }
            self.line(l, area.x, &BODY);
        }
        self.y += area.gap;
    }

    fn centered(&mut self, spans: &[Span], text: &TextStyle, area: Area, gap: f32) {
        for l in &wrap(spans, text, area.width, self.fonts()) {
            self.line(l, area.x + (area.width - l.width) / 2.0, text);
        }
        self.y += gap;
    }

    fn list(&mut self, start: Option<u64>, items: &[Vec<Block>], area: Area) {
        let markers: Vec<Vec<Line>> = (0..items.len() as u64)
            .map(|i| {
                let text = match start {
                    Some(n) => format!("{}.", n + i),
                    None => "\u{2022}".to_string(),
                };
                let span = Span {
                    text,
                    ..Span::default()
                };
                wrap(&[span], &BODY, area.width, self.fonts())
            })
            .collect();
        // The usual indent, or more when a marker ("10.", "100.") would stick out to the left.
        let widest = markers
            .iter()
            .flatten()
            .map(|l| l.width)
            .fold(0.0, f32::max);
        let indent = style::LIST_INDENT.max(widest + MARKER_GAP);
        let inner = Area {
            x: area.x + indent,
            width: area.width - indent,
            gap: 2.5,
        };
        self.begin(Role::List);
        for (item, marker) in items.iter().zip(&markers) {
            self.ensure(self.lead(item.first(), inner).max(BODY.leading));
            self.begin(Role::ListItem);
            let y = self.y;
            if let Some(l) = marker.first() {
                self.within(Role::Label, |e| {
                    e.line(l, inner.x - l.width - MARKER_GAP, &BODY)
                });
            }
            self.y = y;
            self.within(Role::ListBody, |e| e.blocks(item, inner));
            self.close();
        }
        self.close();
        self.y += area.gap;
    }

    fn code(&mut self, code: &str, area: Area) {
        for text in code.lines() {
            let span = Span {
                text: text.to_string(),
                ..Span::default()
            };
            for l in &wrap(&[span], &style::CELL, area.width - 8.0, self.fonts()) {
                self.ensure(style::CELL.leading);
                self.line(l, area.x + 8.0, &style::CELL);
            }
        }
        self.y += area.gap;
    }

    fn rule(&mut self, area: Area) {
        self.ensure(8.0);
        self.y += 4.0;
        let y = self.y;
        self.draw(Draw::Rule {
            x1: area.x,
            y1: y,
            x2: area.x + area.width,
            y2: y,
            width: 0.5,
            color: style::RULE,
        });
        self.y += 4.0 + area.gap;
    }
}

/// A span of plain text.
pub(super) fn plain(text: &str) -> Span {
    Span {
        text: text.to_string(),
        ..Span::default()
    }
}

/// A paragraph all in bold just before a table is the table's caption.
/// Whether a paragraph of `spans` introduces the list `next` (it ends with a colon).
fn is_lead_in(spans: &[Span], next: Option<&Block>) -> bool {
    matches!(next, Some(Block::List { .. }))
        && spans
            .iter()
            .rev()
            .find(|s| !s.text.trim().is_empty())
            .is_some_and(|s| s.text.trim_end().ends_with(':'))
}

fn is_caption(spans: &[Span], next: Option<&Block>) -> bool {
    matches!(next, Some(Block::Table(_)))
        && !spans.is_empty()
        && spans.iter().all(|s| s.bold || s.text.trim().is_empty())
}

#[cfg(test)]
mod tests;
