//! Page furniture: the running header (document number, title) and the footer ("Page N of M").

use super::*;

/// The running header (document number, title) and footer ("Page N of M") on every page but
/// the cover.
pub(super) fn decorate(doc: &mut Document, options: &LayoutOptions) {
    let page = options.page;
    let fonts = options.fonts;
    let total = doc.pages.len();
    let m = style::MARGINAL;
    let font = m.font(false, false);
    let (left, right) = &options.header;
    let left_width = fonts.width(left, font, m.size);
    let right = fit(right, page.body_width() - left_width - 24.0, fonts, &m);
    let right_width = fonts.width(&right, font, m.size);
    let skip = usize::from(doc.has_cover);
    for (i, draws) in doc.pages.iter_mut().enumerate().skip(skip) {
        let text = |x: f32, y: f32, width: f32, text: String| Draw::Text {
            x,
            y,
            width,
            text,
            font,
            size: m.size,
            color: m.color,
            node: None,
        };
        draws.push(text(page.margin_x, page.header_y, left_width, left.clone()));
        draws.push(text(
            page.right() - right_width,
            page.header_y,
            right_width,
            right.clone(),
        ));
        draws.push(Draw::Rule {
            x1: page.margin_x,
            y1: page.header_y + 5.0,
            x2: page.right(),
            y2: page.header_y + 5.0,
            width: 0.4,
            color: style::RULE,
        });
        let footer = format!("Page {} of {total}", i + 1);
        let width = fonts.width(&footer, font, m.size);
        draws.push(text(
            (page.width - width) / 2.0,
            page.footer_y,
            width,
            footer,
        ));
    }
}

/// `text` shortened with an ellipsis to fit `width`.
fn fit(text: &str, width: f32, fonts: &Fonts, m: &TextStyle) -> String {
    let font = m.font(false, false);
    if fonts.width(text, font, m.size) <= width {
        return text.to_string();
    }
    let mut out: String = text.to_string();
    while !out.is_empty() && fonts.width(&format!("{out}\u{2026}"), font, m.size) > width {
        out.pop();
    }
    format!("{}\u{2026}", out.trim_end())
}
