//! Stage 4, render: turns the model and its analysis into output files, one module per format.

pub mod csv;
pub mod explain;
pub mod json;
pub mod templates;
pub mod view;

use crate::analyse::Analysis;
use crate::model::Model;
use crate::output::OutputFile;

/// An output format of `build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    /// `report.json`: the whole analysis.
    Json,
    /// `coverage.csv`: topic x organisation counts.
    Csv,
}

impl Format {
    /// Every format, in the order they are written.
    pub const ALL: [Format; 2] = [Format::Json, Format::Csv];

    /// Renders this format.
    pub fn render(self, model: &Model, analysis: &Analysis) -> OutputFile {
        match self {
            Format::Json => OutputFile {
                name: "report.json",
                bytes: json::render(model, analysis),
            },
            Format::Csv => OutputFile {
                name: "coverage.csv",
                bytes: csv::render(model, analysis),
            },
        }
    }
}
