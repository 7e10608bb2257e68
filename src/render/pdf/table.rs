//! Tables: column widths fitted to the content and the page width, wrapped cells, rows moved
//! whole to the next page (a row taller than a page is split between lines), the header row
//! repeated on every page the table spans, shaded cells.

use std::collections::HashMap;
use std::ops::Range;

use super::blocks::{Align, Block, Cell, Table};
use super::fonts::Fonts;

use super::layout::{Area, Draw, Engine, Role};
use super::style::{self, TextStyle, CELL, CELL_PAD_X, CELL_PAD_Y, HEAD};
use super::wrap::{measure, wrap, Line};
use crate::parallel::map_balanced;

/// The widest a column's unbreakable minimum may claim, as a share of the table width (longer
/// words are cut).
const MAX_MIN_SHARE: f32 = 0.3;

/// Column widths summing to `width`: each column gets at least its longest word and, as room
/// allows, up to its text on one line; spare room is shared in proportion to content.
pub fn column_widths(table: &Table, width: f32, fonts: &Fonts) -> Vec<f32> {
    let (min, max) = column_extents(table, width, fonts);
    if min.is_empty() {
        return Vec::new();
    }
    distribute(&min, &max, width)
}

/// Each column's unbreakable width (its longest word, at most a share of `width`) and its
/// width on one line, padding included.
fn column_extents(table: &Table, width: f32, fonts: &Fonts) -> (Vec<f32>, Vec<f32>) {
    let columns = table
        .rows
        .iter()
        .map(Vec::len)
        .chain([table.head.len()])
        .max()
        .unwrap_or(0);
    let mut min = vec![0.0f32; columns];
    let mut max = vec![0.0f32; columns];
    let mut add = |column: usize, cell: &Cell, text: &TextStyle| {
        let (lo, hi) = measure(&cell.spans, text, fonts);
        let pad = 2.0 * CELL_PAD_X;
        min[column] = min[column].max((lo + pad).min(width * MAX_MIN_SHARE));
        max[column] = max[column].max(hi + pad);
    };
    for (c, cell) in table.head.iter().enumerate() {
        add(c, cell, &HEAD);
    }
    for row in &table.rows {
        for (c, cell) in row.iter().enumerate() {
            add(c, cell, &CELL);
        }
    }
    (min, max)
}

/// The columns of each part a table is laid out in: all in one when their unbreakable widths
/// fit `width`; else as many as fit in each part, the first column (what each row is about)
/// repeated in every part, so that no number or word is cut to fit (a coverage matrix of many
/// organisations).
fn column_parts(min: &[f32], width: f32) -> Vec<Vec<usize>> {
    let all: Vec<usize> = (0..min.len()).collect();
    if min.len() < 3 || min.iter().sum::<f32>() <= width {
        return vec![all];
    }
    let mut parts = Vec::new();
    let mut part = vec![0];
    let mut used = min[0];
    for c in 1..min.len() {
        if part.len() > 1 && used + min[c] > width {
            parts.push(std::mem::replace(&mut part, vec![0]));
            used = min[0];
        }
        part.push(c);
        used += min[c];
    }
    parts.push(part);
    parts
}

impl Table {
    /// The table of `columns` of this one.
    fn columns(&self, columns: &[usize]) -> Table {
        let pick = |cells: &[Cell]| -> Vec<Cell> {
            (columns.iter())
                .map(|&c| cells.get(c).cloned().unwrap_or_default())
                .collect()
        };
        Table {
            aligns: (columns.iter())
                .map(|&c| self.aligns.get(c).copied().unwrap_or(Align::Left))
                .collect(),
            head: pick(&self.head),
            rows: self.rows.iter().map(|r| pick(r)).collect(),
        }
    }

    /// The tables this one is laid out as, `width` wide (see [`column_parts`]); none when it
    /// fits whole.
    pub(super) fn parts(&self, width: f32, fonts: &Fonts) -> Option<Vec<Table>> {
        let (min, _) = column_extents(self, width, fonts);
        let parts = column_parts(&min, width);
        (parts.len() > 1).then(|| parts.iter().map(|p| self.columns(p)).collect())
    }
}

/// Widths between the minimums and the one-line widths: with room for every one-line width,
/// spare room is shared in proportion to them; otherwise each column gets the same share `k` of
/// its one-line width, but never less than its minimum (`k` found by bisection).
fn distribute(min: &[f32], max: &[f32], width: f32) -> Vec<f32> {
    let (sum_min, sum_max): (f32, f32) = (min.iter().sum(), max.iter().sum());
    if sum_max <= width {
        let spare = width - sum_max;
        return max
            .iter()
            .map(|m| m + spare * m / sum_max.max(1.0))
            .collect();
    }
    if sum_min >= width {
        return min.iter().map(|m| m * width / sum_min).collect();
    }
    let at = |k: f32| -> Vec<f32> { min.iter().zip(max).map(|(lo, hi)| lo.max(hi * k)).collect() };
    let (mut lo, mut hi) = (0.0f32, 1.0f32);
    for _ in 0..40 {
        let k = (lo + hi) / 2.0;
        if at(k).iter().sum::<f32>() > width {
            hi = k;
        } else {
            lo = k;
        }
    }
    let mut widths = at(lo);
    let slack = width - widths.iter().sum::<f32>();
    if let Some(widest) = widths.iter_mut().max_by(|a, b| a.total_cmp(b)) {
        *widest += slack;
    }
    widths
}

/// A row's cells broken into lines.
#[derive(Clone)]
struct Row<'t> {
    cells: &'t [Cell],
    lines: Vec<Vec<Line>>,
    text: &'static TextStyle,
    header: bool,
    /// The structure's cell of each column; none for a header repeated on a new page (an
    /// artifact, read once where the table starts).
    nodes: Vec<usize>,
}

impl Row<'_> {
    fn line_count(&self) -> usize {
        self.lines.iter().map(Vec::len).max().unwrap_or(0).max(1)
    }

    fn height(&self) -> f32 {
        self.line_count() as f32 * self.text.leading + 2.0 * CELL_PAD_Y
    }
}

/// The text style of a header row or of a body row.
fn row_style(header: bool) -> &'static TextStyle {
    if header {
        &HEAD
    } else {
        &CELL
    }
}

/// The lines of each of `cells` in columns `widths` wide.
fn cell_lines(cells: &[Cell], widths: &[f32], header: bool, fonts: &Fonts) -> Vec<Vec<Line>> {
    let text = row_style(header);
    cells
        .iter()
        .zip(widths)
        .map(|(cell, w)| wrap(&cell.spans, text, w - 2.0 * CELL_PAD_X, fonts))
        .collect()
}

fn row<'t>(cells: &'t [Cell], lines: Vec<Vec<Line>>, header: bool) -> Row<'t> {
    Row {
        cells,
        lines,
        text: row_style(header),
        header,
        nodes: Vec::new(),
    }
}

/// Which table, laid out how wide: its address and the area's width.
pub(super) type TableKey = (usize, u32);

fn table_key(table: &Table, width: f32) -> TableKey {
    (std::ptr::from_ref(table) as usize, width.to_bits())
}

/// A table's column widths and the lines of every cell, made before the pagination.
pub(super) struct Wrapped {
    widths: Vec<f32>,
    /// The header row's cells' lines, then each body row's.
    rows: Vec<Vec<Vec<Line>>>,
}

/// Fits and wraps the tables among `blocks` `width` wide, on every core: wrapping cells is most
/// of a report's layout, and unlike the pagination it does not depend on what came before.
/// Tables inside lists and quotes, laid out narrower, are left to the pagination.
pub(super) fn wrap_tables(
    blocks: &[Block],
    width: f32,
    fonts: &Fonts,
) -> HashMap<TableKey, Wrapped> {
    let tables: Vec<&Table> = (blocks.iter())
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    let extents = map_balanced(&tables, || (), |(), t| column_extents(t, width, fonts));
    // A table laid out in parts (too many columns) is left to the pagination.
    let (tables, widths): (Vec<&Table>, Vec<Vec<f32>>) = (tables.into_iter().zip(extents))
        .filter(|(_, (min, _))| column_parts(min, width).len() == 1)
        .map(|(t, (min, max))| {
            let widths = match min.is_empty() {
                true => Vec::new(),
                false => distribute(&min, &max, width),
            };
            (t, widths)
        })
        .unzip();
    let rows: Vec<(usize, usize)> = (tables.iter().enumerate())
        .flat_map(|(t, table)| (0..=table.rows.len()).map(move |r| (t, r)))
        .collect();
    let mut lines = map_balanced(
        &rows,
        || (),
        |(), &(t, r)| match r {
            0 => cell_lines(&tables[t].head, &widths[t], true, fonts),
            _ => cell_lines(&tables[t].rows[r - 1], &widths[t], false, fonts),
        },
    )
    .into_iter();
    (tables.iter().zip(widths))
        .map(|(table, widths)| {
            let rows = lines.by_ref().take(table.rows.len() + 1).collect();
            (table_key(table, width), Wrapped { widths, rows })
        })
        .collect()
}

impl Engine<'_> {
    /// The column widths of `table` in `area`, measured once per table.
    fn widths(&self, table: &Table, area: Area) -> Vec<f32> {
        let key = table_key(table, area.width);
        if let Some(wrapped) = self.wrapped.get(&key) {
            return wrapped.widths.clone();
        }
        self.column_widths
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| column_widths(table, area.width, self.fonts()))
            .clone()
    }

    /// The lines of the cells of `table`'s row `index` (0 the header row, then the body rows):
    /// wrapped before the pagination, else now.
    fn row_lines(&self, table: &Table, area: Area, widths: &[f32], index: usize) -> Vec<Vec<Line>> {
        let key = table_key(table, area.width);
        if let Some(lines) = self.wrapped.get(&key).and_then(|w| w.rows.get(index)) {
            return lines.clone();
        }
        match index {
            0 => cell_lines(&table.head, widths, true, self.fonts()),
            _ => cell_lines(&table.rows[index - 1], widths, false, self.fonts()),
        }
    }

    /// The lines of the cells of every row of `table`, the header row's first: those wrapped
    /// before the pagination (taken, as a table is laid out once), else wrapped now.
    fn all_row_lines(&mut self, table: &Table, area: Area, widths: &[f32]) -> Vec<Vec<Vec<Line>>> {
        match self.wrapped.remove(&table_key(table, area.width)) {
            Some(wrapped) => wrapped.rows,
            None => (0..=table.rows.len())
                .map(|r| self.row_lines(table, area, widths, r))
                .collect(),
        }
    }

    /// The height of a table's header and first row (kept with a heading or caption): the whole
    /// row, which [`Self::flow_row`] moves whole to a new page if it fits there (so the header must
    /// go with it), or its first four lines, of a row taller than a page (which is split anyway).
    pub(super) fn table_lead(&self, table: &Table, area: Area) -> f32 {
        if let Some(parts) = self.split_tables(table, area) {
            return self.table_lead(&parts[0], area);
        }
        let widths = self.widths(table, area);
        let head = row(&table.head, self.row_lines(table, area, &widths, 0), true).height();
        let first = table
            .rows
            .first()
            .map(|r| row(r, self.row_lines(table, area, &widths, 1), false).height())
            .unwrap_or(0.0);
        let page = self.options.page;
        let fits_a_page = first <= page.bottom - page.top - head;
        head + if fits_a_page {
            first
        } else {
            first.min(4.0 * CELL.leading)
        }
    }

    /// Lays out a table.
    pub(super) fn table(&mut self, table: &Table, area: Area) {
        let Some(parts) = self.split_tables(table, area) else {
            return self.whole_table(table, area);
        };
        for part in parts.iter() {
            self.whole_table(part, area);
        }
    }

    /// The parts `table` is laid out as in `area`, made once (they are laid out, and their lead
    /// measured, by address); none when it fits whole.
    fn split_tables(&self, table: &Table, area: Area) -> Option<std::rc::Rc<Vec<Table>>> {
        let key = table_key(table, area.width);
        if self.wrapped.contains_key(&key) {
            return None;
        }
        (self.split.borrow_mut().entry(key))
            .or_insert_with(|| table.parts(area.width, self.fonts()).map(std::rc::Rc::new))
            .clone()
    }

    /// Lays out a table whose columns fit the area.
    fn whole_table(&mut self, table: &Table, area: Area) {
        let widths = self.widths(table, area);
        self.ensure(self.table_lead(table, area));
        let mut lines = self.all_row_lines(table, area, &widths).into_iter();
        let mut head = row(&table.head, lines.next().unwrap_or_default(), true);
        let repeated = head.clone();
        let mut top = self.y;
        head.nodes = self.row_nodes(widths.len(), Role::HeaderCell);
        self.table_row(&head, &widths, &table.aligns, area, 0..head.line_count());
        for (cells, lines) in table.rows.iter().zip(lines) {
            let mut body = row(cells, lines, false);
            body.nodes = self.row_nodes(widths.len(), Role::Cell);
            top = self.flow_row(&body, &repeated, &widths, &table.aligns, area, top);
        }
        self.column_rules(&widths, area, top);
        self.y += area.gap + 2.0;
    }

    /// Places a row: on this page if it fits, else whole on the next page after the repeated
    /// header, else (taller than a page) split between lines. `top` is where the table's part on
    /// this page starts; returns that of the page the row ends on.
    fn flow_row(
        &mut self,
        body: &Row,
        head: &Row,
        widths: &[f32],
        aligns: &[Align],
        area: Area,
        mut top: f32,
    ) -> f32 {
        let leading = body.text.leading;
        let page = self.options.page;
        let fresh_room = page.bottom - page.top - head.height() - 2.0 * CELL_PAD_Y;
        let fresh_lines = ((fresh_room / leading).floor() as usize).max(1);
        let total = body.line_count();
        let mut from = 0;
        loop {
            let room = self.bottom() - self.y - 2.0 * CELL_PAD_Y;
            let fits = (room / leading + 0.001).floor().max(0.0) as usize;
            let rest = total - from;
            if rest <= fits {
                self.table_row(body, widths, aligns, area, from..total);
                return top;
            }
            let whole_fits_fresh = from == 0 && rest <= fresh_lines;
            if fits > 0 && !whole_fits_fresh {
                self.table_row(body, widths, aligns, area, from..from + fits);
                from += fits;
            }
            self.column_rules(widths, area, top);
            self.new_page();
            top = self.y;
            self.table_row(head, widths, aligns, area, 0..head.line_count());
        }
    }

    /// A row of the structure with `count` cells of `role`; returns the cells.
    fn row_nodes(&mut self, count: usize, role: Role) -> Vec<usize> {
        self.within(Role::Row, |e| (0..count).map(|_| e.node(role)).collect())
    }

    /// Draws `lines` of every cell of `row` at the cursor and moves down.
    fn table_row(
        &mut self,
        row: &Row,
        widths: &[f32],
        aligns: &[Align],
        area: Area,
        lines: Range<usize>,
    ) {
        let top = self.y;
        let height = lines.len() as f32 * row.text.leading + 2.0 * CELL_PAD_Y;
        let mut x = area.x;
        for (c, width) in widths.iter().enumerate() {
            let shade = row.cells.get(c).map(|cell| cell.shade).unwrap_or(0);
            let fill = if row.header {
                Some(style::HEAD_FILL)
            } else {
                style::shade_fill(shade)
            };
            if let Some(color) = fill {
                self.draw(Draw::Fill {
                    x,
                    y: top,
                    w: *width,
                    h: height,
                    color,
                });
            }
            let cell_lines = row.lines.get(c).map(Vec::as_slice).unwrap_or(&[]);
            let text = TextStyle {
                color: if shade >= 4 {
                    style::WHITE
                } else {
                    row.text.color
                },
                ..*row.text
            };
            self.y = top + CELL_PAD_Y;
            let align = aligns.get(c).copied().unwrap_or(Align::Left);
            let draw_lines = |e: &mut Self| {
                for line in cell_lines.iter().skip(lines.start).take(lines.len()) {
                    let free = width - 2.0 * CELL_PAD_X - line.width;
                    let dx = match align {
                        Align::Left => 0.0,
                        Align::Center => free / 2.0,
                        Align::Right => free,
                    };
                    let line = recolor(line, &text, shade);
                    e.line(&line, x + CELL_PAD_X + dx.max(0.0), &text);
                }
            };
            match row.nodes.get(c) {
                Some(&cell) => self.inside(cell, draw_lines),
                None => self.as_artifact(draw_lines),
            }
            x += width;
        }
        self.y = top + height;
        self.grid(widths, area, top, height, row.header);
    }

    /// The rules below a row (and above a header).
    fn grid(&mut self, widths: &[f32], area: Area, top: f32, height: f32, header: bool) {
        let right = area.x + widths.iter().sum::<f32>();
        if header {
            self.draw(rule(area.x, top, right, top, 0.8));
        }
        let bottom = top + height;
        let width = if header { 0.8 } else { 0.4 };
        self.draw(rule(area.x, bottom, right, bottom, width));
    }

    /// The rules around and between the columns of the table's part on this page, from `top`
    /// to the cursor: one line per column edge, not one per row.
    fn column_rules(&mut self, widths: &[f32], area: Area, top: f32) {
        let bottom = self.y;
        let mut x = area.x;
        self.draw(rule(x, top, x, bottom, 0.4));
        for width in widths {
            x += width;
            self.draw(rule(x, top, x, bottom, 0.4));
        }
    }
}

fn rule(x1: f32, y1: f32, x2: f32, y2: f32, width: f32) -> Draw {
    Draw::Rule {
        x1,
        y1,
        x2,
        y2,
        width,
        color: style::RULE,
    }
}

/// Text on the darkest shade is white, links included.
fn recolor(line: &Line, text: &TextStyle, shade: u8) -> Line {
    let mut line = line.clone();
    if shade >= 4 {
        for run in &mut line.runs {
            run.color = text.color;
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_wrapped_ahead_are_each_tables_own_rows() {
        // Three tables of different sizes (more rows than a thread takes at a time), one in a
        // quote (laid out narrower, so not wrapped ahead).
        let mut md = String::from("| A | B |\n| --- | --- |\n| one | two words |\n\n");
        md.push_str("> | Q |\n> | --- |\n> | quoted |\n\nText.\n\n| Id | Title | Note |\n| --- | --- | --- |\n");
        for i in 0..37 {
            md.push_str(&format!(
                "| id-{i} | {} | n{i} |\n",
                "word ".repeat(i % 9 + 1)
            ));
        }
        md.push_str("\n| Only |\n| --- |\n| x |\n");
        let blocks = super::super::blocks::parse(&md, &[]);
        let fonts = Fonts::new();
        let width = 450.0;
        let wrapped = wrap_tables(&blocks, width, &fonts);
        let tables: Vec<&Table> = (blocks.iter())
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!((tables.len(), wrapped.len()), (3, 3));
        for table in tables {
            let ahead = &wrapped[&table_key(table, width)];
            let widths = column_widths(table, width, &fonts);
            assert_eq!(ahead.widths, widths);
            assert_eq!(ahead.rows.len(), table.rows.len() + 1);
            assert_eq!(
                ahead.rows[0],
                cell_lines(&table.head, &widths, true, &fonts)
            );
            for (r, cells) in table.rows.iter().enumerate() {
                assert_eq!(ahead.rows[r + 1], cell_lines(cells, &widths, false, &fonts));
            }
        }
    }

    #[test]
    fn widths_fill_the_table_and_respect_minimums() {
        assert_eq!(
            distribute(&[10.0, 10.0], &[20.0, 60.0], 160.0),
            vec![40.0, 120.0]
        );
        let w = distribute(&[10.0, 30.0], &[50.0, 130.0], 100.0);
        assert!((w.iter().sum::<f32>() - 100.0).abs() < 0.01);
        assert!(w[0] >= 10.0 && w[1] >= 30.0);
        let w = distribute(&[80.0, 120.0], &[100.0, 300.0], 100.0);
        assert_eq!(w, vec![40.0, 60.0]);
    }
}
