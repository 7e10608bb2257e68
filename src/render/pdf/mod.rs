//! `report.pdf`: the publication, laid out by the tool itself. The `report.md` template renders
//! the shared [`ReportView`] as Markdown; [`blocks`] parses it, [`layout`] and [`table`] flow it
//! down A4 pages with the [`fonts`] built into the binary, and [`write`] turns the pages into PDF
//! with printpdf (embedded font subsets, links, outline, metadata). Same inputs, same bytes.

pub mod blocks;
pub mod fonts;
pub mod layout;
pub mod outline;
pub mod style;
pub mod table;
pub mod tags;
pub mod unshowable;
pub mod wrap;
pub mod write;

use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::{PartialDate, Report};
use crate::render::view::ReportView;
use crate::render::Inputs;

/// The template the PDF is rendered from.
pub const TEMPLATE: &str = "report.md";

/// Renders the PDF report, with a warning for each input field that has characters its fonts
/// cannot show.
pub fn render(inputs: &Inputs) -> Result<(Vec<u8>, Vec<Diagnostic>), Diagnostic> {
    let view = ReportView::build(inputs.model, inputs.analysis, &nest_headings);
    let markdown = inputs.templates.render(TEMPLATE, &view)?;
    let pdf = from_markdown(&markdown, &inputs.model.report);
    let warnings = unshowable::warnings(&pdf.unshowable, inputs.model);
    Ok((pdf.bytes, warnings))
}

/// A written PDF.
pub struct Pdf {
    /// The file.
    pub bytes: Vec<u8>,
    /// The characters drawn that the fonts have no glyph for.
    pub unshowable: BTreeSet<char>,
}

/// Lays out and writes report Markdown (as the template produces it) for `report`.
pub fn from_markdown(markdown: &str, report: &Report) -> Pdf {
    let blocks = blocks::parse(markdown);
    let fonts = fonts::Fonts::shared();
    let options = layout::LayoutOptions {
        page: style::PageSetup::a4(),
        fonts,
        header: (report.document.clone(), report.title.clone()),
        toc_depth: 2,
    };
    let doc = layout::layout(&blocks, &options);
    Pdf {
        bytes: write::write(&doc, &metadata(report), fonts),
        unshowable: unshowable::missing_chars(&doc, fonts),
    }
}

/// Does the work that does not depend on the inputs (parsing the built-in fonts the built-in
/// template uses).
pub fn prepare() {
    fonts::Fonts::shared().prepare();
}

/// Title, authors, subject and keywords of `report`; the creation date is `SOURCE_DATE_EPOCH`
/// when set (reproducible builds), else the report date.
pub fn metadata(report: &Report) -> write::Metadata {
    let created = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| epoch_seconds(&report.date));
    write::Metadata {
        title: report.title.clone(),
        authors: report.authors.clone(),
        document: report.document.clone(),
        subject: format!("{}: {}", report.document, report.title),
        keywords: vec![
            report.question.clone(),
            report.document.clone(),
            "distributed ledger technology".to_string(),
            "security".to_string(),
            "gap analysis".to_string(),
        ],
        created,
    }
}

/// Midnight UTC of the date (the first month or day when not given), in seconds since 1970.
fn epoch_seconds(date: &PartialDate) -> i64 {
    let (y, m, d) = (
        i64::from(date.year),
        i64::from(date.month.unwrap_or(1)),
        i64::from(date.day.unwrap_or(1)),
    );
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400
}

/// Input Markdown nested under the template's clauses: a level-1 heading becomes level 2, so
/// the inputs cannot open a clause of their own.
pub fn nest_headings(markdown: &str) -> String {
    let mut fenced = false;
    let mut out = String::with_capacity(markdown.len() + 16);
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
        }
        if !fenced && (trimmed.starts_with("# ") || trimmed == "#") {
            out.push('#');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_date_is_midnight_utc() {
        let d = PartialDate::parse("2020-09-01").unwrap();
        assert_eq!(epoch_seconds(&d), 1_598_918_400);
        assert_eq!(epoch_seconds(&PartialDate::parse("1970").unwrap()), 0);
    }

    #[test]
    fn level_one_headings_are_nested_outside_code() {
        assert_eq!(
            nest_headings("# A\n## B\n```\n# c\n```\n"),
            "## A\n## B\n```\n# c\n```\n"
        );
    }
}
