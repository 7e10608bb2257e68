//! The table of contents: entries with dot leaders and page numbers (filled in once every heading's
//! page is known), each a link to its heading.

use super::*;

/// A page number of the contents still to print: where, and for which heading.
#[derive(Debug, Clone, Copy)]
pub(super) struct TocSlot {
    pub(super) page: usize,
    pub(super) draw: usize,
    pub(super) heading: usize,
    pub(super) right: f32,
}

pub(super) fn fill_page_numbers(doc: &mut Document, slots: &[TocSlot], fonts: &Fonts) {
    for slot in slots {
        let Some(heading) = doc.headings.get(slot.heading) else {
            continue;
        };
        let number = (heading.at.0 + 1).to_string();
        if let Some(Draw::Text {
            x,
            width,
            text,
            font,
            size,
            ..
        }) = doc.pages[slot.page].get_mut(slot.draw)
        {
            *width = fonts.width(&number, *font, *size);
            *x = slot.right - *width;
            *text = number;
        }
    }
}

impl Engine<'_> {
    /// The table of contents: numbered entries with dot leaders and page numbers, each a link.
    pub(super) fn toc(&mut self, area: Area) {
        let title = style::heading(1);
        let lines = wrap(&[plain("Contents")], &title, area.width, self.fonts());
        self.anchor("contents", self.y);
        self.within(Role::Heading(1), |e| {
            for l in &lines {
                e.line(l, area.x, &title);
            }
        });
        self.y += 2.0 * style::HEADING_GAP;
        let depth = self.options.toc_depth;
        let entries: Vec<(usize, Heading)> = (self.known.iter().cloned().enumerate())
            .filter(|(_, h)| h.level <= depth)
            .collect();
        self.within(Role::Contents, |e| {
            for (index, entry) in &entries {
                e.within(Role::ContentsEntry, |e| {
                    e.within(Role::Link, |e| e.toc_entry(*index, entry, area))
                });
            }
        });
        self.y += area.gap;
    }

    fn toc_entry(&mut self, index: usize, entry: &Heading, area: Area) {
        let text = TextStyle {
            bold: entry.level == 1,
            ..BODY
        };
        let indent = f32::from(entry.level.saturating_sub(1)) * 18.0;
        let number_width = 34.0;
        let lines = wrap(
            &[plain(&entry.label())],
            &text,
            area.width - indent - number_width,
            self.fonts(),
        );
        if entry.level == 1 {
            self.y += 3.0;
        }
        self.ensure(lines.len() as f32 * text.leading);
        let top = self.y;
        for l in &lines {
            self.line(l, area.x + indent, &text);
        }
        let last = lines.last().map(|l| l.width).unwrap_or(0.0);
        self.y -= text.leading;
        self.leaders_and_page(area, indent + last, index, &text);
        self.y += text.leading;
        self.draw(Draw::Link {
            x: area.x + indent,
            y: top,
            w: area.width - indent,
            h: self.y - top,
            target: format!("#{}", entry.anchor),
            node: None,
        });
    }

    /// Dot leaders from `from` (relative to the area) to the right-aligned page number of
    /// heading `index` (a slot filled in after the layout).
    fn leaders_and_page(&mut self, area: Area, from: f32, index: usize, text: &TextStyle) {
        let fonts = self.fonts();
        let font = text.font(false, false);
        let page_width = fonts.width("999", font, text.size);
        let dot = fonts.width(" .", font, text.size);
        let room = area.width - from - page_width - 3.0;
        let count = (room / dot).floor().max(0.0) as usize;
        let baseline = self.y + (text.leading + text.size * 0.72) / 2.0;
        let leaders = " .".repeat(count);
        let leaders_width = fonts.width(&leaders, font, text.size);
        let right = area.x + area.width;
        let run = |x: f32, shown: String, width: f32| Draw::Text {
            x,
            y: baseline,
            width,
            text: shown,
            font,
            size: text.size,
            color: style::MUTED,
            node: None,
        };
        let leaders = run(
            right - page_width - 3.0 - leaders_width,
            leaders,
            leaders_width,
        );
        self.as_artifact(|e| e.draw(leaders));
        self.draw(run(right, String::new(), 0.0));
        let page = self.doc.pages.len() - 1;
        self.toc_slots.push(TocSlot {
            page,
            draw: self.doc.pages[page].len() - 1,
            heading: index,
            right,
        });
    }
}
