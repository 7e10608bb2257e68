//! `gapreport init DIR`: a new inputs folder with a commented example of every kind of file, which
//! passes `check` and builds into a small report. Existing files are never overwritten.

use std::path::{Path, PathBuf};

/// The example files, relative to the new folder, as built into the binary.
pub const FILES: &[(&str, &str)] = &[
    ("report.yaml", include_str!("../templates/init/report.yaml")),
    ("question.md", include_str!("../templates/init/question.md")),
    (
        "work-programme.yaml",
        include_str!("../templates/init/work-programme.yaml"),
    ),
    ("bodies.yaml", include_str!("../templates/init/bodies.yaml")),
    (
        "taxonomy.yaml",
        include_str!("../templates/init/taxonomy.yaml"),
    ),
    (
        "landscape/iso-tc307.yaml",
        include_str!("../templates/init/landscape/iso-tc307.yaml"),
    ),
    (
        "landscape/w3c-did.md",
        include_str!("../templates/init/landscape/w3c-did.md"),
    ),
];

/// Why `init` wrote nothing.
#[derive(Debug)]
pub enum InitError {
    /// These files exist already.
    Exists(Vec<PathBuf>),
    /// A file could not be written.
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::Exists(paths) => {
                write!(f, "refusing to overwrite existing files:")?;
                for p in paths {
                    write!(f, "\n  {}", p.display())?;
                }
                write!(
                    f,
                    "\n  help: choose a new folder, or move these files away first"
                )
            }
            InitError::Io(path, e) => write!(f, "cannot write {}: {e}", path.display()),
        }
    }
}

/// Writes the example files and the JSON Schemas their modelines point at (`schemas/`) into `dir`
/// (created if needed); writes nothing if any of them exists.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let schemas = crate::schema::schemas();
    let files: Vec<(String, &str)> = FILES
        .iter()
        .map(|(name, text)| (name.to_string(), *text))
        .chain(
            schemas
                .iter()
                .map(|(name, text)| (format!("schemas/{name}"), text.as_str())),
        )
        .collect();
    let targets: Vec<PathBuf> = files.iter().map(|(name, _)| dir.join(name)).collect();
    let existing: Vec<PathBuf> = targets.iter().filter(|p| p.exists()).cloned().collect();
    if !existing.is_empty() {
        return Err(InitError::Exists(existing));
    }
    for ((_, text), path) in files.iter().zip(&targets) {
        let parent = path.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent).map_err(|e| InitError::Io(parent.to_path_buf(), e))?;
        std::fs::write(path, text).map_err(|e| InitError::Io(path.clone(), e))?;
    }
    Ok(targets)
}
