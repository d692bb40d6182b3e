//! The organiser's side on the reviewer's screen: the case list with 我的案件 first (and `^O`
//! for only those), and the progress view `P` with the figures of `pingcha progress`, coloured
//! like the ledger. Snapshots at 80×24, 120×40 and 200×60; colours asserted on the buffer.

mod common;

use common::{app, demo, draw, keys};
use insta::assert_snapshot;
use pingcha::lang::Lang;
use pingcha::organise::progress::{By, progress};
use pingcha::store::{Assignment, Identity, NewReviewer, Store};
use pingcha::tui::model::Mode;
use pingcha::tui::{App, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use std::path::Path;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 60)];

/// The demo round with a third reviewer, 王芳, and an assignment: 张明 the 4th, 6th and 10th
/// cases, 李华 the first two (which the demo scored twice), 王芳 the last two (nobody scored).
fn assigned_demo(dir: &Path) -> std::path::PathBuf {
    let path = demo(dir);
    let identity = Identity {
        machine_id: "test-machine".into(),
        reviewer: "组织者".into(),
    };
    let mut store = Store::open(&path, &identity).unwrap();
    store.add_reviewers(&[NewReviewer::named("王芳")]).unwrap();
    let cases = store.cases().unwrap();
    let n = cases.len();
    let pick = |who: &str, at: &[usize]| -> Vec<Assignment> {
        at.iter()
            .map(|&i| Assignment {
                case_id: cases[i].id.clone(),
                reviewer: who.into(),
                override_reason: String::new(),
            })
            .collect()
    };
    let mut rows = pick("张明", &[3, 5, 9]);
    rows.extend(pick("李华", &[0, 1]));
    rows.extend(pick("王芳", &[n - 2, n - 1]));
    store.assign(&rows, false).unwrap();
    store.close().unwrap();
    path
}

fn opened(lang: Lang) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let path = assigned_demo(dir.path());
    let app = app(&path, "张明", lang);
    (dir, app)
}

#[test]
fn the_case_list_heads_my_cases_first_and_ctrl_o_shows_only_them() {
    let (_dir, mut app) = opened(Lang::Zh);
    let first: Vec<&str> = app.model.cases.iter().take(3).map(|c| c.case_no.as_str()).collect();
    let mine: Vec<String> = app
        .model
        .cases
        .iter()
        .filter(|c| app.model.mine.contains(&c.id))
        .map(|c| c.case_no.clone())
        .collect();
    assert_eq!(first, mine, "my cases come first");
    keys(&mut app, "c");
    for (w, h) in SIZES {
        let screen = draw(&app, w, h);
        assert!(
            screen.contains("我的案件（3 件）") && screen.contains("其他案件"),
            "{screen}"
        );
        assert_snapshot!(format!("cases_mine_{w}x{h}"), screen);
    }
    keys(&mut app, "<C-o>");
    assert!(app.model.mine_only);
    let screen = draw(&app, 80, 24);
    assert!(!screen.contains("其他案件"), "{screen}");
    assert_snapshot!("cases_mine_only_80x24", screen);
    // Every case stays reachable: ^O again lists them all.
    keys(&mut app, "<C-o>");
    assert!(!app.model.mine_only);
    assert!(draw(&app, 80, 24).contains("其他案件"));
}

/// The foreground colour of the first cell of screen row `y` inside the border.
fn fg_at(app: &App, w: u16, h: u16, y: u16) -> Color {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::render(&app.model, f)).unwrap();
    terminal.backend().buffer()[(1, y)].fg
}

#[test]
fn p_shows_the_rounds_progress_as_the_library_counts_it_coloured_and_esc_returns() {
    let (dir, mut app) = opened(Lang::Zh);
    keys(&mut app, "P");
    assert!(matches!(app.model.mode, Mode::Progress(_)));
    // The same lines as `pingcha progress` (the same library call).
    let path = pingcha::demo::path_in(dir.path());
    let want = progress(&Store::open_read_only(&path).unwrap(), By::Reviewer).unwrap();
    assert_eq!(app.model.team.as_ref(), Some(&want));
    let names: Vec<&str> = want.iter().map(|l| l.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(
        (names.len(), &names),
        (3, &sorted),
        "one line per reviewer, in name order"
    );
    for (w, h) in SIZES {
        assert_snapshot!(format!("progress_{w}x{h}"), draw(&app, w, h));
    }
    // Rows: title border (0), hint (1), header (2), then one per reviewer in name order.
    let row = |name: &str| 3 + names.iter().position(|n| *n == name).unwrap() as u16;
    let wang = &want[names.iter().position(|n| *n == "王芳").unwrap()];
    assert_eq!((wang.assigned, wang.not_started), (2, 2));
    keys(&mut app, "j");
    assert_eq!(fg_at(&app, 120, 40, row("王芳")), Color::Red, "nothing started: red");
    assert_eq!(
        fg_at(&app, 120, 40, row("李华")),
        Color::Yellow,
        "未定稿 to settle: yellow"
    );
    assert_eq!(fg_at(&app, 120, 40, row("张明")), Color::Reset, "under way: plain");
    let screen = draw(&app, 120, 40);
    assert!(screen.contains("未开始"), "{screen}");
    keys(&mut app, "<Esc>");
    assert!(matches!(app.model.mode, Mode::Browse));
}

#[test]
fn the_progress_view_in_english_and_help_lists_p() {
    let (_dir, mut app) = opened(Lang::En);
    keys(&mut app, "P");
    assert_snapshot!("progress_en_120x40", draw(&app, 120, 40));
    keys(&mut app, "q?");
    let help = draw(&app, 200, 60);
    assert!(
        help.contains("round progress by reviewer") && help.contains("^O"),
        "{help}"
    );
}
