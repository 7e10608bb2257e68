//! Helpers shared by the integration tests: fixture folders copied to a scratch directory and the
//! `gapreport` binary run on them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's `tests/fixtures` folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies every file under `from` into `to`, replacing files that exist.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Replaces the first `from` in the file `file` of `dir` by `to`; fails if there is none, so
/// that a fixture edit that no longer applies is not silently a no-op.
pub fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// A scratch copy of the valid fixture with the files of `tests/fixtures/<case>` (e.g.
/// `invalid/bad-status`) laid over it; a `REMOVE` file in the case lists inputs to delete.
pub fn fixture_with(case: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("valid"), dir.path());
    if let Some(case) = case {
        let overlay = fixtures().join(case);
        copy_tree(&overlay, dir.path());
        let remove = dir.path().join("REMOVE");
        if remove.exists() {
            for name in std::fs::read_to_string(&remove).unwrap().lines() {
                std::fs::remove_file(dir.path().join(name)).unwrap();
            }
            std::fs::remove_file(remove).unwrap();
        }
    }
    dir
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the run exited with `code` and its diagnostics contain `needle`.
    pub fn assert_error(&self, code: i32, needle: &str) {
        assert_eq!(self.code, code, "{}", self.stderr);
        assert!(
            self.stderr.contains(needle),
            "expected {needle:?} in:\n{}",
            self.stderr
        );
    }
}

/// Runs `gapreport` with `args` in `cwd`.
pub fn gapreport(cwd: &Path, args: &[&str]) -> Run {
    gapreport_with(cwd, args, &[])
}

/// Runs `gapreport` with `args` in `cwd`, and the environment variables `env` set.
pub fn gapreport_with(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_gapreport"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .envs(env.iter().copied())
        .output()
        .expect("gapreport runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
