//! Writing output files, one way for every command: round files (`round new`, demo), merges,
//! hand-in copies, exports, reports and ledger sheets.
//!
//! A careless `-o` must never destroy data, so before anything is written the target is
//! checked ([`Rules`]):
//!
//! - never a file the command reads (same file, however it is spelled), never a SQLite file
//!   (a round file is recognised by its header, whatever its name);
//! - an existing file only when replacing was asked for ([`Rules::force`]);
//! - a symbolic link is not followed silently, a directory or block device is refused;
//! - a character device or fifo (`/dev/null`, a pipe) is written to directly, never replaced.
//!
//! A regular file is written under a temporary name in the target's folder, created readable
//! by its owner only (outputs hold case data), synced, renamed over the target, and the folder
//! synced; on failure the temporary file is removed, so the target is either the old file or
//! the complete new one. Media problems (a full disk, a read-only stick, a file held open by
//! Excel on Windows) get their own [`OutputError`] variants naming the target, never the
//! temporary file.

mod error;

pub use error::OutputError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What an output may replace.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Replace an existing regular file that is not a SQLite file.
    pub force: bool,
    /// The files the command reads: never written over.
    pub inputs: Vec<PathBuf>,
    /// The output replaces an existing round file on purpose (merging into an earlier result):
    /// the existing-file and SQLite checks do not apply to it.
    pub replaces_round: bool,
}

impl Rules {
    /// Rules for a command reading `inputs`, replacing an existing output only with `force`.
    pub fn new(force: bool, inputs: &[&Path]) -> Rules {
        Rules {
            force,
            inputs: inputs.iter().map(|p| p.to_path_buf()).collect(),
            replaces_round: false,
        }
    }
}

/// What the target path holds, once checked against the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Nothing: a new file.
    New,
    /// A regular file to be replaced.
    Replace,
    /// A character device or fifo: written to directly.
    Direct,
}

/// Checks `path` against `rules` (see the module documentation).
pub fn check(path: &Path, rules: &Rules) -> Result<Target, OutputError> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Target::New),
        Err(e) => return Err(OutputError::from_io(path, e, None)),
    };
    let kind = meta.file_type();
    if kind.is_symlink() {
        return Err(OutputError::Symlink(path.to_path_buf()));
    }
    if is_direct(&kind) {
        return Ok(Target::Direct);
    }
    if !kind.is_file() {
        return Err(OutputError::NotRegular(path.to_path_buf()));
    }
    if rules.inputs.iter().any(|i| same_file(i, path)) {
        return Err(OutputError::IsInput(path.to_path_buf()));
    }
    if rules.replaces_round {
        return Ok(Target::Replace);
    }
    if is_sqlite(path) {
        return Err(OutputError::IsDatabase(path.to_path_buf()));
    }
    if !rules.force {
        return Err(OutputError::Exists(path.to_path_buf()));
    }
    Ok(Target::Replace)
}

/// Character devices and fifos, which are written to rather than replaced.
fn is_direct(kind: &std::fs::FileType) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        kind.is_char_device() || kind.is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = kind;
        false
    }
}

/// Whether two paths name the same file (same device and inode on Unix; the same canonical
/// path elsewhere).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Whether `path` starts with SQLite's file header.
pub fn is_sqlite(path: &Path) -> bool {
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok_and(|()| &head == b"SQLite format 3\0")
}

/// Writes `bytes` to `path` under `rules`.
pub fn write(path: &Path, rules: &Rules, bytes: &[u8]) -> Result<(), OutputError> {
    let needed = Some(bytes.len() as u64);
    if check(path, rules)? == Target::Direct {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut f| f.write_all(bytes).and_then(|()| f.flush()))
            .map_err(|e| OutputError::from_io(path, e, needed));
    }
    build(path, rules, |tmp| {
        let mut f = std::fs::OpenOptions::new().write(true).open(tmp)?;
        f.write_all(bytes)
    })
    .map_err(|e| match e {
        Built::Output(e) => e,
        Built::Fill(e) => OutputError::from_io(path, e, needed),
    })
}

/// A failure of [`build`]: the output rules or media, or the caller's filling.
#[derive(Debug)]
pub enum Built<E> {
    /// Refused, or the temporary file could not be created, synced or renamed.
    Output(OutputError),
    /// The caller's `fill` failed.
    Fill(E),
}

/// Builds a regular file at `path` under `rules`: `fill` is given an empty private file at a
/// temporary path beside it to fill (a SQLite database, bytes); when it succeeds the file is
/// synced and renamed into place. Errors `fill` returns name the temporary path; callers
/// re-label them with `path`.
pub fn build<T, E>(path: &Path, rules: &Rules, fill: impl FnOnce(&Path) -> Result<T, E>) -> Result<T, Built<E>> {
    if check(path, rules).map_err(Built::Output)? == Target::Direct {
        return Err(Built::Output(OutputError::NotRegular(path.to_path_buf())));
    }
    let tmp = temp_beside(path, "tmp");
    let outcome = (|| {
        create_private_file(&tmp).map_err(|e| Built::Output(OutputError::from_io(path, e, None)))?;
        let value = fill(&tmp).map_err(Built::Fill)?;
        sync_file(&tmp).map_err(|e| Built::Output(OutputError::from_io(path, e, None)))?;
        // Whatever appeared at the target meanwhile is checked again.
        if check(path, rules).map_err(Built::Output)? == Target::Direct {
            return Err(Built::Output(OutputError::NotRegular(path.to_path_buf())));
        }
        std::fs::rename(&tmp, path).map_err(|e| Built::Output(OutputError::from_io(path, e, None)))?;
        sync_dir(folder_of(path));
        Ok(value)
    })();
    if outcome.is_err() {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
        }
    }
    outcome
}

/// Builds a folder of outputs at `path` all or nothing: `fill` writes into an empty private
/// folder beside it (with [`write_private`]), which then replaces `path`. An existing folder
/// is replaced only if empty or with `rules.force`, and never when it holds anything but
/// plain files that are not SQLite files nor inputs.
pub fn build_folder<T, E>(path: &Path, rules: &Rules, fill: impl FnOnce(&Path) -> Result<T, E>) -> Result<T, Built<E>> {
    let out = |e| Built::Output(e);
    let io = |e| Built::Output(OutputError::from_io(path, e, None));
    let existing = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => return Err(out(OutputError::Symlink(path.to_path_buf()))),
        Ok(m) if !m.is_dir() => return Err(out(OutputError::NotFolder(path.to_path_buf()))),
        Ok(_) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(io(e)),
    };
    if existing {
        let mut any = false;
        for entry in std::fs::read_dir(path).map_err(io)? {
            let entry = entry.map_err(io)?.path();
            any = true;
            let plain = std::fs::symlink_metadata(&entry).is_ok_and(|m| m.is_file());
            if !plain || is_sqlite(&entry) || rules.inputs.iter().any(|i| same_file(i, &entry)) {
                return Err(out(OutputError::FolderHolds {
                    folder: path.to_path_buf(),
                    entry,
                }));
            }
        }
        if any && !rules.force {
            return Err(out(OutputError::Exists(path.to_path_buf())));
        }
    }
    let tmp = temp_beside(path, "tmp");
    let old = temp_beside(path, "old");
    let outcome = (|| {
        create_private_folder(&tmp).map_err(io)?;
        let value = fill(&tmp).map_err(Built::Fill)?;
        sync_dir(&tmp);
        if existing {
            std::fs::rename(path, &old).map_err(io)?;
        }
        if let Err(e) = std::fs::rename(&tmp, path) {
            if existing {
                let _ = std::fs::rename(&old, path);
            }
            return Err(io(e));
        }
        sync_dir(folder_of(path));
        Ok(value)
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    let _ = std::fs::remove_dir_all(&old);
    outcome
}

/// Writes a new private file inside a folder being built by [`build_folder`], synced.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    create_private_file(path)?;
    let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Creates an empty file readable and writable by its owner only (0600 on Unix; on Windows
/// files inherit the folder's permissions, which are the user's own in their profile).
pub fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}

/// Creates a folder only its owner can enter (0700 on Unix).
fn create_private_folder(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Flushes a file's bytes to the device.
pub fn sync_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)?
        .sync_all()
}

/// Flushes a directory entry (a rename) to the device where the platform allows it.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    {
        // Windows has no directory handle to sync; the rename is flushed with the volume.
        let _ = dir;
    }
}

/// The folder holding `path` ("." for a bare file name).
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A hidden path beside `path` for temporary work.
fn temp_beside(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    folder_of(path).join(format!(".{name}.{}.{tag}", uuid::Uuid::new_v4().simple()))
}

#[cfg(test)]
mod tests;
