//! Turning results into bytes (terminal table, JSON, CSV) and writing files atomically.
//!
//! Exporters return bytes and never touch the file system; [`write_atomic`] is the only writer,
//! so a crash or a bad input never leaves a half-written file behind.

mod compare;
mod csv;
mod html;
mod json;
mod partial;
mod staff;
mod sweep;
mod table;
mod trace;

use std::io::Write;
use std::path::Path;

pub use compare::{compare_csv, compare_json, compare_table};
pub use csv::{intervals_csv, kpis_csv, replications_csv};
pub use html::{escape, html_comparison, html_report};
pub use json::json;
pub use partial::{PARTIAL_FORMAT, ShardInfo, partial_bytes, read_partial};
pub use staff::{staff_csv, staff_json, staff_table};
pub use sweep::{SWEEP_TABLE_KPIS, sweep_csv, sweep_json, sweep_table};
pub use table::table;
pub use trace::trace_csv;

/// Writes `bytes` to `path` via a temporary file in the same folder and a rename, so readers see
/// either the old file or the whole new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file path"))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_file_and_leaves_no_temp() {
        let dir = std::env::temp_dir().join(format!("callsim-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.json");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
