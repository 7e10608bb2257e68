//! `gapreport`: the gap-analysis report of an ITU-T Question from a folder of Markdown and YAML.
//!
//! The pipeline runs one way through plain typed values, one module per stage:
//!
//! ```text
//! inputs/ --load--> Sources --validate--> Model --analyse--> Analysis --render--> out/
//! ```
//!
//! [`load`] reads files (syntax, keys, types), [`validate`] checks meaning and builds the
//! [`model`], [`analyse`] draws the conclusions, [`render`] writes the outputs and [`output`]
//! puts them in place atomically.

#![warn(missing_docs)]

pub mod analyse;
pub mod cache;
pub mod diagnostic;
pub mod init;
pub mod load;
pub mod model;
pub mod output;
pub mod parallel;
pub mod pattern;
pub mod render;
pub mod schema;
pub mod serve;
pub mod validate;

use std::path::{Path, PathBuf};

use diagnostic::{Diagnostic, Diagnostics};
use model::Model;

/// Why a run failed; each maps to an exit status.
#[derive(Debug)]
pub enum Error {
    /// The inputs are invalid: every problem found (exit status 1).
    Invalid(Vec<Diagnostic>),
    /// An output could not be written (exit status 1).
    Output {
        /// The output folder.
        dir: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
}

impl Error {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> i32 {
        1
    }
}

/// A valid model and the warnings found on the way.
#[derive(Debug)]
pub struct Checked {
    /// The validated inputs.
    pub model: Model,
    /// Warnings (never errors).
    pub warnings: Vec<Diagnostic>,
    /// Number of files read.
    pub files_read: usize,
}

/// Loads and validates the inputs folder: stages load and validate (reading, and afterwards
/// updating, what compiling the patterns found in earlier runs: see [`cache`]).
pub fn check(inputs: &Path) -> Result<Checked, Error> {
    let (known, (sources, diags)) = std::thread::scope(|scope| {
        let known = scope.spawn(cache::KnownPatterns::read);
        let loaded = load::load(inputs);
        (known.join().unwrap_or_default(), loaded)
    });
    let files_read = sources.files_read;
    let (model, diags) = validate::validate(sources, diags, &known);
    let (model, warnings) = finish(model, diags)?;
    if std::env::var_os("GAPREPORT_TIMINGS").is_some() {
        let (cached, compiled) = known.counts(&model.taxonomy);
        eprintln!("patterns: {cached} set up from the cache, {compiled} compiled");
    }
    known.remember(&model.taxonomy);
    Ok(Checked {
        model,
        warnings,
        files_read,
    })
}

fn finish<T>(value: Option<T>, diags: Diagnostics) -> Result<(T, Vec<Diagnostic>), Error> {
    let has_errors = diags.has_errors();
    let all = diags.sorted();
    match value {
        Some(v) if !has_errors => Ok((v, all)),
        _ => Err(Error::Invalid(all)),
    }
}

/// What `build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The inputs folder.
    pub inputs: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// The formats to write.
    pub formats: Vec<render::Format>,
    /// A folder of templates overriding the built-in ones by name.
    pub templates: Option<PathBuf>,
}

/// What `build` did.
#[derive(Debug)]
pub struct Built {
    /// The check's result (model and warnings).
    pub checked: Checked,
    /// The conclusions.
    pub analysis: analyse::Analysis,
    /// Warnings of the templates folder and the renderers (the check's are in `checked`).
    pub render_warnings: Vec<Diagnostic>,
    /// The files written.
    pub written: Vec<PathBuf>,
}

impl Built {
    /// Every warning of the run: the check's, then the renderers'.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.checked.warnings.iter().chain(&self.render_warnings)
    }
}

/// Renders every format, each on its own thread (the PDF and the HTML take the longest), in the
/// order asked.
fn render_all(
    formats: &[render::Format],
    inputs: &render::Inputs,
) -> Result<Vec<render::Rendered>, Diagnostic> {
    std::thread::scope(|scope| {
        let jobs: Vec<_> = formats
            .iter()
            .map(|f| {
                scope.spawn(move || {
                    let mut watch = Stopwatch::from_env();
                    let file = f.render(inputs);
                    watch.lap(&format!("render {f:?} (own thread)"));
                    file
                })
            })
            .collect();
        jobs.into_iter().map(parallel::joined).collect()
    })
}

/// Runs the whole pipeline and writes the outputs; on any error nothing in `out` is changed.
pub fn build(options: &BuildOptions) -> Result<Built, Error> {
    let mut watch = Stopwatch::from_env();
    let formats = options.formats.clone();
    // Detached: it only fills process-wide caches, which rendering waits for if need be.
    std::thread::spawn(move || formats.iter().for_each(|f| f.prepare()));
    let mut checked = check(&options.inputs)?;
    checked
        .warnings
        .extend(baseline_overwritten(options, &checked.model));
    watch.lap("check (load, validate)");
    let analysis = analyse::analyse(&checked.model);
    watch.lap("analyse");
    let templates = render::templates::Templates::load(options.templates.as_deref())
        .map_err(|d| Error::Invalid(vec![d]))?;
    let inputs = render::Inputs {
        model: &checked.model,
        analysis: &analysis,
        templates: &templates,
    };
    let rendered = render_all(&options.formats, &inputs).map_err(|d| Error::Invalid(vec![d]))?;
    watch.lap("templates, render (all formats)");
    let (files, render_warnings): (Vec<_>, Vec<_>) =
        rendered.into_iter().map(|r| (r.file, r.warnings)).unzip();
    let render_warnings = (templates.warnings.iter().cloned())
        .chain(render_warnings.into_iter().flatten())
        .collect();
    let written = output::write_all(&options.out, &files).map_err(|source| Error::Output {
        dir: options.out.clone(),
        source,
    })?;
    watch.lap("write");
    Ok(Built {
        checked,
        analysis,
        render_warnings,
        written,
    })
}

/// A warning when the baseline is the `report.json` this build writes: the next build would
/// compare the report with itself and find no change.
fn baseline_overwritten(options: &BuildOptions, model: &Model) -> Option<Diagnostic> {
    let baseline = model.baseline.as_ref()?;
    let written = options.out.join("report.json");
    let same = same_file::is_same_file(options.inputs.join(&baseline.path), written).ok()?;
    let json = options.formats.contains(&render::Format::Json);
    (same && json).then(|| {
        Diagnostic::warning(
            baseline.named_at.clone(),
            format!("baseline `{}` is the report.json this build writes: the next build will compare the report with itself", baseline.path),
        )
        .with_help("keep the report.json of the meeting to compare with outside the output folder, e.g. copy it to baselines/ in the inputs folder")
    })
}

/// Prints each stage's wall time on stderr when the environment sets `GAPREPORT_TIMINGS`
/// (benchmarks read it; outputs never depend on it).
struct Stopwatch {
    on: bool,
    last: std::time::Instant,
}

impl Stopwatch {
    fn from_env() -> Stopwatch {
        Stopwatch {
            on: std::env::var_os("GAPREPORT_TIMINGS").is_some(),
            last: std::time::Instant::now(),
        }
    }

    fn lap(&mut self, stage: &str) {
        let now = std::time::Instant::now();
        if self.on {
            let ms = (now - self.last).as_secs_f64() * 1000.0;
            eprintln!("timing: {stage}: {ms:.1} ms");
        }
        self.last = now;
    }
}
