//! The files a command writes: checked before the work, rendered in full after it, then written
//! as one set, all or nothing (see `report::files`).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{OutputArgs, Usage};
use crate::Error;
use crate::plot::Rendered;
use crate::report::files::{self, STDOUT, Target, TargetKind, WriteSetError};

/// Files waiting to be written, and the folders (`--csv DIR`, `--plots DIR`) to create first.
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

    /// Whether one of the files goes to standard output (then the table does not).
    pub fn uses_stdout(&self) -> bool {
        self.files.iter().any(|(p, _)| p.as_os_str() == STDOUT)
    }

    /// Writes every file, then prints `table` on stdout (unless `quiet`, or a file went to
    /// stdout), then every warning on stderr, whatever `--quiet` says: a warning is about
    /// whether the result can be trusted.
    pub fn finish<'w>(
        self,
        quiet: bool,
        table: impl FnOnce() -> String,
        warnings: impl IntoIterator<Item = &'w crate::experiment::Warning>,
    ) -> Result<(), Error> {
        let table_on_stdout = !quiet && !self.uses_stdout();
        self.write()?;
        if table_on_stdout {
            // A closed pipe (e.g. `| head`) is not an error worth a message.
            let _ = std::io::stdout().write_all(table().as_bytes());
        }
        for w in warnings {
            eprintln!("warning: {w}");
        }
        Ok(())
    }

    /// Creates the output folders, then writes every file: all of them or none.
    pub fn write(self) -> Result<(), Error> {
        files::write_set(&self.dirs, &self.files).map_err(|e| match e {
            WriteSetError::Write(w) => Error::Output {
                path: w.path,
                source: w.source,
            },
            WriteSetError::Target(t) => Error::Target(t),
            WriteSetError::Same(path) => Usage::SamePath(path).into(),
        })
    }
}

/// The outputs a command was asked for, checked before it does any work.
#[derive(Default)]
pub struct Plan {
    targets: Vec<Target>,
    inputs: Vec<PathBuf>,
}

impl Plan {
    /// A file flag (`--json FILE`); `-` is standard output where `stdout_ok`.
    pub fn file(mut self, flag: &str, path: Option<&PathBuf>, stdout_ok: bool) -> Self {
        if let Some(p) = path {
            self.targets.push(Target {
                flag: flag.into(),
                path: p.clone(),
                kind: TargetKind::File,
                stdout_ok,
            });
        }
        self
    }

    /// A folder flag (`--csv DIR`).
    pub fn folder(mut self, flag: &str, path: Option<&PathBuf>) -> Self {
        if let Some(p) = path {
            self.targets.push(Target {
                flag: flag.into(),
                path: p.clone(),
                kind: TargetKind::Folder,
                stdout_ok: false,
            });
        }
        self
    }

    /// The shared `--json`, `--csv`, `--report` and `--plots`.
    pub fn shared(self, output: &OutputArgs) -> Self {
        self.file("--json", output.json.as_ref(), true)
            .folder("--csv", output.csv.as_ref())
            .file("--report", output.report.as_ref(), true)
            .folder("--plots", output.plots.as_ref())
    }

    /// A file the command reads, which no output may replace.
    pub fn input(mut self, path: Option<&Path>) -> Self {
        if let Some(p) = path {
            self.inputs.push(p.to_path_buf());
        }
        self
    }

    /// Checks every target (exit code 2 on the first that cannot be used).
    pub fn check(self) -> Result<(), Error> {
        Ok(files::check_targets(&self.targets, &self.inputs)?)
    }
}

/// Draws charts only when a command needs them.
pub fn charts_if(
    needed: bool,
    draw: impl FnOnce() -> Result<Vec<Rendered>, crate::plot::PlotError>,
) -> Result<Vec<Rendered>, Error> {
    if needed {
        draw().map_err(|source| Error::Draw {
            what: "charts",
            source,
        })
    } else {
        Ok(Vec::new())
    }
}
