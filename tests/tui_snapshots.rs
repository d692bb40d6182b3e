//! Snapshots of the screen at 80×24 and 120×40: the main screen, the note entry with Chinese
//! text, the help overlay, the case list and the comparison of sheets. Colours are not in the snapshots; the borders
//! are, so double-width text that pushed one out of place would show.

mod common;

use common::{app, demo, keys};
use insta::assert_snapshot;
use pingcha::lang::Lang;
use pingcha::tui::{App, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use unicode_width::UnicodeWidthStr;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// Draws the screen and returns it as text, one line per row; a double-width character's
/// hidden second cell is left out, so every line must be exactly `w` cells wide.
fn draw(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::render(&app.model, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..w {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = UnicodeWidthStr::width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        assert_eq!(
            UnicodeWidthStr::width(line.as_str()),
            w as usize,
            "row {y} is not {w} cells: {line}"
        );
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The demo round as its first reviewer, on the item the demo put a finding on.
fn demo_app(lang: Lang) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    let mut app = app(&path, "张明", lang);
    keys(&mut app, "jj");
    (dir, app)
}

#[test]
fn main_screen() {
    let (_dir, app) = demo_app(Lang::Zh);
    for (w, h) in SIZES {
        assert_snapshot!(format!("main_{w}x{h}"), draw(&app, w, h));
    }
}

#[test]
fn main_screen_in_english() {
    let (_dir, app) = demo_app(Lang::En);
    assert_snapshot!("main_en_120x40", draw(&app, 120, 40));
}

#[test]
fn note_entry_with_chinese_text() {
    let (_dir, mut app) = demo_app(Lang::Zh);
    keys(&mut app, "<Enter>2<Tab><Tab>，另有三份笔录未签名捺印");
    for (w, h) in SIZES {
        assert_snapshot!(format!("entry_{w}x{h}"), draw(&app, w, h));
    }
}

#[test]
fn help_overlay() {
    let (_dir, mut app) = demo_app(Lang::Zh);
    keys(&mut app, "?");
    for (w, h) in SIZES {
        assert_snapshot!(format!("help_{w}x{h}"), draw(&app, w, h));
    }
}

#[test]
fn case_list() {
    let (_dir, mut app) = demo_app(Lang::Zh);
    keys(&mut app, "c");
    for (w, h) in SIZES {
        assert_snapshot!(format!("cases_{w}x{h}"), draw(&app, w, h));
    }
    keys(&mut app, "zw");
    assert_snapshot!("cases_filtered_80x24", draw(&app, 80, 24));
}

#[test]
fn comparison_of_the_reviewers_sheets() {
    let (_dir, mut app) = demo_app(Lang::Zh);
    keys(&mut app, "c=");
    for (w, h) in SIZES {
        assert_snapshot!(format!("compare_{w}x{h}"), draw(&app, w, h));
    }
    // A differing row that is not selected stands out in colour too (snapshots do not show it).
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| view::render(&app.model, f)).unwrap();
    let buffer = terminal.backend().buffer();
    assert_eq!(buffer[(2, 6)].symbol(), "≠");
    assert_eq!(buffer[(2, 6)].fg, Color::Yellow);
    keys(&mut app, "aj");
    assert_snapshot!("compare_all_80x24", draw(&app, 80, 24));
}

#[test]
fn comparison_with_more_sheets_than_fit_scrolls_sideways() {
    use pingcha::score::Quantity;
    use pingcha::store::{Identity, NewFinding, Stage, Store};
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    for (i, who) in ["王芳", "赵磊", "孙丽"].into_iter().enumerate() {
        let identity = Identity {
            machine_id: format!("m-{i}"),
            reviewer: who.into(),
        };
        let mut store = Store::open(&path, &identity).unwrap();
        let case = store.cases().unwrap().into_iter().next().unwrap();
        let sheet = store.sheet(&case.id, Stage::Initial).unwrap();
        let new = NewFinding {
            node: "sszj.sz".into(),
            quantity: Quantity::Count(i as u32 + 1),
            note: format!("{who}的记录"),
            volume: None,
            page: None,
            problem: None,
            repeat: false,
        };
        store.add_finding(&sheet, &new).unwrap();
        store.close().unwrap();
    }
    let mut app = app(&path, "张明", Lang::Zh);
    keys(&mut app, "c=");
    let first = draw(&app, 80, 24);
    assert!(first.contains("‹h 表1–3/5 l›"), "{first}");
    assert_snapshot!("compare_scroll_80x24", first);
    keys(&mut app, "ll");
    let last = draw(&app, 80, 24);
    assert!(
        last.contains("‹h 表3–5/5 l›") && last.contains("李华·初评") && !last.contains("孙丽·初评"),
        "{last}"
    );
    keys(&mut app, "lllll");
    assert!(
        draw(&app, 80, 24).contains("‹h 表5–5/5 l›"),
        "l stops at the last sheet"
    );
    keys(&mut app, "h");
    assert!(draw(&app, 80, 24).contains("‹h 表4–5/5 l›"), "every h moves the view");
    keys(&mut app, "hh");
    assert!(draw(&app, 80, 24).contains("‹h 表2–4/5 l›"));
    let wide = draw(&app, 120, 40);
    assert!(
        !wide.contains('‹') && wide.contains("孙丽·初评") && wide.contains("李华·初评"),
        "wider: all five fit\n{wide}"
    );
}

#[test]
fn tiny_and_huge_terminals_do_not_panic() {
    let (_dir, mut app) = demo_app(Lang::Zh);
    for keys_for_mode in [
        "",
        "?",
        "c",
        "<Esc>e",
        "<Esc>G",
        "<Esc>s自述",
        "<Esc>p",
        "<Esc>jj<Enter>2<Tab>",
        "<Esc>/sszj",
        "<Esc>c=",
        "a",
    ] {
        keys(&mut app, keys_for_mode);
        for (w, h) in [(1, 1), (10, 4), (30, 8), (200, 60), (300, 100)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| view::render(&app.model, f)).unwrap();
        }
    }
}
