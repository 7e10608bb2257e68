//! The `gapreport` command line: parses arguments, runs a pipeline command, prints diagnostics and
//! maps the outcome to an exit status (0 ok, 1 invalid input, 2 usage error).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use gapreport::diagnostic::{count, nearest, Diagnostic};
use gapreport::render::Format;

/// mimalloc: a third of a build's CPU time went to the system allocator (many small strings and
/// vectors across threads).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use gapreport::{BuildOptions, Checked, Error};

/// Gap analysis of security work on distributed ledger technology, from Markdown and YAML files.
#[derive(Parser)]
#[command(name = "gapreport", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the inputs and write the report to the output folder.
    Build {
        /// The inputs folder.
        #[arg(long, default_value = "inputs")]
        inputs: PathBuf,
        /// The output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// The formats to write, comma-separated, in any case (default: all).
        #[arg(long, value_delimiter = ',', value_enum, ignore_case = true)]
        format: Vec<Format>,
        /// A folder of templates that replace the built-in ones of the same name.
        #[arg(long)]
        templates: Option<PathBuf>,
    },
    /// Preview: build, serve the output on 127.0.0.1, rebuild and reload the page on every change.
    Serve {
        /// The inputs folder.
        #[arg(long, default_value = "inputs")]
        inputs: PathBuf,
        /// The output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// A folder of templates that replace the built-in ones of the same name.
        #[arg(long)]
        templates: Option<PathBuf>,
        /// The port (0: any free port).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The address to listen on; anything but 127.0.0.1 exposes your preview to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the report in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Write a JSON Schema for each kind of input file (for editors).
    Schema {
        /// The folder to write them to.
        #[arg(long, default_value = "inputs/schemas")]
        out: PathBuf,
    },
    /// Create a new inputs folder with a commented example of every file.
    Init {
        /// The folder to create (if it already holds any file init would write, nothing is written).
        dir: PathBuf,
    },
    /// Explain why an item or a topic is where it is (mappings, evidence, coverage), or how a
    /// title not yet in the inputs would be mapped.
    #[command(override_usage = "gapreport explain <ID> [--inputs <INPUTS>]\n       \
                                gapreport explain --title <TEXT>... [--inputs <INPUTS>]")]
    Explain {
        /// An item id (e.g. X.sra-dlt), a topic id (e.g. consensus) or a body (its id, name or
        /// alias, e.g. "ISO TC 307").
        #[arg(required_unless_present = "titles", conflicts_with = "titles")]
        id: Option<String>,
        /// Instead of an id: a title that is not in the inputs, to see how it would be mapped
        /// (its topics and security flag with evidence, or the suggestions if it maps to no
        /// topic); repeat for several titles.
        #[arg(long = "title", value_name = "TEXT")]
        titles: Vec<String>,
        /// The inputs folder.
        #[arg(long, default_value = "inputs")]
        inputs: PathBuf,
    },
    /// Validate the inputs only: print every problem and a summary.
    Check {
        /// The inputs folder.
        #[arg(long, default_value = "inputs")]
        inputs: PathBuf,
        /// Fail (exit status 1) on warnings too, e.g. in the checks of a contribution: a file
        /// not read, an image not shown, a link that opens nothing.
        #[arg(long)]
        strict: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(inputs) = cli.command.inputs() {
        fit_memory_pages_to(inputs);
    }
    let result = match cli.command {
        Command::Build {
            inputs,
            out,
            format,
            templates,
        } => gapreport::build(&BuildOptions {
            inputs,
            out,
            templates,
            formats: if format.is_empty() {
                Format::ALL.to_vec()
            } else {
                each_once(format)
            },
        })
        .map(|built| {
            print_warnings(built.warnings());
            eprintln!("{}", summary(&built.checked, built.warnings().count()));
            for path in &built.written {
                eprintln!("wrote {}", path.display());
            }
            // The process ends next, and the system takes its memory back at once: dropping the
            // model and the analysis value by value would only add to the build's time.
            std::mem::forget(built);
        }),
        Command::Check { inputs, strict } => {
            return match gapreport::check(&inputs) {
                Ok(checked) => checked_result(&checked, strict),
                Err(err) => failed(&err, Writes::Nothing),
            }
        }
        Command::Explain { id, titles, inputs } => {
            return match id {
                Some(id) => explain(&inputs, &id),
                None => explain_titles(&inputs, &titles),
            }
        }
        Command::Init { dir } => return init(&dir),
        Command::Schema { out } => return schema(&out),
        Command::Serve {
            inputs,
            out,
            templates,
            port,
            bind,
            open,
        } => {
            let options = gapreport::serve::ServeOptions {
                build: BuildOptions {
                    inputs,
                    out,
                    formats: Format::ALL.to_vec(),
                    templates,
                },
                bind,
                port,
                open,
            };
            return match gapreport::serve::serve(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(e.exit_code() as u8)
                }
            };
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => failed(&err, Writes::Outputs),
    }
}

impl Command {
    /// The inputs folder the command reads, if it reads one.
    fn inputs(&self) -> Option<&Path> {
        match self {
            Command::Build { inputs, .. }
            | Command::Serve { inputs, .. }
            | Command::Explain { inputs, .. }
            | Command::Check { inputs, .. } => Some(inputs),
            Command::Schema { .. } | Command::Init { .. } => None,
        }
    }
}

/// Inputs larger than this are read without transparent huge pages (see [`fit_memory_pages_to`]).
const LARGE_INPUTS: u64 = 8 << 20;

/// Large inputs (over 8 MiB) are processed without transparent huge pages. mimalloc asks the
/// kernel for them, and for a large build's many small allocations the kernel then zeroes and
/// compacts 2 MiB pages that are only partly used. Alternated runs of `build --format json,csv`
/// (medians of 5): 100k items (20 MB) 4.06 -> 3.24 s and 780 -> 705 MB. At 10k items (2.3 MB)
/// two series disagreed (0.37 -> 0.34 s, 0.42 -> 0.44 s), and the shipped inputs (0.5 MB) were
/// faster with them (130 vs 135 ms, medians of 21), so smaller inputs keep them. Linux only;
/// elsewhere, and if the kernel refuses, nothing changes.
fn fit_memory_pages_to(inputs: &Path) {
    if is_larger_than(inputs, LARGE_INPUTS) {
        without_huge_pages();
    }
}

/// Whether the files under `dir` hold more than `limit` bytes (it stops counting there). An entry
/// that cannot be read counts as empty: this is only an estimate, and the loader reports it.
fn is_larger_than(dir: &Path, limit: u64) -> bool {
    let mut total = 0;
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        total += entry
            .metadata()
            .map_or(0, |m| if m.is_file() { m.len() } else { 0 });
        if total > limit {
            return true;
        }
    }
    false
}

#[cfg(target_os = "linux")]
fn without_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and changes nothing but the
    // process's page-size policy for later page faults.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn without_huge_pages() {}

/// `schema`: writes the schemas; exit 1 if the folder cannot be written.
fn schema(out: &std::path::Path) -> ExitCode {
    match gapreport::schema::write(out) {
        Ok(files) => {
            for f in files {
                eprintln!("wrote {}", f.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write to {}: {e}", out.display());
            ExitCode::from(1)
        }
    }
}

/// `init`: exit 0 with the files written, 1 if any exists already (nothing is written then).
fn init(dir: &std::path::Path) -> ExitCode {
    match gapreport::init::init(dir) {
        Ok(files) => {
            for f in files {
                eprintln!("wrote {}", f.display());
            }
            eprintln!("next: gapreport check --inputs {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// `explain`: exit 0 with the explanation, 2 for an unknown id (a usage error), 1 for bad inputs.
fn explain(inputs: &std::path::Path, id: &str) -> ExitCode {
    let checked = match checked_or_report(inputs) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let model = &checked.model;
    let analysis = gapreport::analyse::analyse(model);
    let mut text = gapreport::render::explain::explain(&analysis, id).unwrap_or_default();
    if let Some(body) = model.bodies.find(id) {
        text.push_str(&gapreport::render::explain::explain_body(
            model, &analysis, body,
        ));
    }
    if !text.is_empty() {
        print!("{text}");
        return ExitCode::SUCCESS;
    }
    let bodies = model.bodies.all().iter().map(|b| b.id.as_str());
    let ids = gapreport::render::explain::ids(&analysis).chain(bodies);
    match nearest(id, ids) {
        Some(near) => eprintln!("error: no item, topic or body `{id}`; did you mean `{near}`?"),
        None => eprintln!(
            "error: no item, topic or body `{id}` in {}",
            inputs.display()
        ),
    }
    ExitCode::from(2)
}

/// `explain --title`: exit 0 with each title's mapping, 1 for bad inputs.
fn explain_titles(inputs: &std::path::Path, titles: &[String]) -> ExitCode {
    let checked = match checked_or_report(inputs) {
        Ok(c) => c,
        Err(code) => return code,
    };
    for tried in gapreport::analyse::try_titles(&checked.model, titles) {
        print!("{}", gapreport::render::explain::explain_title(&tried));
    }
    ExitCode::SUCCESS
}

/// The checked inputs, or the exit status after reporting why they are invalid.
fn checked_or_report(inputs: &std::path::Path) -> Result<Checked, ExitCode> {
    gapreport::check(inputs).map_err(|err| failed(&err, Writes::Nothing))
}

fn print_warnings<'a>(warnings: impl IntoIterator<Item = &'a Diagnostic>) {
    for w in warnings {
        eprintln!("{w}");
    }
}

/// The summary line of a run that found no error: what was read, and how many warnings there
/// were (printed above it), if any.
fn summary(checked: &Checked, warnings: usize) -> String {
    let m = &checked.model;
    let landscape = m.landscape_items().count();
    let warned = match warnings {
        0 => String::new(),
        n => format!("; {} above", count(n, "warning")),
    };
    format!(
        "ok: {}, {} ({}, {}), {}, {}{warned}",
        count(checked.files_read, "file"),
        count(m.work_items.len() + landscape, "item"),
        count(m.work_items.len(), "work item"),
        count(landscape, "landscape item"),
        count(m.bodies.all().len(), "body"),
        count(m.taxonomy.topics.len(), "topic")
    )
}

/// Prints the warnings and the summary of a check; with `strict`, warnings fail it.
fn checked_result(checked: &Checked, strict: bool) -> ExitCode {
    print_warnings(&checked.warnings);
    let warnings = checked.warnings.len();
    if strict && warnings > 0 {
        eprintln!(
            "error: {}, and --strict counts them as problems",
            count(warnings, "warning")
        );
        return ExitCode::from(1);
    }
    println!("{}", summary(checked, warnings));
    ExitCode::SUCCESS
}

/// The formats asked for, each once (`json,json` writes report.json once), in the order asked.
fn each_once(formats: Vec<Format>) -> Vec<Format> {
    let mut once = Vec::with_capacity(formats.len());
    for f in formats {
        if !once.contains(&f) {
            once.push(f);
        }
    }
    once
}

/// Whether a command writes outputs, so that its failure says none were written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Writes {
    /// `build`.
    Outputs,
    /// `check`, `explain`.
    Nothing,
}

/// Reports `err` and gives the exit status it maps to.
fn failed(err: &Error, writes: Writes) -> ExitCode {
    match err {
        Error::Invalid(diags) => {
            for d in diags {
                eprintln!("{d}");
            }
            let errors = diags
                .iter()
                .filter(|d| d.severity == gapreport::diagnostic::Severity::Error)
                .count();
            let problems = if errors == 1 { "problem" } else { "problems" };
            let written = match writes {
                Writes::Outputs => "; nothing was written",
                Writes::Nothing => "",
            };
            eprintln!("error: {errors} {problems} in the inputs{written}");
        }
        Error::Output { dir, source } => {
            eprintln!("error: cannot write to {}: {source}", dir.display());
        }
    }
    ExitCode::from(err.exit_code() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_count_as_large_over_the_limit_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), [b'x'; 600]).unwrap();
        std::fs::create_dir(dir.path().join("landscape")).unwrap();
        std::fs::write(dir.path().join("landscape/b.yaml"), [b'x'; 600]).unwrap();
        assert!(!is_larger_than(dir.path(), 1200));
        assert!(is_larger_than(dir.path(), 1199));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn large_inputs_turn_transparent_huge_pages_off() {
        let dir = tempfile::tempdir().unwrap();
        let big = vec![b'x'; LARGE_INPUTS as usize + 1];
        std::fs::write(dir.path().join("work-programme.yaml"), big).unwrap();
        fit_memory_pages_to(dir.path());
        // SAFETY: as in without_huge_pages; PR_GET_THP_DISABLE only reads the flag.
        let disabled = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(disabled, 1);
    }
}
