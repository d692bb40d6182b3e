//! Several programs, one round file: who may write it now, and who is.
//!
//! Writers that work inside the file — the reviewer's screen for its whole session, every
//! writing command while it runs — hold a **shared** lock on `<file>.lock` beside it. SQLite
//! already serialises their transactions (WAL, busy timeout), so they may overlap safely. What
//! must never meet an open writer is the file being *replaced*: `merge --into` builds the result
//! beside the file and renames it over it, and a writer still holding the old file would go on
//! writing into a file nobody reads (its log even lands on the new one). So the replacement
//! holds the lock **exclusively**, from reading the base to the rename, and each side waits
//! [`WAIT`] for the other before giving up with [`StoreError::InUse`], naming who holds it.
//!
//! The lock is an OS advisory lock (`File::lock`: `flock` on Unix, `LockFileEx` on Windows),
//! chosen over holding a SQLite transaction because the screen must hold it for hours while
//! committing every finding as it is typed. The OS drops it when the process ends, however it
//! ends, so a crash leaves no stale lock; the small lock file itself stays (deleting it would
//! race with a program about to open it).
//!
//! Who holds it: each holder appends one line (process, what it runs, reviewer, since when) to
//! the lock file; lines of processes that are gone are ignored, and the list is cleared by the
//! next holder that finds the file free. This is best effort (on Windows a locked file cannot
//! be read or appended to by others): the lock itself is what protects the file.

use super::clock;
use super::{Result, StoreError};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long a writer waits for another to let go before saying who holds the file.
pub const WAIT: Duration = Duration::from_secs(3);

/// How often a waiting writer tries again.
const POLL: Duration = Duration::from_millis(10);

/// What this process says it is running, set once by the command line (e.g. `finding add`).
static COMMAND: OnceLock<String> = OnceLock::new();

/// The `what` of the reviewer's screen: the command that opens it.
pub const SCREEN: &str = "open";

/// Records what this process runs, for the lock file's list of holders.
pub fn set_command(command: &str) {
    let _ = COMMAND.set(command.to_owned());
}

/// One program holding a round file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// Its process id.
    pub pid: u32,
    /// What it runs: a subcommand such as `finding add`, or [`SCREEN`].
    pub what: String,
    /// The reviewer it writes as ("" when it writes as nobody, e.g. a merge).
    pub reviewer: String,
    /// When it took the file (Unix milliseconds).
    pub since_ms: i64,
}

impl Holder {
    fn me(reviewer: &str) -> Holder {
        Holder {
            pid: std::process::id(),
            what: COMMAND.get().cloned().unwrap_or_default(),
            reviewer: reviewer.to_owned(),
            since_ms: clock::wall_millis(),
        }
    }

    fn line(&self) -> String {
        let clean = |s: &str| -> String { s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect() };
        format!(
            "{}\t{}\t{}\t{}\n",
            self.pid,
            clean(&self.what),
            clean(&self.reviewer),
            self.since_ms
        )
    }

    fn parse(line: &str) -> Option<Holder> {
        let mut parts = line.split('\t');
        Some(Holder {
            pid: parts.next()?.parse().ok()?,
            what: parts.next()?.to_owned(),
            reviewer: parts.next()?.to_owned(),
            since_ms: parts.next()?.trim().parse().ok()?,
        })
    }

    /// Whether this is the reviewer's screen.
    pub fn is_screen(&self) -> bool {
        self.what == SCREEN
    }

    /// When it took the file, Beijing time.
    pub fn since(&self) -> String {
        clock::format_beijing(self.since_ms)
    }
}

/// How a round file is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Writing inside the file, beside other such writers.
    Shared,
    /// Replacing the file: nobody else may have it open for writing.
    Exclusive,
}

/// A held lock on a round file; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct Lock {
    _file: File,
    /// Others who held the file when it was taken (only ever non-empty for [`Mode::Shared`]).
    pub others: Vec<Holder>,
}

/// The lock file of a round file: `<file>.lock` beside it.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".lock");
    PathBuf::from(p)
}

impl Lock {
    /// Takes the lock on `db` as `mode`, waiting up to `wait` for holders of the other mode.
    pub fn take(db: &Path, mode: Mode, reviewer: &str, wait: Duration) -> Result<Lock> {
        let path = lock_path(db);
        // Named by the round file: the lock file is pingcha's business, not the user's.
        let mut file = open(&path).map_err(|e| StoreError::Io(db.to_path_buf(), e))?;
        let me = Holder::me(reviewer);
        let deadline = Instant::now() + wait;
        let mut listed = false;
        loop {
            // Nobody holds the file: the list is stale, start it afresh with this holder.
            if try_take(&file, Mode::Exclusive, &path)? {
                let _ = file.set_len(0).and_then(|()| file.write_all(me.line().as_bytes()));
                listed = true;
                if mode == Mode::Exclusive {
                    return Ok(Lock {
                        _file: file,
                        others: Vec::new(),
                    });
                }
                // Let go of the exclusive lock by closing the handle, not with `unlock`: Wine
                // answers std's second UnlockFile with a lock violation where Windows says
                // "not locked", and closing releases a handle's locks on every platform.
                drop(file);
                file = open(&path).map_err(|e| StoreError::Io(db.to_path_buf(), e))?;
            }
            if mode == Mode::Shared && try_take(&file, Mode::Shared, &path)? {
                if !listed {
                    // Best effort: Windows refuses writes to a region others lock.
                    let _ = file.write_all(me.line().as_bytes());
                }
                let others = holders(&path).into_iter().filter(|h| h.pid != me.pid).collect();
                return Ok(Lock { _file: file, others });
            }
            if Instant::now() >= deadline {
                return Err(StoreError::InUse {
                    path: db.to_path_buf(),
                    holders: holders(&path).into_iter().filter(|h| h.pid != me.pid).collect(),
                });
            }
            std::thread::sleep(POLL);
        }
    }
}

fn open(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Tries to take `file` as `mode` without waiting.
fn try_take(file: &File, mode: Mode, path: &Path) -> Result<bool> {
    let got = match mode {
        Mode::Shared => file.try_lock_shared(),
        Mode::Exclusive => file.try_lock(),
    };
    match got {
        Ok(()) => Ok(true),
        Err(TryLockError::WouldBlock) => Ok(false),
        Err(TryLockError::Error(e)) => Err(StoreError::Io(path.to_path_buf(), e)),
    }
}

/// The holders listed in a lock file whose processes still run (as far as this platform can
/// tell), oldest first, one per process.
fn holders(path: &Path) -> Vec<Holder> {
    let mut text = String::new();
    if File::open(path).and_then(|mut f| f.read_to_string(&mut text)).is_err() {
        return Vec::new();
    }
    let mut out: Vec<Holder> = Vec::new();
    for h in text.lines().filter_map(Holder::parse) {
        if alive(h.pid) && !out.iter().any(|o| o.pid == h.pid) {
            out.push(h);
        }
    }
    out
}

#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists and may be signalled.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_holders_coexist_and_keep_the_replacement_out_naming_them() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("team.db");
        let a = Lock::take(&db, Mode::Shared, "张明", Duration::ZERO).unwrap();
        assert!(a.others.is_empty());
        let b = Lock::take(&db, Mode::Shared, "李华", Duration::ZERO).unwrap();
        // One process: the second handle does not count itself as another holder.
        assert!(b.others.is_empty());
        let err = Lock::take(&db, Mode::Exclusive, "", Duration::from_millis(30)).unwrap_err();
        let StoreError::InUse { holders, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(holders.is_empty(), "only this process holds it: {holders:?}");
        drop((a, b));
        let x = Lock::take(&db, Mode::Exclusive, "", Duration::ZERO).unwrap();
        assert!(Lock::take(&db, Mode::Shared, "张明", Duration::from_millis(30)).is_err());
        drop(x);
        assert!(Lock::take(&db, Mode::Shared, "张明", Duration::ZERO).is_ok());
    }

    #[test]
    fn holder_lines_round_trip_without_control_characters() {
        let h = Holder {
            pid: 42,
            what: "finding add".into(),
            reviewer: "张\t明\n".into(),
            since_ms: 1_700_000_000_000,
        };
        let parsed = Holder::parse(h.line().trim_end()).unwrap();
        assert_eq!(parsed.reviewer, "张 明 ");
        assert_eq!((parsed.pid, parsed.what.as_str()), (42, "finding add"));
    }
}
