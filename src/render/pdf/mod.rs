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

use std::cell::RefCell;
use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, SourceLoc};
use crate::model::{PartialDate, Report};
use crate::render::view::{heading_shift, Narrative, ReportView};
use crate::render::Inputs;

/// The template the PDF is rendered from.
pub const TEMPLATE: &str = "report.md";

/// Renders the PDF report, with a warning for each input field that has characters its fonts
/// cannot show.
pub fn render(inputs: &Inputs) -> Result<(Vec<u8>, Vec<Diagnostic>), Diagnostic> {
    let narratives = RefCell::new(Vec::new());
    let view = ReportView::build(inputs.model, inputs.analysis, &|md, place| {
        let mut narratives = narratives.borrow_mut();
        narratives.push(narrative(md, place));
        format!("\n{}\n", blocks::narrative_reference(narratives.len() - 1))
    });
    let markdown = inputs.templates.render(TEMPLATE, &view)?;
    let pdf = from_markdown(&markdown, &narratives.into_inner(), &inputs.model.report);
    let mut warnings = unshowable::warnings(&pdf.unshowable, inputs.model);
    if let Err(value) = source_date_epoch() {
        warnings.push(
            Diagnostic::warning(
                SourceLoc::file("SOURCE_DATE_EPOCH"),
                format!("`{value}` is not a number of seconds since 1970 (up to the year 9999), so the PDF is dated by the report date"),
            )
            .with_help("unset it, or set it to a time such as the last commit's: `git log -1 --format=%ct`"),
        );
    }
    Ok((pdf.bytes, warnings))
}

/// A written PDF.
pub struct Pdf {
    /// The file.
    pub bytes: Vec<u8>,
    /// The characters drawn that the fonts have no glyph for.
    pub unshowable: BTreeSet<char>,
}

/// Heading level of the top heading of a landscape narrative (under the body's, level 3).
const NARRATIVE_TOP: u8 = 4;
/// Heading level of the top heading of the Question's motivation (under the clause's, level 1).
const MOTIVATION_TOP: u8 = 2;

/// Input Markdown `md` as it is laid out at `place`; its headings are not numbered, as in the
/// web page, where the template alone numbers clauses.
fn narrative(md: &str, place: Narrative) -> blocks::Narrative {
    let top = match place {
        Narrative::Motivation => MOTIVATION_TOP,
        Narrative::Body => NARRATIVE_TOP,
    };
    blocks::Narrative {
        markdown: md.to_string(),
        shift: heading_shift(md, top),
    }
}

/// Lays out and writes report Markdown (as the template produces it, with references to the
/// `narratives`) for `report`.
pub fn from_markdown(markdown: &str, narratives: &[blocks::Narrative], report: &Report) -> Pdf {
    let blocks = blocks::parse(markdown, narratives);
    let fonts = fonts::Fonts::shared();
    let options = layout::LayoutOptions {
        page: style::PageSetup::a4(),
        fonts,
        header: (report.document.clone(), report.title.clone()),
        toc_depth: 2,
    };
    let doc = layout::layout(&blocks, &options);
    // Which characters the fonts lack is read from the pages beside writing them.
    let (bytes, unshowable) = std::thread::scope(|scope| {
        let unshowable = scope.spawn(|| unshowable::missing_chars(&doc, fonts));
        let bytes = write::write(&doc, &metadata(report), fonts);
        (bytes, crate::parallel::joined(unshowable))
    });
    crate::parallel::drop_aside((doc, blocks));
    Pdf { bytes, unshowable }
}

/// Does the work that does not depend on the inputs (parsing the built-in fonts the built-in
/// template uses).
pub fn prepare() {
    fonts::Fonts::shared().prepare();
}

/// Title, authors, subject and keywords of `report`; the creation date is `SOURCE_DATE_EPOCH`
/// when set (reproducible builds), else the report date.
pub fn metadata(report: &Report) -> write::Metadata {
    let created =
        (source_date_epoch().ok().flatten()).unwrap_or_else(|| epoch_seconds(&report.date));
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

/// The last second `SOURCE_DATE_EPOCH` may name: the end of the year 9999 (PDF dates have four
/// digits of year).
const LAST_SECOND: i64 = 253_402_300_799;

/// The time `SOURCE_DATE_EPOCH` sets, in seconds since 1970: none when it is unset or empty, its
/// value as an error when that is not such a time.
fn source_date_epoch() -> Result<Option<i64>, String> {
    let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let value = value.to_string_lossy();
    match value.trim().parse::<i64>() {
        _ if value.trim().is_empty() => Ok(None),
        Ok(seconds) if (0..=LAST_SECOND).contains(&seconds) => Ok(Some(seconds)),
        _ => Err(value.into_owned()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_date_is_midnight_utc() {
        let d = PartialDate::parse("2020-09-01").unwrap();
        assert_eq!(epoch_seconds(&d), 1_598_918_400);
        assert_eq!(epoch_seconds(&PartialDate::parse("1970").unwrap()), 0);
    }
}
