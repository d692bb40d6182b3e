//! Snapshots of the screen at 80×24, 120×40 and 200×60: the main screen, the note entry with Chinese
//! text, the help overlay, the case list, the comparison of sheets and the rectification
//! ledger. Colours are not in the snapshots (the tests assert them on the buffer's cells); the
//! borders are, so double-width text that pushed one out of place would show.

mod common;

use common::{LEDGER_TODAY, app, demo, draw, keys, ledger_fixture};
use insta::assert_snapshot;
use pingcha::lang::Lang;
use pingcha::tui::model::Mode;
use pingcha::tui::{App, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use unicode_width::UnicodeWidthStr;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 60)];

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
    let screen = draw(&app, 120, 40);
    // 卷/页 in English words, the same function as the status line's ("1v3p" before).
    assert!(screen.contains("vol. 1 p. 3") && !screen.contains("1v3p"), "{screen}");
    assert_snapshot!("main_en_120x40", screen);
}

#[test]
fn note_entry_with_chinese_text() {
    let (_dir, mut app) = demo_app(Lang::Zh);
    // A note of three rows at 120×40, edited in its middle (the cursor is not drawn).
    keys(
        &mut app,
        "<Enter>2<Tab><Tab>，另有三份笔录未签名捺印，询问时间与审批表记载的时间不一致，笔录末页无确认字样",
    );
    for (w, h) in SIZES {
        assert_snapshot!(format!("entry_{w}x{h}"), draw(&app, w, h));
    }
}

#[test]
fn finding_detail_shows_the_selected_finding_in_full() {
    let (_dir, mut app) = demo_app(Lang::Zh);
    keys(
        &mut app,
        "<Enter>1<Tab>，另缺任职文件和职责分工文件，既往受处理处分情况证明也未调取，身份材料仅有本人自述<Enter>2<Enter>7<Enter>J",
    );
    for (w, h) in SIZES {
        assert_snapshot!(format!("detail_{w}x{h}"), draw(&app, w, h));
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
    // Names, not rubric ids; the place in words, not "（1/3）"; the table only as tall as it
    // needs, the notes below it from the seventh row of the screen on.
    let wide = draw(&app, 200, 60);
    assert!(!wide.contains("sszj.sfcl") && !wide.contains("（1/3）"), "{wide}");
    assert!(wide.contains("第1卷第3页"), "{wide}");
    let notes_at = wide.lines().position(|l| l.contains("记录 被审查调查人")).unwrap();
    assert!(notes_at < 10, "notes start on row {notes_at}\n{wide}");
    for (w, h) in SIZES {
        assert_snapshot!(format!("compare_{w}x{h}"), draw(&app, w, h));
    }
    // A differing row that is not selected stands out in colour too (snapshots do not show it).
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| view::render(&app.model, f)).unwrap();
    let buffer = terminal.backend().buffer();
    // Row 5 is the heading of 事实证据, row 6 the selected item, row 7 the differing one.
    assert!(draw(&app, 80, 24).lines().nth(5).unwrap().contains("── 事实证据 ──"));
    assert_eq!(buffer[(2, 7)].symbol(), "≠");
    assert_eq!(buffer[(2, 7)].fg, Color::Yellow);
    keys(&mut app, "aj");
    assert_snapshot!("compare_all_80x24", draw(&app, 80, 24));
}

/// `text` with what differs per run replaced by placeholders of the same width: the clock
/// times of history lines (`YYYY-MM-DD HH:MM`, when the fixture ran) and the entry id in the
/// detail's title (derived from the demo's random finding ids).
fn mask_times(text: &str) -> String {
    let text = mask_after(text, "详情 ", 8);
    let text = mask_after(&text, "entry ", 8);
    let chars: Vec<char> = text.chars().collect();
    let shape = "0000-00-00 00:00";
    let fits = |at: usize| {
        shape.chars().enumerate().all(|(i, s)| {
            chars
                .get(at + i)
                .is_some_and(|&c| if s == '0' { c.is_ascii_digit() } else { c == s })
        })
    };
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if fits(i) {
            out.push_str("YYYY-MM-DD hh:mm");
            i += shape.len();
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// `text` with the `n` characters after each `marker` replaced by `#`.
fn mask_after(text: &str, marker: &str, n: usize) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        let (head, tail) = rest.split_at(at + marker.len());
        out.push_str(head);
        let cut = tail.char_indices().nth(n).map_or(tail.len(), |(i, _)| i);
        out.push_str(&"#".repeat(tail[..cut].chars().count()));
        rest = &tail[cut..];
    }
    out.push_str(rest);
    out
}

/// The demo round with the ledger fixture, judged on [`LEDGER_TODAY`], ledger view open.
fn ledger_app(lang: Lang) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    ledger_fixture(&path);
    let mut app = app(&path, "张明", lang);
    app.model.today = LEDGER_TODAY.parse().expect("a date");
    keys(&mut app, "L");
    (dir, app)
}

/// The foreground colour every cell of the table row at `y` has, between the borders (panics
/// if the cells of the row disagree); a double-width character's hidden second cell is skipped.
fn row_colour(buffer: &ratatui::buffer::Buffer, y: u16) -> Color {
    let w = buffer.area.width;
    let fg = buffer[(1, y)].fg;
    let mut x = 1;
    while x < w - 1 {
        let cell = &buffer[(x, y)];
        assert_eq!(cell.fg, fg, "row {y} changes colour at column {x}");
        x += UnicodeWidthStr::width(cell.symbol()).max(1) as u16;
    }
    fg
}

#[test]
fn ledger_view_in_three_colours() {
    let (_dir, mut app) = ledger_app(Lang::Zh);
    // The closed-on-time entry (third) is selected, so its history shows.
    keys(&mut app, "jj");
    for (w, h) in SIZES {
        assert_snapshot!(format!("ledger_{w}x{h}"), mask_times(&draw(&app, w, h)));
    }
    // Rows by the fixture: overdue, due soon, closed on time, closed late, due today, far off,
    // overdue, then no deadline. The table's first entry is on row 3 (border, filters, head).
    let expected = [
        ("逾期12天", Color::Red),
        ("剩4天", Color::Yellow),
        ("按期销号", Color::Green),
        ("超期销号", Color::Reset),
        ("今日到期", Color::Yellow),
        ("", Color::Reset),
        ("逾期1天", Color::Red),
        ("", Color::Reset),
    ];
    for (w, h) in SIZES {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| view::render(&app.model, f)).unwrap();
        let buffer = terminal.backend().buffer();
        let text = draw(&app, w, h);
        let lines: Vec<&str> = text.lines().collect();
        for (i, (flag, colour)) in expected.iter().enumerate() {
            let y = 3 + i as u16;
            assert!(lines[y as usize].contains(flag), "row {y}: {}", lines[y as usize]);
            assert_eq!(row_colour(buffer, y), *colour, "row {y}: {}", lines[y as usize]);
        }
        // The selected row keeps its colour, reversed.
        assert!(buffer[(2, 5)].modifier.contains(ratatui::style::Modifier::REVERSED));
    }
    // A shorter warning window: the entry four days off is no longer yellow.
    app.model.opts.due_days = 3;
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| view::render(&app.model, f)).unwrap();
    assert_eq!(row_colour(terminal.backend().buffer(), 4), Color::Reset);
    assert_eq!(row_colour(terminal.backend().buffer(), 7), Color::Yellow, "due today");
}

#[test]
fn ledger_view_filtered_and_with_a_note_form() {
    let (_dir, mut app) = ledger_app(Lang::Zh);
    keys(&mut app, "o");
    assert_snapshot!("ledger_overdue_80x24", mask_times(&draw(&app, 80, 24)));
    // 推进 on the entry waiting for its check is refused with the ledger's words.
    keys(&mut app, "xjjjjjja");
    assert_snapshot!("ledger_refused_80x24", mask_times(&draw(&app, 80, 24)));
    keys(&mut app, "ggja已通知承办单位");
    assert_snapshot!("ledger_note_form_80x24", mask_times(&draw(&app, 80, 24)));
}

#[test]
fn ledger_view_in_english_and_empty() {
    let (_dir, app) = ledger_app(Lang::En);
    assert_snapshot!("ledger_en_120x40", mask_times(&draw(&app, 120, 40)));
    // At 80 columns the key line (made from the key table) still names S and Esc, in ASCII.
    let narrow = draw(&app, 80, 24);
    assert!(narrow.contains("S sync") && narrow.contains("Esc back"), "{narrow}");
    // English punctuation in English: the history line's note after an ASCII colon.
    assert!(
        narrow.contains("整改中: 开始整改") && !narrow.contains("整改中：开始整改"),
        "{narrow}"
    );
    assert_snapshot!("ledger_en_80x24", mask_times(&narrow));
    let (_dir, mut app) = demo_app(Lang::Zh);
    app.model.today = LEDGER_TODAY.parse().expect("a date");
    keys(&mut app, "L");
    assert_snapshot!("ledger_empty_80x24", draw(&app, 80, 24));
}

#[test]
fn the_ledger_view_fits_every_terminal_size() {
    let (_dir, mut app) = ledger_app(Lang::Zh);
    keys(&mut app, "jj");
    for w in 1..=300 {
        draw(&app, w, 24);
    }
    for h in 1..=100 {
        for w in [37, 80, 121] {
            draw(&app, w, h);
        }
    }
    // The note form over it, with a refusal shown.
    keys(&mut app, "gja<Enter>");
    assert!(matches!(&app.model.mode, Mode::Ledger(v) if v.form.as_ref().is_some_and(|f| f.error.is_some())));
    for w in (1..=300).step_by(7) {
        for h in [1, 2, 3, 5, 8, 13, 24, 40, 100] {
            draw(&app, w, h);
        }
    }
}

#[test]
fn comparison_with_more_sheets_than_fit_scrolls_sideways() {
    use pingcha::score::Quantity;
    use pingcha::store::{Identity, NewFinding, Stage, Store};
    let dir = tempfile::tempdir().unwrap();
    let path = demo(dir.path());
    let names = ["王芳", "赵磊", "孙丽"];
    common::on_roster(&path, &names);
    for (i, who) in names.into_iter().enumerate() {
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
            repeat: pingcha::vocab::Repeat::No,
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
        "<Esc>L",
        "a",
    ] {
        keys(&mut app, keys_for_mode);
        for (w, h) in [(1, 1), (10, 4), (30, 8), (200, 60), (300, 100)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| view::render(&app.model, f)).unwrap();
        }
    }
}

/// The cells of each row of `screen` from cell `from` on (the right side of a split screen).
fn right_of(screen: &str, from: usize) -> Vec<String> {
    screen
        .lines()
        .map(|line| {
            let mut used = 0;
            line.chars()
                .skip_while(|c| {
                    used += UnicodeWidthStr::width(c.to_string().as_str());
                    used <= from
                })
                .collect()
        })
        .collect()
}

#[test]
fn a_wide_screen_shows_the_rule_its_elements_and_every_finding_in_full() {
    let (_dir, mut app) = demo_app(Lang::Zh);
    keys(
        &mut app,
        "<Enter>1<Tab>，另缺任职文件和职责分工文件，既往受处理处分情况证明也未调取，身份材料仅有本人自述<Enter>2<Enter>7<Enter>JK",
    );
    // The short finding is selected; the long one is still there in full, in the third column.
    let screen = draw(&app, 200, 60);
    let side: String = right_of(&screen, 145).concat();
    let side: String = side.chars().filter(|c| !"│ ".contains(*c)).collect();
    assert!(side.contains("身份材料仅有本人自述"), "{screen}");
    for e in [
        "1.干部任免审批表或履历材料",
        "2.入党志愿书或党员身份证明",
        "3.任职文件",
        "4.职责分工文件",
        "5.既往受处理处分情况证明",
    ] {
        assert!(side.contains(e), "{e}\n{screen}");
    }
    assert_snapshot!("detail_side_200x60", screen);
    // Under 160 columns there is no third column; at 120×40 the rule wraps whole instead.
    let screen = draw(&app, 120, 40);
    let right: String = right_of(&screen, 54).concat();
    let right: String = right.chars().filter(|c| !"│ ".contains(*c)).collect();
    assert!(right.contains("既往受处理处分情况证明）"), "{screen}");
}

#[test]
fn at_80x24_the_detail_shows_the_name_the_tree_cuts() {
    let (_dir, mut app) = demo_app(Lang::Zh);
    let screen = draw(&app, 80, 24);
    let right: String = right_of(&screen, 40).concat();
    let right: String = right.chars().filter(|c| !"│ ".contains(*c)).collect();
    assert!(right.contains("不以本人自述代替原始材料（缺一项扣1分）"), "{screen}");
    // `i` folds the case panel to one line, leaving the rows to the findings; the line starts
    // with what 卷 is checked against: the case number, then 卷册数.
    keys(&mut app, "i");
    let screen = draw(&app, 80, 24);
    let line: String = right_of(&screen, 40)[1].chars().filter(|c| *c != ' ').collect();
    assert!(line.starts_with("│案号〔2026〕纪审字第001号·卷册数6"), "{line}");
    assert_snapshot!("main_collapsed_80x24", screen);
}

#[test]
fn the_reason_of_a_pending_mark() {
    let (_dir, mut app) = demo_app(Lang::Zh);
    keys(&mut app, "！证据是否足以认定，请组内讨论<Esc>");
    assert_snapshot!("mark_reason_80x24", draw(&app, 80, 24));
}
