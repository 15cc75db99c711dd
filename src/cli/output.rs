//! The files a command writes: rendered in full first, then written, each atomically, so a
//! failure before the writing leaves nothing behind.

use std::path::PathBuf;

use crate::Error;
use crate::plot::Rendered;
use crate::report::write_atomic;

/// Files waiting to be written, and the folders (`--csv DIR`, `--plots DIR`) to create first.
/// A file path's own folder is not created: a typo there is an error, not a new folder.
#[derive(Default)]
pub struct Outputs {
    files: Vec<(PathBuf, Vec<u8>)>,
    dirs: Vec<PathBuf>,
}

impl Outputs {
    /// `bytes` to `path`, if a path was asked for.
    pub fn file(&mut self, path: Option<&PathBuf>, bytes: impl FnOnce() -> Vec<u8>) {
        if let Some(p) = path {
            self.files.push((p.clone(), bytes()));
        }
    }

    /// `bytes` to `dir/name`, if a folder was asked for.
    pub fn in_dir(&mut self, dir: Option<&PathBuf>, name: &str, bytes: impl FnOnce() -> Vec<u8>) {
        if let Some(d) = dir {
            if !self.dirs.contains(d) {
                self.dirs.push(d.clone());
            }
            self.files.push((d.join(name), bytes()));
        }
    }

    /// Every chart as `NAME.svg` and `NAME.png` in `dir`, if a folder was asked for.
    pub fn charts(&mut self, dir: Option<&PathBuf>, charts: &[Rendered]) {
        for c in charts {
            self.in_dir(dir, &format!("{}.svg", c.name), || {
                c.svg.clone().into_bytes()
            });
            self.in_dir(dir, &format!("{}.png", c.name), || c.png.clone());
        }
    }

    /// `bytes` to `path` (already decided).
    pub fn push(&mut self, path: PathBuf, bytes: Vec<u8>) {
        self.files.push((path, bytes));
    }

    /// Creates the output folders, then writes every file.
    pub fn write(self) -> Result<(), Error> {
        for dir in &self.dirs {
            std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
        }
        for (path, bytes) in &self.files {
            write_atomic(path, bytes).map_err(|e| Error::output(path, e))?;
        }
        Ok(())
    }
}

/// Draws charts only when a command needs them.
pub fn charts_if(
    needed: bool,
    draw: impl FnOnce() -> Result<Vec<Rendered>, String>,
) -> Result<Vec<Rendered>, Error> {
    if needed {
        draw().map_err(|e| Error::Other(format!("cannot draw the charts: {e}")))
    } else {
        Ok(Vec::new())
    }
}
