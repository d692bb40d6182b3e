//! The real terminal: raw mode, alternate screen, bracketed paste, and putting it all back on
//! exit, on panic and on SIGTERM/SIGHUP (Unix; elsewhere the process has no such signals to
//! catch and Ctrl-C arrives as a key in raw mode).

use super::effects::App;
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
use std::time::Duration;

/// How often the loop looks for a termination signal while no key arrives.
const TICK: Duration = Duration::from_millis(200);

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
#[cfg(unix)]
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

/// Without Unix signals there is nothing to register; the flag is never set.
#[cfg(not(unix))]
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
            TermEvent::Key(key) => app.handle(Event::Key(key)),
            TermEvent::Paste(text) => app.handle(Event::Paste(text)),
            _ => {}
        }
    }
    drop(guard);
    Ok(app.finish())
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
