//! Writing `out/`: every output is rendered in memory first, then each file is written to a
//! temporary file in the output folder and renamed over the old one, so a failed run never touches
//! `out/` and an interrupted one leaves each file either old or new, never half-written.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One rendered output file.
#[derive(Debug)]
pub struct OutputFile {
    /// File name inside the output folder, e.g. `report.json`.
    pub name: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Writes `files` into `dir` (created if needed), each atomically.
pub fn write_all(dir: &Path, files: &[OutputFile]) -> std::io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    let mut staged = Vec::new();
    let result = (|| {
        for f in files {
            let tmp = dir.join(format!(".{}.tmp-{}", f.name, std::process::id()));
            let mut file = fs::File::create(&tmp)?;
            staged.push((tmp.clone(), dir.join(f.name)));
            file.write_all(&f.bytes)?;
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
