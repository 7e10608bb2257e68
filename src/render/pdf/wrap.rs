//! Line breaking of styled text: spans are cut into words at Unicode line-break opportunities
//! and broken into lines by textwrap's optimal-fit algorithm on widths measured in the real
//! fonts. A word wider than the line (a URL, a long id) is cut into pieces that fit.

use textwrap::core::Fragment;
use textwrap::wrap_algorithms::{wrap_first_fit, wrap_optimal_fit, Penalties};
use textwrap::WordSeparator;

use super::blocks::Span;
use super::fonts::{FontKey, Fonts};
use super::style::{Rgb, TextStyle, LINK};

/// A run of text placed on a line, in one face and colour.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Offset from the line's start.
    pub x: f32,
    /// The text.
    pub text: String,
    /// Its width.
    pub width: f32,
    /// The face.
    pub font: FontKey,
    /// Size in points.
    pub size: f32,
    /// Colour.
    pub color: Rgb,
    /// Link destination.
    pub link: Option<String>,
    /// Struck through.
    pub strike: bool,
    /// The width of the space it ends with (part of `width`), which a strike leaves out.
    pub trailing: f32,
}

/// One line of text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    /// Its runs, left to right.
    pub runs: Vec<Run>,
    /// Its width (trailing space excluded).
    pub width: f32,
    /// Link targets named on this line.
    pub anchors: Vec<String>,
}

/// A piece of a word in one face (a word may mix faces: `**bold**,`).
#[derive(Debug, Clone)]
struct Part {
    text: String,
    width: f64,
    font: FontKey,
    link: Option<String>,
    strike: bool,
}

/// A word: where lines may break, with the space that follows it.
#[derive(Debug)]
struct Frag {
    parts: Vec<Part>,
    space: String,
    width: f64,
    space_width: f64,
    anchor: Option<String>,
}

impl Fragment for Frag {
    fn width(&self) -> f64 {
        self.width
    }
    fn whitespace_width(&self) -> f64 {
        self.space_width
    }
    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// Breaks `spans` set in `style` into lines at most `width` wide; a line break span
/// ([`Span::line_break`]) starts a new line.
pub fn wrap(spans: &[Span], style: &TextStyle, width: f32, fonts: &Fonts) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    for part in spans.split(|s| s.line_break) {
        // A forced break separates words too, for text read from the tagged structure.
        if let Some(run) = lines.last_mut().and_then(|l| l.runs.last_mut()) {
            if !run.text.ends_with(char::is_whitespace) {
                run.text.push(' ');
            }
        }
        lines.extend(wrap_unbroken(part, style, width, fonts));
    }
    lines
}

/// [`wrap`] for spans with no line break.
fn wrap_unbroken(spans: &[Span], style: &TextStyle, width: f32, fonts: &Fonts) -> Vec<Line> {
    let frags = fragments(spans, style, Some(width), fonts);
    if frags.is_empty() {
        return Vec::new();
    }
    let widths = [f64::from(width)];
    let lines = wrap_optimal_fit(&frags, &widths, &Penalties::new())
        .unwrap_or_else(|_| wrap_first_fit(&frags, &widths));
    lines.into_iter().map(|frags| line(frags, style)).collect()
}

/// The narrowest width `spans` can take without cutting a word, and their width with no line
/// broken but where a line break span forces it (the widest of those lines).
pub fn measure(spans: &[Span], style: &TextStyle, fonts: &Fonts) -> (f32, f32) {
    (spans.split(|s| s.line_break))
        .map(|part| measure_unbroken(part, style, fonts))
        .fold((0.0, 0.0), |(min, one), (m, o)| (min.max(m), one.max(o)))
}

/// [`measure`] for spans with no line break.
fn measure_unbroken(spans: &[Span], style: &TextStyle, fonts: &Fonts) -> (f32, f32) {
    let frags = fragments(spans, style, None, fonts);
    let min = frags.iter().map(|f| f.width).fold(0.0, f64::max);
    let total: f64 = frags.iter().map(|f| f.width + f.space_width).sum();
    let last_space = frags.last().map(|f| f.space_width).unwrap_or(0.0);
    (min as f32, (total - last_space) as f32)
}

fn fragments(spans: &[Span], style: &TextStyle, limit: Option<f32>, fonts: &Fonts) -> Vec<Frag> {
    let mut frags: Vec<Frag> = Vec::new();
    for span in spans {
        let font = style.font(span.bold, span.italic);
        if let Some(anchor) = &span.anchor {
            frags.push(Frag {
                parts: Vec::new(),
                space: String::new(),
                width: 0.0,
                space_width: 0.0,
                anchor: Some(anchor.clone()),
            });
        }
        let words = WordSeparator::UnicodeBreakProperties.find_words(&span.text);
        for (w, word) in words.enumerate() {
            let pieces = cut(word.word, font, style.size, limit, fonts);
            let last = pieces.len().saturating_sub(1);
            for (i, piece) in pieces.into_iter().enumerate() {
                let part = Part {
                    width: f64::from(fonts.width(&piece, font, style.size)),
                    text: piece,
                    font,
                    link: span.link.clone(),
                    strike: span.strike,
                };
                let space = if i == last { word.whitespace } else { "" };
                let space_width = f64::from(fonts.width(space, font, style.size));
                let room = limit.map_or(f64::MAX, f64::from);
                let glue =
                    w == 0 && i == 0 && frags.last().is_some_and(|f| f.width + part.width <= room);
                push_part(&mut frags, part, space, space_width, glue);
            }
        }
    }
    frags
}

/// Adds a word piece: glued to the previous word when `glue` (a span's first word) and nothing
/// separates them (a comma after a link), else as a new word.
fn push_part(frags: &mut Vec<Frag>, part: Part, space: &str, space_width: f64, glue: bool) {
    match frags.last_mut() {
        Some(prev) if glue && prev.space.is_empty() && !prev.parts.is_empty() => {
            prev.width += part.width;
            prev.parts.push(part);
            prev.space = space.to_string();
            prev.space_width = space_width;
        }
        _ => frags.push(Frag {
            width: part.width,
            parts: vec![part],
            space: space.to_string(),
            space_width,
            anchor: None,
        }),
    }
}

/// `word` cut into pieces no wider than `limit` (the word itself when it fits).
fn cut(word: &str, font: FontKey, size: f32, limit: Option<f32>, fonts: &Fonts) -> Vec<String> {
    let Some(limit) = limit else {
        return vec![word.to_string()];
    };
    if fonts.width(word, font, size) <= limit {
        return vec![word.to_string()];
    }
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut piece_width = 0.0;
    for c in word.chars() {
        let w = fonts.width(c.encode_utf8(&mut [0; 4]), font, size);
        if piece_width + w > limit && !piece.is_empty() {
            pieces.push(std::mem::take(&mut piece));
            piece_width = 0.0;
        }
        piece.push(c);
        piece_width += w;
    }
    pieces.push(piece);
    pieces
}

/// Places the fragments of one line, merging neighbours of the same face and link into runs.
fn line(frags: &[Frag], style: &TextStyle) -> Line {
    let mut out = Line::default();
    let mut x = 0.0f32;
    let last = frags.len().saturating_sub(1);
    for (i, f) in frags.iter().enumerate() {
        if let Some(anchor) = &f.anchor {
            out.anchors.push(anchor.clone());
        }
        // The space a line breaks at takes no room, but stays in the text, so that text read
        // from the tagged structure (lines joined) keeps its words apart.
        let space_width = if i == last { 0.0 } else { f.space_width as f32 };
        let count = f.parts.len();
        for (j, part) in f.parts.iter().enumerate() {
            let (space, space_width) = if j + 1 == count && !f.space.is_empty() {
                (f.space.as_str(), space_width)
            } else {
                ("", 0.0)
            };
            let width = part.width as f32 + space_width;
            match out.runs.last_mut() {
                Some(run)
                    if run.font == part.font
                        && run.link == part.link
                        && run.strike == part.strike =>
                {
                    run.text.push_str(&part.text);
                    run.text.push_str(space);
                    run.width += width;
                    run.trailing = space_width;
                }
                _ => out.runs.push(Run {
                    x,
                    text: format!("{}{}", part.text, space),
                    width,
                    font: part.font,
                    size: style.size,
                    color: if part.link.is_some() {
                        LINK
                    } else {
                        style.color
                    },
                    link: part.link.clone(),
                    strike: part.strike,
                    trailing: space_width,
                }),
            }
            x += width;
            out.width = x - space_width;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::style::BODY;

    fn plain(text: &str) -> Vec<Span> {
        vec![Span {
            text: text.to_string(),
            ..Span::default()
        }]
    }

    #[test]
    fn lines_fit_the_width_and_keep_every_word() {
        let fonts = Fonts::new();
        let text = "Distributed ledger technologies will have a profound impact for telecom \
                    users and industries including telecom service providers.";
        let lines = wrap(&plain(text), &BODY, 150.0, &fonts);
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(l.width <= 150.01, "{l:?}");
        }
        let joined: Vec<String> = lines
            .iter()
            .map(|l| l.runs.iter().map(|r| r.text.as_str()).collect::<String>())
            .collect();
        // Every word, and the spaces the lines break at.
        assert_eq!(joined.concat(), text);
    }

    #[test]
    fn a_line_break_starts_a_new_line_and_measures_as_two_lines() {
        let fonts = Fonts::new();
        let br = Span {
            line_break: true,
            ..Span::default()
        };
        let spans = [
            plain("Short title").remove(0),
            br,
            plain("A summary").remove(0),
        ];
        let lines = wrap(&spans, &BODY, 400.0, &fonts);
        let texts: Vec<String> = (lines.iter())
            .map(|l| l.runs.iter().map(|r| r.text.as_str()).collect())
            .collect();
        // The space stands for the break in text read from the tagged structure.
        assert_eq!(texts, ["Short title ", "A summary"]);
        let (_, one_line) = measure(&spans, &BODY, &fonts);
        let width = |t| fonts.width(t, FontKey::Serif, BODY.size);
        let widest = width("Short title").max(width("A summary"));
        assert!(one_line < width("Short title A summary"));
        assert!((one_line - widest).abs() < 0.01, "{one_line} vs {widest}");
    }

    #[test]
    fn an_over_long_word_is_cut_not_overflowing() {
        let fonts = Fonts::new();
        let url = "https://www.itu.int/ITU-T/workprog/wp_search.aspx?sp=17&sg=17&very=long";
        let lines = wrap(&plain(url), &BODY, 60.0, &fonts);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| l.width <= 60.01));
        let id = "TR.securityaspectsofdistributedledgertechnology";
        let (min, max) = measure(&plain(id), &BODY, &fonts);
        assert!(min > 60.0 && (max - min).abs() < 0.01);
        let lines = wrap(&plain(id), &BODY, 60.0, &fonts);
        assert!(lines.len() > 2 && lines.iter().all(|l| l.width <= 60.01));
    }

    #[test]
    fn punctuation_after_a_link_stays_on_its_line() {
        let fonts = Fonts::new();
        let link = |t: &str| Span {
            text: t.into(),
            link: Some("#x".into()),
            ..Span::default()
        };
        let spans = vec![
            link("Alpha beta"),
            plain(", ").remove(0),
            link("Gamma delta"),
        ];
        let lines = wrap(
            &spans,
            &BODY,
            fonts.width("Alpha beta,", FontKey::Serif, 10.0) + 1.0,
            &fonts,
        );
        let texts: Vec<String> = lines
            .iter()
            .map(|l| l.runs.iter().map(|r| r.text.as_str()).collect())
            .collect();
        assert!(texts.iter().all(|t| !t.starts_with(',')), "{texts:?}");
    }

    #[test]
    fn links_and_anchors_are_kept() {
        let fonts = Fonts::new();
        let spans = vec![
            Span {
                anchor: Some("a1".into()),
                ..Span::default()
            },
            Span {
                text: "see X.1401".into(),
                link: Some("#item-X.1401".into()),
                ..Span::default()
            },
        ];
        let lines = wrap(&spans, &BODY, 300.0, &fonts);
        assert_eq!(lines[0].anchors, vec!["a1".to_string()]);
        assert_eq!(lines[0].runs[0].link.as_deref(), Some("#item-X.1401"));
        assert_eq!(lines[0].runs[0].color, LINK);
    }
}
