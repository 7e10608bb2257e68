//! The page geometry and the typographic style of the publication: A4, margins, font sizes,
//! spacing and colours, in one place. Coordinates are points from the page's top-left corner.

use super::fonts::{Family, FontKey};

/// An RGB colour, each channel 0.0-1.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

/// Body text.
pub const TEXT: Rgb = Rgb(0.08, 0.08, 0.1);
/// Headings and the cover title.
pub const ACCENT: Rgb = Rgb(0.0, 0.22, 0.45);
/// Links.
pub const LINK: Rgb = Rgb(0.05, 0.3, 0.65);
/// Running header and footer text.
pub const MUTED: Rgb = Rgb(0.38, 0.4, 0.45);
/// Table rules.
pub const RULE: Rgb = Rgb(0.62, 0.66, 0.72);
/// Table header background.
pub const HEAD_FILL: Rgb = Rgb(0.86, 0.9, 0.95);
/// White (text on the darkest shade).
pub const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);

/// The fill of shade levels 1-4 of the coverage matrix.
pub fn shade_fill(level: u8) -> Option<Rgb> {
    match level {
        1 => Some(Rgb(0.89, 0.93, 0.98)),
        2 => Some(Rgb(0.73, 0.83, 0.94)),
        3 => Some(Rgb(0.47, 0.64, 0.85)),
        4 => Some(Rgb(0.16, 0.36, 0.66)),
        _ => None,
    }
}

/// The page: size and the box that holds the body text.
#[derive(Debug, Clone, Copy)]
pub struct PageSetup {
    /// Page width (A4: 595.28 pt).
    pub width: f32,
    /// Page height (A4: 841.89 pt).
    pub height: f32,
    /// Left and right margin of the body.
    pub margin_x: f32,
    /// Top of the body text.
    pub top: f32,
    /// Bottom of the body text.
    pub bottom: f32,
    /// Baseline of the running header.
    pub header_y: f32,
    /// Baseline of the footer.
    pub footer_y: f32,
}

impl PageSetup {
    /// A4 portrait with 20 mm side margins.
    pub fn a4() -> PageSetup {
        PageSetup {
            width: 595.28,
            height: 841.89,
            margin_x: 56.7,
            top: 76.0,
            bottom: 841.89 - 68.0,
            header_y: 50.0,
            footer_y: 841.89 - 38.0,
        }
    }

    /// Width of the body text.
    pub fn body_width(&self) -> f32 {
        self.width - 2.0 * self.margin_x
    }

    /// Right edge of the body text.
    pub fn right(&self) -> f32 {
        self.width - self.margin_x
    }
}

/// How a run of text is set: family, size, line height, colour.
#[derive(Debug, Clone, Copy)]
pub struct TextStyle {
    /// Font family (weight and slant come from the spans).
    pub family: Family,
    /// Size in points.
    pub size: f32,
    /// Distance between baselines.
    pub leading: f32,
    /// Colour.
    pub color: Rgb,
    /// Everything bold (headings, table headers).
    pub bold: bool,
}

impl TextStyle {
    /// The face for a span of this style.
    pub fn font(&self, bold: bool, italic: bool) -> FontKey {
        FontKey::of(self.family, bold || self.bold, italic)
    }
}

/// Body paragraphs.
pub const BODY: TextStyle = TextStyle {
    family: Family::Serif,
    size: 10.0,
    leading: 13.6,
    color: TEXT,
    bold: false,
};

/// Table cells.
pub const CELL: TextStyle = TextStyle {
    family: Family::Sans,
    size: 8.0,
    leading: 10.2,
    color: TEXT,
    bold: false,
};

/// Table header cells.
pub const HEAD: TextStyle = TextStyle { bold: true, ..CELL };

/// Running header and footer.
pub const MARGINAL: TextStyle = TextStyle {
    family: Family::Sans,
    size: 8.0,
    leading: 10.0,
    color: MUTED,
    bold: false,
};

/// A heading of `level` (1 is a clause).
pub fn heading(level: u8) -> TextStyle {
    let size = match level {
        1 => 15.0,
        2 => 12.5,
        3 => 11.0,
        _ => 10.0,
    };
    TextStyle {
        family: Family::Sans,
        size,
        leading: size * 1.25,
        color: ACCENT,
        bold: true,
    }
}

/// Space above a heading of `level`.
pub fn heading_space_before(level: u8) -> f32 {
    match level {
        1 => 18.0,
        2 => 13.0,
        _ => 10.0,
    }
}

/// Space after a paragraph, list or table.
pub const BLOCK_GAP: f32 = 6.0;
/// Space between a heading and what follows it.
pub const HEADING_GAP: f32 = 5.0;
/// Indent of a list item's text.
pub const LIST_INDENT: f32 = 16.0;
/// Horizontal padding inside a table cell.
pub const CELL_PAD_X: f32 = 3.5;
/// Vertical padding inside a table cell.
pub const CELL_PAD_Y: f32 = 2.8;
