//! Writing `out/`: every output is rendered in memory first, then each file is written to a
//! temporary file in the output folder and renamed over the old one, so a failed run never touches
//! `out/` and an interrupted one leaves each file either old or new, never half-written. A run
//! killed between the two steps leaves its temporary files behind; the next run removes them.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One rendered output file.
#[derive(Debug)]
pub struct OutputFile {
    /// File name inside the output folder, e.g. `report.json`.
    pub name: &'static str,
    /// Its bytes, in parts written one after the other (`report.json`'s items are rendered in
    /// parallel, a part per batch).
    pub parts: Vec<Vec<u8>>,
}

impl OutputFile {
    /// The file `name` of `bytes`.
    pub fn new(name: &'static str, bytes: Vec<u8>) -> OutputFile {
        OutputFile {
            name,
            parts: vec![bytes],
        }
    }
}

/// Writes `files` into `dir` (created if needed), each atomically.
pub fn write_all(dir: &Path, files: &[OutputFile]) -> std::io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    remove_stale_temporaries(dir, files);
    let mut staged = Vec::new();
    let result = (|| {
        for f in files {
            let tmp = dir.join(temporary_name(f.name, std::process::id(), next_call()));
            let mut file = fs::File::create(&tmp)?;
            staged.push((tmp.clone(), dir.join(f.name)));
            for part in &f.parts {
                file.write_all(part)?;
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (tmp, _) in &staged {
            let _ = fs::remove_file(tmp);
        }
        return Err(e);
    }
    let mut written = Vec::new();
    for (tmp, target) in staged {
        fs::rename(&tmp, &target)?;
        written.push(target);
    }
    Ok(written)
}

/// The name of `name`'s temporary file while process `pid` writes it, in its `call`th call of
/// [`write_all`] (threads of one process may write the same file: the pattern cache).
fn temporary_name(name: &str, pid: u32, call: usize) -> String {
    format!(".{name}.tmp-{pid}-{call}")
}

/// A number no other call of [`write_all`] in this process has.
fn next_call() -> usize {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Removes the temporary files that a killed run left for any of `files`. A file whose writer is
/// still running (another `build` or `serve` on the same folder) is left alone, so this only runs
/// where a process's liveness can be told (Linux `/proc`); elsewhere the files stay.
fn remove_stale_temporaries(dir: &Path, files: &[OutputFile]) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| writer_pid(n, files)) else {
            continue;
        };
        if !process_is_alive(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The writer's pid if `file_name` is the temporary file of one of `files`.
fn writer_pid(file_name: &str, files: &[OutputFile]) -> Option<u32> {
    files.iter().find_map(|f| {
        let rest = file_name.strip_prefix('.')?.strip_prefix(f.name)?;
        // `.tmp-PID-CALL`, or `.tmp-PID` as earlier versions named them.
        let pid_call = rest.strip_prefix(".tmp-")?;
        let pid = pid_call
            .split_once('-')
            .map_or(pid_call, |(pid, _call)| pid);
        pid.parse().ok()
    })
}

#[cfg(target_os = "linux")]
fn process_is_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(not(target_os = "linux"))]
fn process_is_alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &'static str) -> OutputFile {
        OutputFile::new(name, name.as_bytes().to_vec())
    }

    #[test]
    fn a_killed_runs_temporaries_go_and_a_live_writers_stay() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dir
            .path()
            .join(temporary_name("report.json", 999_999_999, 0));
        // Process 1 always runs.
        let live = dir.path().join(temporary_name("report.json", 1, 0));
        let foreign = dir.path().join(".notes.txt.tmp-999999999-0");
        for p in [&dead, &live, &foreign] {
            fs::write(p, b"half").unwrap();
        }
        let written = write_all(dir.path(), &[file("report.json")]).unwrap();
        assert_eq!(written, vec![dir.path().join("report.json")]);
        assert_eq!(fs::read(&written[0]).unwrap(), b"report.json");
        assert_eq!(dead.exists(), !cfg!(target_os = "linux"));
        assert!(live.exists(), "a running writer's temporary stays");
        let ours = format!(".report.json.tmp-{}-", std::process::id());
        let left = fs::read_dir(dir.path()).unwrap().flatten();
        assert!(!left
            .into_iter()
            .any(|e| e.file_name().to_string_lossy().starts_with(&ours)));
        assert!(
            foreign.exists(),
            "files that are not our outputs' temporaries stay"
        );
    }

    #[test]
    fn only_our_outputs_temporaries_are_recognised() {
        let files = [file("report.json"), file("report.pdf")];
        assert_eq!(writer_pid(".report.pdf.tmp-42-3", &files), Some(42));
        assert_eq!(writer_pid(".report.pdf.tmp-42", &files), Some(42));
        assert_eq!(temporary_name("report.pdf", 42, 3), ".report.pdf.tmp-42-3");
        assert_eq!(writer_pid(".report.json.tmp-x-1", &files), None);
        assert_eq!(writer_pid("report.json", &files), None);
        assert_eq!(writer_pid(".coverage.csv.tmp-42-0", &files), None);
    }
}
