//! The CLI's standard output: a reader that goes away (`pingcha ledger list | head -1`) ends the
//! command quietly on every platform.
//!
//! On Unix the default SIGPIPE action already ends the process (see `end_quietly_on_closed_pipe`
//! in the parent module). Windows has no SIGPIPE: the write fails with
//! [`std::io::ErrorKind::BrokenPipe`] (os error 232/233), and std's `println!` turns that into a
//! panic. The crate root's `println!` comes here instead; a closed pipe unwinds the
//! command with [`ClosedPipe`] (no panic message: `resume_unwind` skips the panic hook), so open
//! round files are closed by their destructors, and [`main`](super::main) exits with
//! [`CLOSED_PIPE_EXIT`].

use std::fmt;
use std::io::{self, Write};

/// The unwinding payload of a write to a reader that went away.
pub struct ClosedPipe;

/// The exit status after the reader went away: what Unix shells report for a process ended by
/// SIGPIPE (128 + 13), and what git uses on Windows for the same case.
pub const CLOSED_PIPE_EXIT: u8 = 141;

/// Whether colour codes may be printed: stdout is a terminal that interprets them.
pub fn colour() -> bool {
    use std::io::IsTerminal;
    io::stdout().is_terminal() && interprets_colour_codes()
}

/// A Windows console interprets colour codes only in VT mode, which this switches on (crossterm
/// does it, as for the reviewer's screen); where it cannot be (older consoles), no codes are
/// printed at all.
#[cfg(windows)]
fn interprets_colour_codes() -> bool {
    crossterm::ansi_support::supports_ansi()
}

/// Unix terminals interpret colour codes.
#[cfg(not(windows))]
fn interprets_colour_codes() -> bool {
    true
}

/// Writes a line to stdout, as `println!` does.
pub fn line(args: fmt::Arguments<'_>) {
    settle(write_line(&mut io::stdout().lock(), args));
}

/// Writes raw bytes to stdout (`-o -`).
pub fn bytes(data: &[u8]) {
    let mut out = io::stdout().lock();
    settle(out.write_all(data).and_then(|()| out.flush()));
}

/// Writes `args` and a newline to `out` and flushes, so that an error shows here, not later.
fn write_line(out: &mut impl Write, args: fmt::Arguments<'_>) -> io::Result<()> {
    out.write_fmt(args)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// A closed pipe unwinds with [`ClosedPipe`]; any other write error panics as std's `println!`
/// does (stdout that cannot be written to is a broken environment, not a user mistake).
fn settle(result: io::Result<()>) {
    match result {
        Ok(()) => {}
        Err(e) if is_closed_pipe(&e) => std::panic::resume_unwind(Box::new(ClosedPipe)),
        Err(e) => panic!("failed printing to stdout: {e}"),
    }
}

/// Whether a write failed because the reading end of the pipe has gone.
fn is_closed_pipe(e: &io::Error) -> bool {
    closed_pipe(e.kind(), e.raw_os_error(), cfg!(windows))
}

/// Windows' "no process is on the other end of the pipe" (what Wine and some Windows pipes
/// report once the reader has exited), which std does not count as [`io::ErrorKind::BrokenPipe`].
const ERROR_PIPE_NOT_CONNECTED: i32 = 233;

/// [`is_closed_pipe`] for an error of `kind` with OS code `code`, on Windows or not.
fn closed_pipe(kind: io::ErrorKind, code: Option<i32>, windows: bool) -> bool {
    kind == io::ErrorKind::BrokenPipe || (windows && code == Some(ERROR_PIPE_NOT_CONNECTED))
}

/// Runs the command; a [`ClosedPipe`] unwind becomes `Err(())`, every other panic goes on.
pub fn catch_closed_pipe<T>(command: impl FnOnce() -> T) -> Result<T, ()> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(command)) {
        Ok(value) => Ok(value),
        Err(payload) if payload.is::<ClosedPipe>() => Err(()),
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that went away after `room` bytes, as a pipe to `head` does.
    struct Pipe {
        room: usize,
        got: Vec<u8>,
    }

    impl Write for Pipe {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                // What Windows reports (ERROR_NO_DATA, 232) and Unix without SIGPIPE (EPIPE).
                return Err(io::Error::from(io::ErrorKind::BrokenPipe));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            self.got.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_line_reaches_an_open_pipe_whole() {
        let mut pipe = Pipe {
            room: 100,
            got: Vec::new(),
        };
        write_line(&mut pipe, format_args!("台账 {}", 1)).unwrap();
        assert_eq!(String::from_utf8(pipe.got).unwrap(), "台账 1\n");
    }

    #[test]
    fn a_closed_pipe_is_recognised_by_its_kind() {
        let mut pipe = Pipe {
            room: 3,
            got: Vec::new(),
        };
        let e = write_line(&mut pipe, format_args!("整改台账")).unwrap_err();
        assert!(is_closed_pipe(&e));
        assert!(!is_closed_pipe(&io::Error::from(io::ErrorKind::PermissionDenied)));
    }

    #[test]
    fn windows_pipe_not_connected_is_a_closed_pipe_there_only() {
        use io::ErrorKind::{BrokenPipe, Other, PermissionDenied};
        // ERROR_BROKEN_PIPE (109) and ERROR_NO_DATA (232) reach us as BrokenPipe.
        assert!(closed_pipe(BrokenPipe, Some(232), true));
        assert!(closed_pipe(Other, Some(233), true), "os error 233, seen under Wine");
        assert!(!closed_pipe(Other, Some(233), false));
        assert!(!closed_pipe(PermissionDenied, Some(5), true));
    }

    #[test]
    fn a_closed_pipe_ends_the_command_quietly_and_runs_destructors() {
        struct Closes<'a>(&'a std::cell::Cell<bool>);
        impl Drop for Closes<'_> {
            fn drop(&mut self) {
                self.0.set(true);
            }
        }
        let closed = std::cell::Cell::new(false);
        let ended = catch_closed_pipe(|| {
            let _store = Closes(&closed);
            settle(Err(io::Error::from(io::ErrorKind::BrokenPipe)));
            "never reached"
        });
        assert!(ended.is_err());
        assert!(closed.get(), "the round file's destructor must run");
        assert_eq!(catch_closed_pipe(|| 7), Ok(7));
    }

    #[test]
    fn other_panics_are_not_taken_for_a_closed_pipe() {
        let other = std::panic::catch_unwind(|| catch_closed_pipe(|| settle(Err(io::Error::other("disk")))));
        assert!(other.is_err());
    }
}
