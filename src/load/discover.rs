//! Which files are inputs: the landscape files found under `landscape/`, and a warning for each
//! file or folder that looks meant as an input but is not read (a misnamed file at the top of
//! the inputs folder, a folder there other than `landscape/` that holds such files, a hidden or
//! symbolically linked landscape file), so that nothing is left out of the report without a
//! word.

use std::path::{Path, PathBuf};

use super::*;

impl Reader<'_> {
    /// Warns of each YAML or Markdown file at the top of the inputs folder that no step reads,
    /// of a folder named like `landscape/` (`work-programme.yml`, `landscapes/`), and of any
    /// other folder holding YAML or Markdown files (`ieee/`): their content would otherwise be
    /// missing from the report without a word. Hidden entries and READMEs are not inputs, and
    /// nor are `schemas/` and folders holding no such file (an output folder).
    pub(super) fn unread_root_entries(&mut self) {
        let Ok(entries) = std::fs::read_dir(self.root) else {
            return;
        };
        let mut unread: Vec<(String, bool)> = entries
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name().to_str()?.to_string();
                let is_dir = entry.file_type().ok()?.is_dir();
                let lower = name.to_lowercase();
                // On a case-insensitive file system `Report.yaml` is `report.yaml`, and read.
                let read_anyway = lower != name
                    && same_file::is_same_file(entry.path(), self.root.join(&lower))
                        .unwrap_or(false);
                let skipped = name.starts_with('.') || lower.starts_with("readme") || read_anyway;
                // Decided after `skipped`: a folder's files are counted only when it matters.
                let known = skipped
                    || if is_dir {
                        known_folder(&name, &entry.path())
                    } else {
                        ROOT_FILES.contains(&name.as_str()) || file_kind(&entry.path()).is_none()
                    };
                (!known).then_some((name, is_dir))
            })
            .collect();
        unread.sort();
        for (name, is_dir) in unread {
            if is_dir && nearest(&name, ["landscape"]).is_none() {
                self.unread_folder(&name);
                continue;
            }
            let (shown, near) = if is_dir {
                (
                    format!("{name}/"),
                    nearest(&name, ["landscape"]).map(|n| format!("{n}/")),
                )
            } else {
                // Stems, so that a shared `.yaml` does not make `notes.yaml` look like `bodies.yaml`.
                let stem = Path::new(&name).file_stem().and_then(|s| s.to_str());
                let stems = ROOT_FILES.map(|f| f.split('.').next().unwrap_or(f));
                let near = stem.and_then(|stem| nearest(stem, stems));
                let near = near.and_then(|n| ROOT_FILES.iter().find(|f| f.starts_with(n)));
                (name.clone(), near.map(|n| n.to_string()))
            };
            let beside = name.to_lowercase();
            let help = match near {
                // `Report.yaml` beside `report.yaml`, on a case-sensitive file system.
                Some(near) if near == beside && self.root.join(&near).exists() => format!(
                    "only `{near}` is read (names are case-sensitive here): merge the two files"
                ),
                // `Taxonomy.yaml` alone: the required file is then missing too.
                Some(near) if near == beside => {
                    format!("names are case-sensitive here: rename it to `{near}`")
                }
                Some(near) => format!("did you mean `{near}`? rename it"),
                None => format!(
                    "landscape files go under landscape/; the other inputs are {}",
                    ROOT_FILES.join(", ")
                ),
            };
            self.diags.push(
                Diagnostic::warning(SourceLoc::file(shown), "not read: no input has this name")
                    .with_help(help),
            );
        }
    }

    /// Warns of a folder at the top of the inputs folder, other than `landscape/`, that holds
    /// YAML or Markdown files (`ieee/p2418.yaml`): only the landscape folder is read, so they would
    /// be missing from the report without a word.
    fn unread_folder(&mut self, name: &str) {
        let files = input_like_files(&self.root.join(name));
        let message = format!(
            "not read: it holds {}, but of the folders only landscape/ is read",
            crate::diagnostic::count(files, "YAML or Markdown file")
        );
        let help = format!(
            "landscape files go under landscape/: move it to landscape/{name}/; \
             if its files are not inputs, move it out of the inputs folder"
        );
        self.diags.push(
            Diagnostic::warning(SourceLoc::file(format!("{name}/")), message).with_help(help),
        );
    }

    /// The landscape files, sorted; walk errors are reported, symbolic links are not followed.
    /// Hidden entries (names starting with a dot) are not read; those that would otherwise be
    /// inputs are named in a warning.
    pub(super) fn landscape_files(&mut self, dir: &Path) -> Vec<PathBuf> {
        let mut files = Vec::new();
        let mut hidden = Vec::new();
        let walk = walkdir::WalkDir::new(dir)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let is_hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
                if is_hidden {
                    hidden.push((e.path().to_path_buf(), e.file_type().is_dir()));
                }
                !is_hidden
            });
        for entry in walk {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let rel = e
                        .path()
                        .map(|p| relative(self.root, p))
                        .unwrap_or_else(|| "landscape".into());
                    self.diags.push(Diagnostic::error(
                        SourceLoc::file(rel),
                        format!("cannot read: {e}"),
                    ));
                    continue;
                }
            };
            let is_input = file_kind(entry.path()).is_some();
            if entry.path_is_symlink() {
                if is_input {
                    self.diags.push(
                        Diagnostic::warning(
                            SourceLoc::file(relative(self.root, entry.path())),
                            "symbolic link not followed; this file is not read",
                        )
                        .with_help("copy the file into landscape/ instead of linking it"),
                    );
                }
            } else if entry.file_type().is_file() && is_input {
                files.push(entry.into_path());
            } else if entry.file_type().is_file() {
                self.diags.push(
                    Diagnostic::warning(
                        SourceLoc::file(relative(self.root, entry.path())),
                        "not read: a landscape file ends in .yaml, .yml or .md",
                    )
                    .with_help("rename it, or move it out of landscape/ if it is not an input"),
                );
            }
        }
        for (path, is_dir) in hidden {
            self.hidden_entry(&path, is_dir);
        }
        files
    }

    /// Warns of a hidden file under `landscape/` that would be read but for its leading dot
    /// (`.sg16.yaml`), and of a hidden folder holding such files (`.drafts/`). Other hidden
    /// entries (`.DS_Store`, an editor's `.sg16.yaml.swp`, `.git/`) are not inputs: nothing is
    /// said.
    fn hidden_entry(&mut self, path: &Path, is_dir: bool) {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let unhidden = name.trim_start_matches('.');
        let (shown, what) = if is_dir {
            let inputs = walkdir::WalkDir::new(path)
                .follow_links(false)
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file() && file_kind(e.path()).is_some())
                .count();
            if name == ".git" || inputs == 0 {
                return;
            }
            let what = format!(
                "its name starts with a dot (a hidden folder), and it holds {}",
                crate::diagnostic::count(inputs, "landscape file")
            );
            (format!("{}/", relative(self.root, path)), what)
        } else if file_kind(path).is_some() {
            let what = "its name starts with a dot (a hidden file)".to_string();
            (relative(self.root, path), what)
        } else {
            return;
        };
        self.diags.push(
            Diagnostic::warning(SourceLoc::file(shown), format!("not read: {what}")).with_help(
                format!(
                    "rename it to `{unhidden}` if it is an input; if not, move it out of landscape/"
                ),
            ),
        );
    }
}

/// Whether a folder at the top of the inputs folder is accounted for: `landscape/` and
/// `schemas/`, and a folder holding no YAML or Markdown file (an output folder, images), unless
/// it is named like `landscape/` (`landscapes/`, then warned of with a "did you mean").
fn known_folder(name: &str, path: &Path) -> bool {
    ROOT_FOLDERS.contains(&name)
        || (nearest(name, ["landscape"]).is_none() && input_like_files(path) == 0)
}

/// How many files under `dir`, at any depth, have the extension of an input (`.yaml`, `.yml`,
/// `.md`, in any case). Hidden entries and symbolic links are passed over, as in `landscape/`:
/// an output folder (`out/report.json`, ...) holds none.
fn input_like_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .flatten()
        .filter(|e| e.file_type().is_file() && file_kind(e.path()).is_some())
        .count()
}
