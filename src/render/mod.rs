//! Stage 4, render: turns the model and its analysis into output files, one module per format.

pub mod csv;
pub mod explain;
pub mod html;
pub mod json;
pub mod pdf;
pub mod templates;
pub mod view;

use crate::analyse::Analysis;
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::output::OutputFile;
use templates::Templates;

/// What every renderer reads: the model, its analysis and the templates.
pub struct Inputs<'a> {
    /// The validated inputs.
    pub model: &'a Model,
    /// The conclusions.
    pub analysis: &'a Analysis,
    /// Built-in templates, or the user's overrides.
    pub templates: &'a Templates,
}

/// One rendered format: its file and what it warns about (e.g. characters the PDF cannot show).
pub struct Rendered {
    /// The file to write.
    pub file: OutputFile,
    /// Warnings of this format.
    pub warnings: Vec<Diagnostic>,
}

/// An output format of `build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    /// `report.json`: the whole analysis.
    Json,
    /// `coverage.csv`: topic x organisation counts.
    Csv,
    /// `report.html`: the report as one self-contained page.
    Html,
    /// `report.pdf`: the publication, A4.
    Pdf,
}

impl Format {
    /// Every format, in the order they are written.
    pub const ALL: [Format; 4] = [Format::Json, Format::Csv, Format::Html, Format::Pdf];

    /// Does this format's work that does not depend on the inputs, so that it can run while
    /// the inputs are checked and analysed (the PDF parses its fonts).
    pub fn prepare(self) {
        if self == Format::Pdf {
            pdf::prepare();
        }
    }

    /// Renders this format, with its warnings; a template error is reported at the template's
    /// file and line.
    pub fn render(self, inputs: &Inputs) -> Result<Rendered, Diagnostic> {
        let (file, warnings) = match self {
            Format::Json => {
                let parts = json::render(inputs.model, inputs.analysis);
                let file = OutputFile {
                    name: "report.json",
                    parts,
                };
                (file, Vec::new())
            }
            Format::Csv => {
                let bytes = csv::render(inputs.model, inputs.analysis);
                (OutputFile::new("coverage.csv", bytes), Vec::new())
            }
            Format::Html => (
                OutputFile::new("report.html", html::render(inputs)?),
                Vec::new(),
            ),
            Format::Pdf => {
                let (bytes, warnings) = pdf::render(inputs)?;
                (OutputFile::new("report.pdf", bytes), warnings)
            }
        };
        Ok(Rendered { file, warnings })
    }
}
