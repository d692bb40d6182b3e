//! Why an output was refused or could not be written, in words a person can act on.

use crate::lang::{Lang, Localized};
use std::path::{Path, PathBuf};

/// Why an output was refused or could not be written. Each names the target as given.
#[derive(Debug)]
pub enum OutputError {
    /// The target exists and replacing it was not asked for.
    Exists(PathBuf),
    /// The target is one of the files the command reads.
    IsInput(PathBuf),
    /// The target is a SQLite file (a round file, perhaps another laptop's).
    IsDatabase(PathBuf),
    /// The target is a symbolic link; it is not followed silently.
    Symlink(PathBuf),
    /// The target is a directory, block device or socket, which a file cannot replace.
    NotRegular(PathBuf),
    /// A folder output given a path that is a file.
    NotFolder(PathBuf),
    /// A folder to be replaced holds something that is not a plain output file.
    FolderHolds {
        /// The folder.
        folder: PathBuf,
        /// What it holds (a round file, a sub-folder, an input).
        entry: PathBuf,
    },
    /// The disk is full.
    Full {
        /// The target.
        path: PathBuf,
        /// Bytes the output needed, when known.
        needed: Option<u64>,
    },
    /// The medium is read-only (a write-protected stick, a read-only mount).
    ReadOnly(PathBuf),
    /// Windows: another program (Excel, WPS) holds the target open.
    InUse(PathBuf),
    /// Any other file-system error.
    Io(PathBuf, std::io::Error),
}

impl OutputError {
    /// The target the error is about.
    pub fn path(&self) -> &Path {
        use OutputError::*;
        match self {
            Exists(p)
            | IsInput(p)
            | IsDatabase(p)
            | Symlink(p)
            | NotRegular(p)
            | NotFolder(p)
            | ReadOnly(p)
            | InUse(p)
            | Io(p, _) => p,
            FolderHolds { folder, .. } => folder,
            Full { path, .. } => path,
        }
    }

    /// Names a file-system error on `path` by what the user can do about it.
    pub fn from_io(path: &Path, e: std::io::Error, needed: Option<u64>) -> OutputError {
        match OutputError::media(path, &e) {
            Some(OutputError::Full { path, .. }) => OutputError::Full { path, needed },
            Some(media) => media,
            None if in_use(&e) => OutputError::InUse(path.to_path_buf()),
            None => OutputError::Io(path.to_path_buf(), e),
        }
    }

    /// A file-system error that is a media problem (full disk, read-only medium) on `path`,
    /// for errors reported elsewhere that still deserve the plain words.
    pub fn media(path: &Path, e: &std::io::Error) -> Option<OutputError> {
        use std::io::ErrorKind;
        match e.kind() {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Some(OutputError::Full {
                path: path.to_path_buf(),
                needed: None,
            }),
            ErrorKind::ReadOnlyFilesystem => Some(OutputError::ReadOnly(path.to_path_buf())),
            _ => None,
        }
    }

    /// A SQLite error that is really a media problem (full disk, read-only medium) on `path`.
    pub fn from_sqlite(path: &Path, e: &rusqlite::Error) -> Option<OutputError> {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code()? {
            ErrorCode::DiskFull => Some(OutputError::Full {
                path: path.to_path_buf(),
                needed: None,
            }),
            ErrorCode::ReadOnly | ErrorCode::CannotOpen if read_only_medium(path) => {
                Some(OutputError::ReadOnly(path.to_path_buf()))
            }
            _ => None,
        }
    }
}

/// Whether a Windows rename failed because another program holds the file open.
fn in_use(e: &std::io::Error) -> bool {
    #[cfg(windows)]
    {
        // ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION.
        matches!(e.raw_os_error(), Some(5 | 32 | 33))
    }
    #[cfg(not(windows))]
    {
        let _ = e;
        false
    }
}

/// Whether the file system holding `path` (or its folder) is mounted read-only.
fn read_only_medium(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let probe = if path.exists() { path } else { super::folder_of(path) };
        let Ok(c) = std::ffi::CString::new(probe.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: `c` is a valid NUL-terminated path and `stat` a properly sized, writable
        // statvfs buffer that lives for the call.
        unsafe {
            let mut stat: libc::statvfs = std::mem::zeroed();
            libc::statvfs(c.as_ptr(), &mut stat) == 0 && stat.f_flag & libc::ST_RDONLY != 0
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// A byte count for people: 512 字节, 3.2 MB.
fn size(bytes: u64, lang: Lang) -> String {
    match bytes {
        b if b < 1024 => format!("{b} {}", lang.pick("字节", "bytes")),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

impl Localized for OutputError {
    fn localized(&self, lang: Lang) -> String {
        use OutputError::*;
        let zh = lang == Lang::Zh;
        match self {
            Exists(p) if zh => format!("{} 已存在，未覆盖", p.display()),
            Exists(p) => format!("{} already exists; it was not overwritten", p.display()),
            IsInput(p) if zh => format!("{} 是本次读取的文件，不能同时作为输出（会毁掉它）；未写入", p.display()),
            IsInput(p) => format!(
                "{} is a file this command reads; writing the output over it would destroy it. Nothing was written",
                p.display()
            ),
            IsDatabase(p) if zh => format!(
                "{} 是数据库文件（可能是评查轮次文件），不会被覆盖；请另选输出文件名",
                p.display()
            ),
            IsDatabase(p) => format!(
                "{} is a database file (perhaps a round file); it is never overwritten. Choose another output name",
                p.display()
            ),
            Symlink(p) if zh => format!("{} 是符号链接，不跟随写入；请直接给出目标文件的路径", p.display()),
            Symlink(p) => format!(
                "{} is a symbolic link and is not followed; give the real file's path",
                p.display()
            ),
            NotRegular(p) if zh => format!("{} 不是普通文件（如文件夹或设备），不能写入", p.display()),
            NotRegular(p) => format!(
                "{} is not a regular file (a folder or a device); cannot write it",
                p.display()
            ),
            NotFolder(p) if zh => format!("{} 已存在且不是文件夹", p.display()),
            NotFolder(p) => format!("{} exists and is not a folder", p.display()),
            FolderHolds { folder, entry } if zh => format!(
                "文件夹 {} 中有 {}（不是导出文件），不替换该文件夹；请另选一个文件夹",
                folder.display(),
                entry.display()
            ),
            FolderHolds { folder, entry } => format!(
                "folder {} holds {} (not an exported file); it is not replaced. Choose another folder",
                folder.display(),
                entry.display()
            ),
            Full { path, needed } if zh => match needed {
                Some(n) => format!(
                    "磁盘空间不足：无法写入 {}（约需 {}）。请清理磁盘或换一个位置后重试；原有文件未改动",
                    path.display(),
                    size(*n, lang)
                ),
                None => format!(
                    "磁盘空间不足：无法写入 {}。请清理磁盘或换一个位置后重试；原有文件未改动",
                    path.display()
                ),
            },
            Full { path, needed } => match needed {
                Some(n) => format!(
                    "the disk is full: cannot write {} (about {} needed). Free some space or choose another place; existing files are unchanged",
                    path.display(),
                    size(*n, lang)
                ),
                None => format!(
                    "the disk is full: cannot write {}. Free some space or choose another place; existing files are unchanged",
                    path.display()
                ),
            },
            ReadOnly(p) if zh => format!(
                "{} 所在的磁盘是只读的（如写保护的 U 盘），无法写入；请换一个位置",
                p.display()
            ),
            ReadOnly(p) => format!(
                "{} is on a read-only medium (a write-protected stick?); choose another place",
                p.display()
            ),
            InUse(p) if zh => format!("请先在 Excel/WPS 中关闭「{}」后重试", p.display()),
            InUse(p) => format!("close 「{}」 in Excel/WPS first, then try again", p.display()),
            Io(p, e) if zh => format!("写入 {} 失败：{e}", p.display()),
            Io(p, e) => format!("cannot write {}: {e}", p.display()),
        }
    }
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for OutputError {}
