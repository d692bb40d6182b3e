//! The TUI's cost per key: update plus a full redraw into a TestBackend, for a 120-item rubric
//! (at 120×40, and at 200×60 with findings and a note that wrap over several rows)
//! and a round of 300 cases; and the cost of the durable write behind each confirmed finding.
//!
//! Run with `cargo bench --bench tui`.

use crossterm::event::{KeyCode, KeyEvent};
use pingcha::lang::Lang;
use pingcha::score::Quantity;
use pingcha::store::{CaseRow, Identity, NewFinding, NewRound, Stage, Store};
use pingcha::tui::{App, Event, Options, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

fn main() {
    divan::main();
}

const CATEGORIES: usize = 6;
const ITEMS_PER_CATEGORY: usize = 20;
const CASES: usize = 300;

/// A rubric of 6 categories × 20 items (120 items), each with two common problems.
fn rubric() -> String {
    let mut s = String::from(
        "[rubric]\nid = \"bench\"\nname = \"基准评查标准\"\nversion = \"1\"\ntotal = 120\n\n\
         [[grade]]\nname = \"优秀\"\nmin = 100\n[[grade]]\nname = \"合格\"\nmin = 80\n[[grade]]\nname = \"不合格\"\nmin = 0\n\n\
         [[field]]\nkey = \"case_no\"\nlabel = \"案号\"\nkind = \"text\"\nrequired = true\n\n\
         [[field]]\nkey = \"title\"\nlabel = \"被审查调查人\"\nkind = \"text\"\n\n\
         [[field]]\nkey = \"volumes\"\nlabel = \"卷册数\"\nkind = \"number\"\n",
    );
    for c in 0..CATEGORIES {
        let _ = write!(
            s,
            "\n[[category]]\nid = \"c{c}\"\nname = \"第{c}大项事实证据\"\npoints = 20\n"
        );
        for i in 0..ITEMS_PER_CATEGORY {
            let _ = write!(
                s,
                "\n[[category.item]]\nid = \"c{c}.i{i}\"\nname = \"第{i}小项：材料齐全、手续完备、程序合规（每处扣0.5分）\"\npoints = 1\n\
                 rule = {{ kind = \"per_occurrence\", amount = 0.5 }}\n\
                 problems = [\n  {{ code = \"P{c}-{i}a\", text = \"笔录未签名捺印\" }},\n  {{ code = \"P{c}-{i}b\", text = \"文书未加盖公章\" }},\n]\n"
            );
        }
    }
    s
}

fn identity() -> Identity {
    Identity {
        machine_id: "bench".into(),
        reviewer: "张明".into(),
    }
}

fn round(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("bench.db");
    let source = rubric();
    Store::create(&path, &identity(), |store| {
        store.init_round(
            &NewRound {
                name: "基准".into(),
                kind: pingcha::vocab::RoundKind::Full,
                method: pingcha::vocab::Method::Cross,
                require_final: false,
            },
            &source,
        )?;
        let rows: Vec<CaseRow> = (1..=CASES)
            .map(|n| {
                let case_no = format!("〔2026〕纪审字第{n:03}号");
                let fields = BTreeMap::from([
                    ("case_no".to_owned(), case_no.clone()),
                    ("title".to_owned(), format!("被审查人{n}")),
                    ("volumes".to_owned(), "5".to_owned()),
                ]);
                CaseRow { case_no, fields }
            })
            .collect();
        store.add_cases(&rows)
    })
    .unwrap()
    .close()
    .unwrap();
    path
}

fn open(path: &Path) -> App {
    let opts = Options {
        lang: Lang::Zh,
        reviewer: "张明".into(),
        stage: Stage::Initial,
        due_days: 7,
    };
    App::open(Store::open(path, &identity()).unwrap(), opts).unwrap()
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::from(KeyCode::Char(c)))
}

/// One key (`j`, moving the cursor, which also saves it) and a full redraw at 120×40.
#[divan::bench]
fn key_to_frame(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(&round(dir.path()));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    bencher.bench_local(|| {
        app.handle(key('j'));
        if app.model.cursor + 1 == app.model.visible.len() {
            app.handle(key('g'));
        }
        terminal.draw(|f| view::render(&app.model, f)).unwrap();
    });
}

/// The pure part alone: `update` for one key (its effects dropped) and a full redraw.
#[divan::bench]
fn update_and_draw_only(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let mut model = open(&round(dir.path())).model;
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    bencher.bench_local(|| {
        let effects = pingcha::tui::update(&mut model, key('j'));
        if model.cursor + 1 == model.visible.len() {
            pingcha::tui::update(&mut model, key('g'));
        }
        terminal.draw(|f| view::render(&model, f)).unwrap();
        effects
    });
}

/// One character typed into a note (which saves the draft) and a full redraw at 120×40.
#[divan::bench]
fn note_keystroke_to_frame(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(&round(dir.path()));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    app.handle(key('j'));
    app.handle(key('j'));
    app.handle(Event::Key(KeyEvent::from(KeyCode::Enter)));
    app.handle(key('1'));
    let mut n = 0u32;
    bencher.bench_local(|| {
        n += 1;
        if n.is_multiple_of(200) {
            app.handle(Event::Key(KeyEvent::new(
                KeyCode::Char('u'),
                crossterm::event::KeyModifiers::CONTROL,
            )));
        }
        app.handle(key('证'));
        terminal.draw(|f| view::render(&app.model, f)).unwrap();
    });
}

/// The durable write of one confirmed finding (checked, committed, WAL synced).
#[divan::bench]
fn confirmed_finding_write(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let path = round(dir.path());
    let mut store = Store::open(&path, &identity()).unwrap();
    let case = store.cases().unwrap().remove(0);
    let sheet = store.sheet(&case.id, Stage::Initial).unwrap();
    let finding = NewFinding {
        node: "c0.i0".into(),
        quantity: Quantity::Count(1),
        note: "笔录未签名捺印，第3页".into(),
        volume: Some(1),
        page: Some(3),
        problem: Some("P0-0a".into()),
        repeat: pingcha::vocab::Repeat::No,
    };
    bencher.bench_local(|| store.add_finding(&sheet, &finding).unwrap());
}

/// A note long enough to wrap over several rows even at 200 columns.
const LONG_NOTE: &str = "询问笔录缺少询问人签名，且第三页有涂改未按手印确认，询问时间与审批表记载的时间不一致，\
另缺少被询问人对笔录内容的确认意见，笔录末页无“以上笔录我看过，与我说的相符”字样，同步录音录像未随卷移送";

/// The round with long-note findings on the first case's first six items, so the detail
/// panel wraps the selected finding while the cursor moves over them.
fn round_with_long_notes(dir: &Path) -> std::path::PathBuf {
    let path = round(dir);
    let mut store = Store::open(&path, &identity()).unwrap();
    let case = store.cases().unwrap().remove(0);
    let sheet = store.sheet(&case.id, Stage::Initial).unwrap();
    for i in 0..6 {
        for page in 1..=3 {
            let finding = NewFinding {
                node: format!("c0.i{i}"),
                quantity: Quantity::Count(1),
                note: LONG_NOTE.into(),
                volume: Some(1),
                page: Some(page),
                problem: None,
                repeat: pingcha::vocab::Repeat::No,
            };
            store.add_finding(&sheet, &finding).unwrap();
        }
    }
    store.close().unwrap();
    path
}

/// One key (`j`) and a full redraw at 200×60, over items whose findings wrap.
#[divan::bench]
fn key_to_frame_200x60_wrapped(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(&round_with_long_notes(dir.path()));
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    bencher.bench_local(|| {
        app.handle(key('j'));
        if app.model.cursor >= 7 {
            app.handle(key('g'));
        }
        terminal.draw(|f| view::render(&app.model, f)).unwrap();
    });
}

/// One character typed into a note that wraps over several rows (the draft saved) and a full
/// redraw at 200×60.
#[divan::bench]
fn long_note_keystroke_to_frame_200x60(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(&round_with_long_notes(dir.path()));
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    app.handle(key('j'));
    app.handle(key('j'));
    app.handle(Event::Key(KeyEvent::from(KeyCode::Enter)));
    app.handle(key('1'));
    app.handle(Event::Paste(LONG_NOTE.into()));
    let mut n = 0u32;
    bencher.bench_local(|| {
        n += 1;
        if n.is_multiple_of(100) {
            app.handle(Event::Key(KeyEvent::from(KeyCode::Home)));
            app.handle(Event::Key(KeyEvent::new(
                KeyCode::Char('e'),
                crossterm::event::KeyModifiers::CONTROL,
            )));
            for _ in 0..100 {
                app.handle(Event::Key(KeyEvent::from(KeyCode::Backspace)));
            }
        }
        app.handle(key('证'));
        terminal.draw(|f| view::render(&app.model, f)).unwrap();
    });
}
