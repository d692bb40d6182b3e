//! The real terminal: raw mode, alternate screen, bracketed paste, and putting it all back on
//! exit, on panic, on SIGTERM/SIGHUP (Unix) and on closing the console window, Ctrl-Break,
//! logoff and shutdown (Windows). Ctrl-C arrives as a key in raw mode on both.

use super::effects::App;
use super::paste;
use super::update::Event;
use super::view;
use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event as TermEvent};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How often the loop looks for a termination signal while no key arrives.
const TICK: Duration = Duration::from_millis(200);

/// Whether pasted text arrives as key presses: crossterm reports a paste as one event where the
/// terminal brackets it (Unix terminals), but not on Windows consoles. There, key presses are
/// read in bursts and a burst of text is taken for a paste (see [`paste`]).
const PASTES_AS_KEYS: bool = cfg!(windows);

/// The most key presses read as one burst (a long note pasted at once).
const MAX_BURST: usize = 100_000;

/// Puts the terminal back as it was. Safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Restores the terminal when dropped, whatever way the loop ends.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Restores the terminal before the previous panic hook prints the message.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// How long a termination signal gives the loop to end by itself before the process leaves.
const GRACE: Duration = Duration::from_secs(1);

/// A flag set when SIGTERM or SIGHUP arrives.
///
/// The loop checks it every tick. When the terminal itself has gone (a closed SSH session, a
/// killed tmux pane), crossterm keeps reading end-of-file and never returns to the loop, so a
/// watcher thread restores the terminal and exits after [`GRACE`]. Nothing is lost: every
/// confirmed finding and every draft keystroke was committed when it happened.
#[cfg(unix)]
fn termination_flag() -> io::Result<Arc<AtomicBool>> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let flag = Arc::new(AtomicBool::new(false));
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    let seen = Arc::clone(&flag);
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            seen.store(true, Ordering::Relaxed);
            std::thread::sleep(GRACE);
            restore();
            std::process::exit(128 + signal);
        }
    });
    Ok(flag)
}

/// A flag set when the console window is closed, Ctrl-Break is pressed, or the user logs off
/// or shuts down: Windows' counterparts of SIGHUP and SIGTERM.
///
/// Windows calls the handler on a thread of its own and ends the process as soon as the
/// handler returns (for close, logoff and shutdown; at the latest after about 5 s). So the
/// handler itself sets the flag, gives the loop [`GRACE`] to close the round file (which
/// removes the -wal beside it), restores the terminal and exits, as the Unix watcher does.
/// This is why it is registered with windows-sys directly: `ctrlc` returns from the handler at
/// once and runs the user's code on another thread, which Windows may not let finish.
#[cfg(windows)]
fn termination_flag() -> io::Result<Arc<AtomicBool>> {
    use std::sync::OnceLock;
    use windows_sys::Win32::Foundation::{FALSE, TRUE};
    use windows_sys::Win32::System::Console::{
        CTRL_BREAK_EVENT, CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT, SetConsoleCtrlHandler,
    };
    /// The flag the handler sets; one for the process, as the handler is.
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    /// What Windows itself reports for a console program ended by Ctrl-C/Ctrl-Break/close.
    const STATUS_CONTROL_C_EXIT: u32 = 0xC000_013A;

    extern "system" fn handler(event: u32) -> windows_sys::core::BOOL {
        match event {
            CTRL_BREAK_EVENT | CTRL_CLOSE_EVENT | CTRL_LOGOFF_EVENT | CTRL_SHUTDOWN_EVENT => {
                if let Some(flag) = FLAG.get() {
                    flag.store(true, Ordering::Relaxed);
                }
                std::thread::sleep(GRACE);
                restore();
                std::process::exit(STATUS_CONTROL_C_EXIT as i32);
            }
            // Ctrl-C outside raw mode keeps its default; in raw mode it is a key.
            _ => FALSE,
        }
    }

    let flag = Arc::clone(FLAG.get_or_init(|| Arc::new(AtomicBool::new(false))));
    // SAFETY: `handler` is a valid HandlerRoutine for the life of the process (a plain fn).
    if unsafe { SetConsoleCtrlHandler(Some(handler), TRUE) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(flag)
}

/// Neither Unix nor Windows: no termination signals to register; the flag is never set.
#[cfg(not(any(unix, windows)))]
fn termination_flag() -> io::Result<Arc<AtomicBool>> {
    Ok(Arc::new(AtomicBool::new(false)))
}

/// Runs the TUI until the reviewer quits or a termination signal arrives, then closes the
/// store. Every write has been committed as it happened, so quitting saves nothing new; what
/// fails in closing is returned as a warning.
pub fn run(mut app: App) -> Result<Option<crate::store::StoreError>, RunError> {
    let stop = termination_flag()?;
    install_panic_hook();
    enable_raw_mode()?;
    let guard = Guard;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    let mut terminal: Terminal<CrosstermBackend<Stdout>> = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    terminal.clear()?;
    while !app.model.quit && !stop.load(Ordering::Relaxed) {
        terminal.draw(|frame| view::render(&app.model, frame))?;
        if !event::poll(TICK)? {
            app.reload_if_changed();
            continue;
        }
        match event::read()? {
            TermEvent::Key(key) if PASTES_AS_KEYS => {
                let (burst, next) = read_burst(key)?;
                for event in paste::sort_keys(&burst) {
                    app.handle(event);
                }
                if let Some(TermEvent::Paste(text)) = next {
                    app.handle(Event::Paste(text));
                }
            }
            TermEvent::Key(key) => app.handle(Event::Key(key)),
            TermEvent::Paste(text) => app.handle(Event::Paste(text)),
            _ => {}
        }
    }
    drop(guard);
    Ok(app.finish())
}

/// Reads the key presses that follow `first` within [`paste::BURST_GAP`] of each other, with
/// the time each was read; also returns the first event that was not a key, if one ended it.
fn read_burst(first: event::KeyEvent) -> io::Result<(Vec<paste::TimedKey>, Option<TermEvent>)> {
    let mut burst = vec![(first, Instant::now())];
    while burst.len() < MAX_BURST && event::poll(paste::BURST_GAP)? {
        match event::read()? {
            TermEvent::Key(key) => burst.push((key, Instant::now())),
            other => return Ok((burst, Some(other))),
        }
    }
    Ok((burst, None))
}

/// Why the TUI stopped with an error.
#[derive(Debug)]
pub enum RunError {
    /// The terminal could not be set up, read or drawn to.
    Terminal(io::Error),
}

impl From<io::Error> for RunError {
    fn from(e: io::Error) -> Self {
        RunError::Terminal(e)
    }
}

impl crate::lang::Localized for RunError {
    fn localized(&self, lang: crate::lang::Lang) -> String {
        match self {
            RunError::Terminal(e) => format!("{}{e}", lang.pick("终端错误：", "terminal error: ")),
        }
    }
}
