//! Helpers shared by the TUI tests: a demo round in a temp dir and typing keys into an App.

#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pingcha::lang::Lang;
use pingcha::store::{Identity, Stage, Store};
use pingcha::tui::{App, Event, Options};
use std::path::{Path, PathBuf};

/// Creates the demo round in `dir` and returns its path.
pub fn demo(dir: &Path) -> PathBuf {
    let path = pingcha::demo::path_in(dir);
    pingcha::demo::create(&path, "test-machine").unwrap().close().unwrap();
    path
}

/// Opens the TUI state on `path` as `reviewer` at 初评.
pub fn app(path: &Path, reviewer: &str, lang: Lang) -> App {
    let identity = Identity {
        machine_id: "test-machine".into(),
        reviewer: reviewer.into(),
    };
    let store = Store::open(path, &identity).unwrap();
    App::open(
        store,
        Options {
            lang,
            reviewer: reviewer.into(),
            stage: Stage::Initial,
        },
    )
    .unwrap()
}

/// Types `keys`: each char is a key press, except `<Enter>`, `<Tab>`, `<BackTab>`, `<Esc>`,
/// `<Up>`, `<Down>`, `<BS>` and `<C-x>` (Ctrl with a letter).
pub fn keys(app: &mut App, keys: &str) {
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && end > 1
        {
            let name = &rest[1..end];
            let key = match name {
                "Enter" => KeyEvent::from(KeyCode::Enter),
                "Tab" => KeyEvent::from(KeyCode::Tab),
                "BackTab" => KeyEvent::from(KeyCode::BackTab),
                "Esc" => KeyEvent::from(KeyCode::Esc),
                "Up" => KeyEvent::from(KeyCode::Up),
                "Down" => KeyEvent::from(KeyCode::Down),
                "BS" => KeyEvent::from(KeyCode::Backspace),
                n if n.starts_with("C-") => {
                    KeyEvent::new(KeyCode::Char(n.chars().nth(2).unwrap()), KeyModifiers::CONTROL)
                }
                _ => KeyEvent::from(KeyCode::Char('<')),
            };
            if key.code != KeyCode::Char('<') {
                app.handle(Event::Key(key));
                rest = &rest[end + 1..];
                continue;
            }
        }
        app.handle(Event::Key(KeyEvent::from(KeyCode::Char(c))));
        rest = &rest[c.len_utf8()..];
    }
}

/// Moves the cursor to the line of `node` through the filter (its id matches).
pub fn goto(app: &mut App, node: &str) {
    keys(app, &format!("/<C-u>{node}<Enter>"));
    assert_eq!(
        app.model.selected_row().map(|r| r.id.as_str()),
        Some(node),
        "cursor should be on {node}"
    );
}
