//! Writing a command's output files: every one of them, or none.
//!
//! Exporters return bytes; this module is the only place that writes them. A command first
//! checks its output paths ([`check_targets`], before any simulation, so that a typo does not
//! cost a long run), then hands every rendered file to [`write_set`], which
//! 1. writes each regular file under a fresh temporary name beside it (created exclusively with
//!    an unpredictable name, so a planted symlink is never followed),
//! 2. writes through to character devices (`/dev/null`), which are never replaced,
//! 3. renames every temporary file onto its target, and only then
//! 4. writes the output that goes to standard output (`-`).
//!
//! Any failure before step 3 removes every temporary file, so nothing lands. A SIGINT or SIGTERM
//! does the same ([`remove_pending`], called by the binary's handler): it removes the temporary files that are
//! still pending, and waits for a rename phase under way to complete, so the set lands whole or
//! not at all.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::targets::{Destination, destination, identity};
pub use super::targets::{Target, TargetError, TargetKind, TargetProblem, check_targets};

/// The path that means standard output.
pub const STDOUT: &str = "-";

/// Temporary files written but not yet renamed onto their targets, for the signal handler.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A failure while writing (exit code 1): nothing of the set was left behind.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {source}")]
pub struct WriteError {
    /// The file or folder.
    pub path: String,
    /// The I/O error.
    pub source: std::io::Error,
}

/// Writes every file of the set (`folders` created first), all or nothing; see the module docs.
/// Two files with the same path are refused before anything is written.
pub fn write_set(folders: &[PathBuf], files: &[(PathBuf, Vec<u8>)]) -> Result<(), WriteSetError> {
    let ids: Vec<PathBuf> = files
        .iter()
        .map(|(p, _)| {
            if p.as_os_str() == STDOUT {
                p.clone()
            } else {
                identity(p)
            }
        })
        .collect();
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            return Err(WriteSetError::Same(files[i].0.display().to_string()));
        }
    }
    let mut plan = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let d = destination(path).map_err(|reason| {
            WriteSetError::Target(TargetError {
                flag: "output".into(),
                path: path.display().to_string(),
                reason,
            })
        })?;
        plan.push((d, bytes.as_slice()));
    }
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| WriteSetError::Write(WriteError { path, source })
    };
    for dir in folders {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    // Missing parent folders of files are created, as for the folder flags.
    for (d, _) in &plan {
        if let Destination::Replace(target) = d
            && let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
    }
    // 1. Regular files under temporary names (removed when `staged` drops, or by the signal
    //    handler).
    let mut staged = Staged(Vec::new());
    for (d, bytes) in &plan {
        if let Destination::Replace(target) = d {
            let temp = stage(target, bytes).map_err(io(target))?;
            staged.0.push((temp, target.clone()));
        }
    }
    // 2. Devices, written through.
    for (d, bytes) in &plan {
        if let Destination::Device(device) = d {
            std::fs::OpenOptions::new()
                .write(true)
                .open(device)
                .and_then(|mut f| f.write_all(bytes))
                .map_err(io(device))?;
        }
    }
    // 3. Every rename, with the signal handler held off until they are all done.
    {
        let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
        for (temp, target) in staged.0.drain(..) {
            temp.persist(&target).map_err(|e| {
                WriteSetError::Write(WriteError {
                    path: target.display().to_string(),
                    source: e.error,
                })
            })?;
        }
        pending.clear();
    }
    // 4. Standard output last, once the files have landed.
    for (d, bytes) in &plan {
        if let Destination::Stdout = d {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .map_err(io(Path::new("standard output")))?;
        }
    }
    Ok(())
}

/// Writes `bytes` to a new temporary file beside `target` and registers it for the signal
/// handler.
fn stage(target: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    PENDING
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(temp.path().to_path_buf());
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// Staged temporary files: removed when dropped, and then forgotten by the signal handler.
struct Staged(Vec<(tempfile::NamedTempFile, PathBuf)>);

impl Drop for Staged {
    fn drop(&mut self) {
        if self.0.is_empty() {
            return;
        }
        let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
        pending.retain(|p| !self.0.iter().any(|(t, _)| t.path() == p));
    }
}

/// Why a set of files was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteSetError {
    /// Two outputs with the same path (exit code 2).
    #[error("two outputs would be written to {0}: give each its own path")]
    Same(String),
    /// A target that cannot be used (exit code 2).
    #[error(transparent)]
    Target(#[from] TargetError),
    /// Writing failed (exit code 1).
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Removes the temporary files still pending, after a rename phase under way has finished
/// (it holds the lock): what a front end's SIGINT or SIGTERM handler calls before it exits.
pub fn remove_pending() {
    let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
    for p in pending.drain(..) {
        let _ = std::fs::remove_file(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(flag: &str, path: &Path) -> Target {
        Target {
            flag: flag.into(),
            path: path.to_path_buf(),
            kind: TargetKind::File,
            stdout_ok: true,
        }
    }

    #[test]
    fn a_set_lands_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        let b = dir.path().join("sub/b.csv");
        write_set(
            &[dir.path().join("sub")],
            &[(a.clone(), b"first".to_vec()), (b.clone(), b"x".to_vec())],
        )
        .unwrap();
        write_set(&[], &[(a.clone(), b"second".to_vec())]).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"second");
        assert_eq!(std::fs::read(&b).unwrap(), b"x");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn one_bad_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.json");
        let bad = dir.path().join("a-folder");
        std::fs::create_dir(&bad).unwrap();
        let e = write_set(&[], &[(good.clone(), b"1".to_vec()), (bad, b"2".to_vec())]);
        assert!(e.is_err());
        assert!(!good.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn same_path_twice_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        let again = dir.path().join("sub/../a.json");
        let e = check_targets(&[target("--json", &a), target("--report", &again)], &[]);
        assert!(matches!(
            e.unwrap_err().reason,
            TargetProblem::SamePath { .. }
        ));
        let e = write_set(&[], &[(a.clone(), vec![1]), (again, vec![2])]);
        assert!(matches!(e, Err(WriteSetError::Same(_))));
        assert!(!a.exists());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_written_through_and_devices_never_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, b"old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_set(&[], &[(link.clone(), b"new".to_vec())]).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        let null = Path::new("/dev/null");
        write_set(&[], &[(null.to_path_buf(), b"gone".to_vec())]).unwrap();
        assert!(
            std::fs::metadata(null)
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }

    #[test]
    fn targets_are_checked_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain");
        std::fs::write(&file, b"").unwrap();
        // Creating a folder inside a file cannot work.
        let inside = file.join("out.json");
        assert!(check_targets(&[target("--json", &inside)], &[]).is_err());
        // Missing folders are fine: they are created.
        let deep = dir.path().join("x/y/out.json");
        check_targets(&[target("--json", &deep)], &[]).unwrap();
        // An input is never overwritten.
        let e = check_targets(&[target("--json", &file)], std::slice::from_ref(&file));
        assert!(matches!(e.unwrap_err().reason, TargetProblem::IsInput));
        // Only one output may go to standard output.
        let dash = Path::new("-");
        let e = check_targets(&[target("--json", dash), target("--report", dash)], &[]);
        assert!(matches!(
            e.unwrap_err().reason,
            TargetProblem::StdoutTaken(_)
        ));
    }
}
