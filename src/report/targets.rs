//! Output paths checked before any work: every file a command will write can be created or
//! written through, every folder exists or can be created, and no two outputs (or an output
//! and an input) are the same file. A typo then costs nothing, not a long run.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use super::files::STDOUT;

/// An output path that cannot be used, found before anything is written (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{flag} {path}: {reason}")]
pub struct TargetError {
    /// The flag that named it (`--json`, `--csv`, ...).
    pub flag: String,
    /// The path as given.
    pub path: String,
    /// What is wrong, and what would do.
    pub reason: TargetProblem,
}

/// What is wrong with an output path.
#[derive(Debug, thiserror::Error)]
pub enum TargetProblem {
    /// Something on the way to it is a file, not a folder.
    #[error("{0} is not a folder, so nothing can be created inside it")]
    BlockedBy(String),
    /// Its folder does not take new files.
    #[error("cannot create files in {dir}: {source}")]
    NotWritable {
        /// The folder.
        dir: String,
        /// The error of the attempt.
        source: std::io::Error,
    },
    /// A symlink to nothing, or to a pipe.
    #[error(
        "a symlink that points nowhere (or to a pipe); give the real path, or `-` for \
         standard output"
    )]
    DanglingLink,
    /// What it points to cannot be looked at.
    #[error("{0}")]
    Unreadable(std::io::Error),
    /// A folder where a file is wanted.
    #[error("is a folder; give a file name")]
    IsFolder,
    /// A named pipe.
    #[error(
        "is a FIFO, which would block until someone reads it; write to standard output \
         with `-` and pipe that instead"
    )]
    Fifo,
    /// A socket or block device.
    #[error("is not a regular file (a socket or block device); give a file name")]
    Special,
    /// An empty path.
    #[error("an empty path")]
    Empty,
    /// `-` where the flag does not allow it.
    #[error("standard output (-) is not allowed here")]
    StdoutNotAllowed,
    /// A second output to standard output.
    #[error("{0} already writes to standard output")]
    StdoutTaken(String),
    /// A file where a folder is wanted.
    #[error("exists and is not a folder")]
    NotAFolder,
    /// Another output of the command has the same path.
    #[error("the same path as {flag} {path}")]
    SamePath {
        /// The other output's flag.
        flag: String,
        /// Its path as given.
        path: String,
    },
    /// One of the command's inputs.
    #[error("is one of this command's inputs")]
    IsInput,
}

/// What a flag names: one file, or a folder that files go into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// A file (`-` for standard output where the flag allows it).
    File,
    /// A folder, created if missing.
    Folder,
}

/// One output a command was asked for.
#[derive(Debug, Clone)]
pub struct Target {
    /// The flag, for messages.
    pub flag: String,
    /// The path as given.
    pub path: PathBuf,
    /// File or folder.
    pub kind: TargetKind,
    /// Whether `-` (standard output) is allowed.
    pub stdout_ok: bool,
}

/// Where one rendered file goes.
pub(super) enum Destination {
    /// A regular file (new or replaced): written beside it, then renamed onto it.
    Replace(PathBuf),
    /// A character device such as `/dev/null`: written through, never replaced.
    Device(PathBuf),
    /// Standard output.
    Stdout,
}

/// `path` made absolute and free of `.` and `..`, with its existing part resolved through any
/// symlinks, so that two spellings of one file compare equal.
pub(super) fn identity(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut clean = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other.as_os_str()),
        }
    }
    // Resolve the longest part that exists; keep the rest as written.
    let mut rest: Vec<OsString> = Vec::new();
    let mut head = clean.clone();
    loop {
        if let Ok(real) = std::fs::canonicalize(&head) {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (head.file_name().map(|n| n.to_os_string()), head.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                head = parent.to_path_buf();
            }
            _ => return clean,
        }
    }
}

/// The nearest folder of `path` (itself excluded) that exists, or an error if something that is
/// not a folder stands in the way.
fn existing_ancestor(path: &Path) -> Result<PathBuf, TargetProblem> {
    let mut at = path.parent();
    while let Some(dir) = at {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() => return Ok(dir.to_path_buf()),
            Ok(_) => {
                return Err(TargetProblem::BlockedBy(dir.display().to_string()));
            }
            Err(_) => at = dir.parent(),
        }
    }
    Ok(PathBuf::from("."))
}

/// Whether files can be created in `dir` (tried for real with an unnamed temporary file).
fn writable(dir: &Path) -> Result<(), TargetProblem> {
    tempfile::tempfile_in(dir)
        .map(drop)
        .map_err(|source| TargetProblem::NotWritable {
            dir: dir.display().to_string(),
            source,
        })
}

/// Whether `kind` is a character device (`/dev/null`), which is written through.
#[cfg(unix)]
fn is_char_device(kind: &std::fs::FileType) -> bool {
    std::os::unix::fs::FileTypeExt::is_char_device(kind)
}

/// Whether `kind` is a FIFO, which would block a writer until someone reads it.
#[cfg(unix)]
fn is_fifo(kind: &std::fs::FileType) -> bool {
    std::os::unix::fs::FileTypeExt::is_fifo(kind)
}

#[cfg(not(unix))]
fn is_char_device(_: &std::fs::FileType) -> bool {
    false
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::FileType) -> bool {
    false
}

/// How a file target would be written, or why it cannot be.
pub(super) fn destination(path: &Path) -> Result<Destination, TargetProblem> {
    if path.as_os_str() == STDOUT {
        return Ok(Destination::Stdout);
    }
    let Ok(link) = std::fs::symlink_metadata(path) else {
        let dir = existing_ancestor(path)?;
        writable(&dir)?;
        return Ok(Destination::Replace(path.to_path_buf()));
    };
    // A symlink is written through: its target is what gets replaced, never the link.
    let (resolved, meta) = if link.file_type().is_symlink() {
        let resolved = std::fs::canonicalize(path).map_err(|_| TargetProblem::DanglingLink)?;
        let meta = std::fs::metadata(&resolved).map_err(TargetProblem::Unreadable)?;
        (resolved, meta)
    } else {
        (path.to_path_buf(), link)
    };
    let kind = meta.file_type();
    if kind.is_file() {
        let dir = existing_ancestor(&resolved)?;
        writable(&dir)?;
        Ok(Destination::Replace(resolved))
    } else if is_char_device(&kind) {
        Ok(Destination::Device(resolved))
    } else if kind.is_dir() {
        Err(TargetProblem::IsFolder)
    } else if is_fifo(&kind) {
        Err(TargetProblem::Fifo)
    } else {
        Err(TargetProblem::Special)
    }
}

/// Checks every target before any work: files can be created or written through, folders exist
/// or can be created, `-` only where allowed, no two targets the same, and no target that is
/// one of the command's `inputs`.
pub fn check_targets(targets: &[Target], inputs: &[PathBuf]) -> Result<(), TargetError> {
    let fail = |t: &Target, reason: TargetProblem| TargetError {
        flag: t.flag.clone(),
        path: t.path.display().to_string(),
        reason,
    };
    let mut seen: Vec<(PathBuf, &Target)> = Vec::new();
    let mut to_stdout: Option<&Target> = None;
    for t in targets {
        if t.path.as_os_str().is_empty() {
            return Err(fail(t, TargetProblem::Empty));
        }
        if t.path.as_os_str() == STDOUT {
            if !t.stdout_ok {
                return Err(fail(t, TargetProblem::StdoutNotAllowed));
            }
            if let Some(other) = to_stdout {
                return Err(fail(t, TargetProblem::StdoutTaken(other.flag.clone())));
            }
            to_stdout = Some(t);
            continue;
        }
        match t.kind {
            TargetKind::File => {
                destination(&t.path).map_err(|r| fail(t, r))?;
            }
            TargetKind::Folder => match std::fs::metadata(&t.path) {
                Ok(m) if m.is_dir() => writable(&t.path).map_err(|r| fail(t, r))?,
                Ok(_) => return Err(fail(t, TargetProblem::NotAFolder)),
                Err(_) => {
                    let dir = existing_ancestor(&t.path).map_err(|r| fail(t, r))?;
                    writable(&dir).map_err(|r| fail(t, r))?;
                }
            },
        }
        let id = identity(&t.path);
        if let Some((_, other)) = seen.iter().find(|(p, _)| *p == id) {
            return Err(fail(
                t,
                TargetProblem::SamePath {
                    flag: other.flag.clone(),
                    path: other.path.display().to_string(),
                },
            ));
        }
        if inputs.iter().any(|i| identity(i) == id) {
            return Err(fail(t, TargetProblem::IsInput));
        }
        seen.push((id, t));
    }
    Ok(())
}
