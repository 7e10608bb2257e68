//! The fonts: DejaVu Serif Condensed (body) and DejaVu Sans Condensed (headings, tables, running
//! header), built into the binary by the `dejavu` crate so the PDF never depends on the fonts
//! installed on the machine; and text measuring from their glyph advances.

use std::sync::OnceLock;

use printpdf::ParsedFont;

/// A face of the two families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FontKey {
    /// Body text.
    Serif,
    /// Body text, bold.
    SerifBold,
    /// Body text, italic.
    SerifItalic,
    /// Body text, bold italic.
    SerifBoldItalic,
    /// Headings, tables, header and footer.
    Sans,
    /// Sans, bold.
    SansBold,
    /// Sans, oblique.
    SansItalic,
    /// Sans, bold oblique.
    SansBoldItalic,
}

/// A family and weight/slant request, resolved to a [`FontKey`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// DejaVu Serif Condensed.
    Serif,
    /// DejaVu Sans Condensed.
    Sans,
}

impl FontKey {
    /// Every face, in a fixed order (the order they are embedded).
    pub const ALL: [FontKey; 8] = [
        FontKey::Serif,
        FontKey::SerifBold,
        FontKey::SerifItalic,
        FontKey::SerifBoldItalic,
        FontKey::Sans,
        FontKey::SansBold,
        FontKey::SansItalic,
        FontKey::SansBoldItalic,
    ];

    /// The face of `family` with the given weight and slant.
    pub fn of(family: Family, bold: bool, italic: bool) -> FontKey {
        use FontKey::*;
        match (family, bold, italic) {
            (Family::Serif, false, false) => Serif,
            (Family::Serif, true, false) => SerifBold,
            (Family::Serif, false, true) => SerifItalic,
            (Family::Serif, true, true) => SerifBoldItalic,
            (Family::Sans, false, false) => Sans,
            (Family::Sans, true, false) => SansBold,
            (Family::Sans, false, true) => SansItalic,
            (Family::Sans, true, true) => SansBoldItalic,
        }
    }

    /// The TrueType bytes of the face.
    pub fn bytes(self) -> &'static [u8] {
        use dejavu::{sans_condensed as sans, serif_condensed as serif};
        match self {
            FontKey::Serif => serif::regular(),
            FontKey::SerifBold => serif::bold(),
            FontKey::SerifItalic => serif::italic(),
            FontKey::SerifBoldItalic => serif::bold_italic(),
            FontKey::Sans => sans::regular(),
            FontKey::SansBold => sans::bold(),
            FontKey::SansItalic => sans::oblique(),
            FontKey::SansBoldItalic => sans::bold_oblique(),
        }
    }

    fn index(self) -> usize {
        FontKey::ALL.iter().position(|&k| k == self).unwrap_or(0)
    }
}

/// The faces, each parsed the first time it is needed, for measuring and embedding.
#[derive(Default)]
pub struct Fonts {
    faces: [OnceLock<Face>; FontKey::ALL.len()],
}

/// A parsed face and the advance widths in font units of the printable ASCII characters (a fast
/// path for measuring).
struct Face {
    parsed: ParsedFont,
    ascii: [u16; 95],
}

impl Face {
    /// Parses `key`'s face; the fonts are built in, so a failure is a bug.
    fn parse(key: FontKey) -> Face {
        let parsed = ParsedFont::from_bytes(key.bytes(), 0, &mut Vec::new())
            .expect("the built-in DejaVu fonts parse");
        let ascii = std::array::from_fn(|i| advance_units(&parsed, char::from(32 + i as u8)));
        Face { parsed, ascii }
    }
}

impl Fonts {
    /// The faces the built-in template sets text in: [`Fonts::prepare`] parses these ahead. A
    /// face parses into some megabytes of glyph records, so the others wait until a text needs
    /// them (a user template, or bold italics in the inputs).
    pub const USUAL: [FontKey; 5] = [
        FontKey::Serif,
        FontKey::SerifBold,
        FontKey::SerifItalic,
        FontKey::Sans,
        FontKey::SansBold,
    ];

    /// The faces of this process, shared (`serve` keeps them between builds).
    pub fn shared() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(Fonts::new)
    }

    /// A set of faces, none parsed yet.
    pub fn new() -> Fonts {
        Fonts::default()
    }

    /// Parses the [usual](Fonts::USUAL) faces now (`build` does this on its own thread while the
    /// inputs are checked).
    pub fn prepare(&self) {
        for key in Fonts::USUAL {
            self.loaded(key);
        }
    }

    /// `key`'s face, parsed now if no one has needed it yet.
    fn loaded(&self, key: FontKey) -> &Face {
        self.faces[key.index()].get_or_init(|| Face::parse(key))
    }

    /// The parsed face of `key`.
    pub fn face(&self, key: FontKey) -> &ParsedFont {
        &self.loaded(key).parsed
    }

    /// Width in points of `text` set in `key` at `size` points (no kerning, as it is drawn).
    pub fn width(&self, text: &str, key: FontKey, size: f32) -> f32 {
        let face = self.loaded(key);
        let units: u64 = text
            .chars()
            .map(|c| match c as u32 {
                32..=126 => u64::from(face.ascii[c as usize - 32]),
                _ => u64::from(advance_units(&face.parsed, c)),
            })
            .sum();
        units as f32 * size / f32::from(face.parsed.font_metrics.units_per_em.max(1))
    }

    /// Whether `key` has a glyph for `c` (else it prints as an empty box).
    pub fn has_glyph(&self, key: FontKey, c: char) -> bool {
        self.face(key).lookup_glyph_index(c as u32).is_some()
    }

    /// Ascent above the baseline, in points, of `key` at `size`.
    pub fn ascent(&self, key: FontKey, size: f32) -> f32 {
        let face = self.face(key);
        face.font_metrics.ascent * size / f32::from(face.font_metrics.units_per_em.max(1))
    }
}

/// The advance of `c` in font units. A character the face lacks is drawn as an empty box one em
/// wide: the written font gives it no width of its own, so readers use the default (`DW`, 1 em).
fn advance_units(face: &ParsedFont, c: char) -> u16 {
    match face.lookup_glyph_index(c as u32) {
        Some(gid) => face.get_horizontal_advance(gid),
        None => face.font_metrics.units_per_em,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepare_parses_the_usual_faces_and_the_others_wait_until_needed() {
        let fonts = Fonts::new();
        assert!(fonts.faces.iter().all(|f| f.get().is_none()));
        fonts.prepare();
        for key in FontKey::ALL {
            let parsed = fonts.faces[key.index()].get().is_some();
            assert_eq!(parsed, Fonts::USUAL.contains(&key), "{key:?}");
        }
        assert!(fonts.width("Security", FontKey::SansBoldItalic, 10.0) > 0.0);
        assert!(fonts.faces[FontKey::SansBoldItalic.index()].get().is_some());
    }

    #[test]
    fn widths_grow_with_text_and_size_and_bold_is_wider() {
        let fonts = Fonts::new();
        let a = fonts.width("Security", FontKey::Serif, 10.0);
        assert!(a > 20.0 && a < 60.0, "{a}");
        assert!((fonts.width("Security", FontKey::Serif, 20.0) - 2.0 * a).abs() < 0.01);
        assert!(fonts.width("Security", FontKey::SerifBold, 10.0) > a);
        assert!(fonts.width("Sécurité ✓", FontKey::Sans, 10.0) > 0.0);
        assert!(fonts.ascent(FontKey::Sans, 10.0) > 5.0);
        // A character the face lacks takes the em the PDF's readers give it (as `DW`).
        assert!(!fonts.has_glyph(FontKey::Sans, '区'));
        assert!((fonts.width("区区", FontKey::Sans, 10.0) - 20.0).abs() < 0.01);
    }
}
