//! Opening a file only to read it.
//!
//! SQLite opening a WAL-mode file read-only still creates an empty `-wal` and a `-shm` beside
//! it. For a file handed in on a USB stick that is a change to the stick, so such a file is
//! opened [`Access::Untouched`]: as an immutable file when no log with content lies beside it
//! (then the `.db` alone holds everything and SQLite creates nothing), and read-only with its
//! log otherwise (the log holds writes the `.db` lacks; ignoring it would lose them).

use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// How a file to be read is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read-only, sharing the file with a program that may be writing it (a reviewer's
    /// open round): SQLite may create `-wal`/`-shm` beside it.
    Shared,
    /// Read-only, nothing created beside the file; for files nobody is writing (merge inputs).
    Untouched,
}

/// Opens `path` for reading as `access` says.
///
/// Sharing a WAL-mode file, or reading one with its log, needs its `-shm` index beside it,
/// which a full disk or a read-only medium cannot hold. When that is what fails and no log
/// with content lies beside the file (so the `.db` holds everything), it is read as
/// [`Access::Untouched`] instead; with a log, from a copy in memory ([`in_memory_copy`]).
/// Reading a round on a full stick or a write-protected one works.
///
/// A shared file is read through a memory map ([`MAP_BYTES`]).
pub(super) fn open(path: &Path, access: Access) -> rusqlite::Result<Connection> {
    let conn = open_as(path, access)?;
    match conn.query_row("PRAGMA schema_version", [], |_| Ok(())) {
        Err(e) if medium_refused(&e) && !has_log(path) && access == Access::Shared => {
            drop(conn);
            open_as(path, Access::Untouched)
        }
        Err(e) if medium_refused(&e) && has_log(path) => {
            drop(conn);
            in_memory_copy(path).ok_or(e)
        }
        _ => {
            if access == Access::Shared {
                let _ = conn.pragma_update(None, "mmap_size", MAP_BYTES);
            }
            Ok(conn)
        }
    }
}

/// How much of a shared file SQLite reads through a memory map instead of one `read()` per
/// page into its own cache: `pingcha report`'s first read of a 300-case round (4 MB) took
/// 7.5 ms with reads and 6 ms mapped. A stick pulled mid-read then ends the program by a fault
/// on a mapped page rather than with an error; a read writes nothing, and outputs are written
/// after it through a temporary file, so nothing is lost or half-written. The writer's own
/// handle (the reviewer's screen, open for days) keeps `read()`.
pub(super) const MAP_BYTES: i64 = 1 << 30;

/// A file whose log holds writes its `.db` lacks, on a medium where SQLite cannot make the
/// `-shm` index it needs to read the log (a write-protected stick): the `.db` and its log are
/// copied to a private folder in the system's temporary folder, read into memory from there,
/// and the copy removed. `None` when that fails too (the caller reports the first error).
fn in_memory_copy(path: &Path) -> Option<Connection> {
    let dir = std::env::temp_dir().join(format!("pingcha-read-{}", super::ids::random_id()));
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(&dir).ok()?;
    let copy = dir.join("round.db");
    let read = (|| {
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        std::fs::copy(path, &copy).ok()?;
        std::fs::copy(&wal, dir.join("round.db-wal")).ok()?;
        let disk = open_as(&copy, Access::Shared).ok()?;
        let mut mem = Connection::open_in_memory().ok()?;
        rusqlite::backup::Backup::new(&disk, &mut mem)
            .ok()?
            .run_to_completion(256, std::time::Duration::ZERO, None)
            .ok()?;
        Some(mem)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    read
}

fn open_as(path: &Path, access: Access) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(
        uri(path, access),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// Errors with which SQLite says it could not create or map the files beside a database.
fn medium_refused(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::*;
    matches!(
        e.sqlite_error_code(),
        Some(SystemIoFailure | CannotOpen | ReadOnly | DiskFull)
    )
}

/// The SQLite URI that opens (or ATTACHes) `path` for reading as `access` says.
pub fn uri(path: &Path, access: Access) -> String {
    let mut out = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/._-~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push_str(match access {
        Access::Untouched if !has_log(path) => "?immutable=1",
        _ => "?mode=ro",
    });
    out
}

/// Whether a `-wal` log with content lies beside `path`.
pub fn has_log(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).is_ok_and(|m| m.len() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_escapes_everything_but_plain_path_bytes() {
        let u = uri(Path::new("/媒体/a b?.db"), Access::Shared);
        assert_eq!(u, "file:/%E5%AA%92%E4%BD%93/a%20b%3F.db?mode=ro");
    }

    #[test]
    fn untouched_is_immutable_only_without_a_log() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("x.db");
        std::fs::write(&db, b"").expect("write");
        assert!(uri(&db, Access::Untouched).ends_with("?immutable=1"));
        std::fs::write(dir.path().join("x.db-wal"), b"").expect("write");
        assert!(
            uri(&db, Access::Untouched).ends_with("?immutable=1"),
            "an empty log holds nothing"
        );
        std::fs::write(dir.path().join("x.db-wal"), b"log").expect("write");
        assert!(uri(&db, Access::Untouched).ends_with("?mode=ro"));
        assert!(uri(&db, Access::Shared).ends_with("?mode=ro"));
    }

    #[test]
    fn a_shared_file_is_read_mapped_and_a_merge_input_is_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("x.db");
        Connection::open(&db)
            .and_then(|c| c.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x);"))
            .expect("make a WAL file");
        let mapped = |access| -> i64 {
            open(&db, access)
                .and_then(|c| c.query_row("PRAGMA mmap_size", [], |r| r.get(0)))
                .expect("read mmap_size")
        };
        assert_eq!(mapped(Access::Shared), MAP_BYTES);
        assert_eq!(mapped(Access::Untouched), 0);
    }
}
