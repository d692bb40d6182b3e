//! Helpers shared by the end-to-end tests: run the real binary in a temp data dir, or drive the
//! TUI state machine with keys.

#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pingcha::lang::Lang;
use pingcha::store::{Identity, Stage, Store};
use pingcha::tui::{App, Event, Options};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod kinds;
pub mod xlsx;

/// The sha256 of a file, in hex: a refusal must leave the round file byte-identical.
pub fn sha256(path: impl AsRef<Path>) -> String {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(path.as_ref()).expect("read the file to hash");
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A temp directory with its own pingcha data dir (so its own machine id).
pub struct Env {
    /// The temp dir; files of the test go here.
    pub dir: tempfile::TempDir,
}

impl Env {
    /// A fresh environment.
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A path inside the temp dir.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The pingcha command, with the data dir and language set.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_pingcha"));
        c.env("PINGCHA_DATA_DIR", self.path("data"))
            .env_remove("PINGCHA_LANG")
            .env_remove("PINGCHA_REVIEWER");
        c
    }

    /// Runs pingcha with arguments and returns its output.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs pingcha and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "pingcha {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs pingcha and asserts failure with exit code 1; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "pingcha {args:?} should fail:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stderr).unwrap()
    }
}

/// The path of a shipped rubric.
pub fn rubric(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("rubrics")
        .join(name)
        .display()
        .to_string()
}

/// A court case list (fy-xingmin fields) with the given (case number, volumes) rows.
pub fn court_cases(env: &Env, rows: &[(&str, u32)]) -> String {
    let mut csv = String::from("案号,案由,案件类型,办案部门,主审法官,结案日期,卷册数\n");
    for (i, (no, vols)) in rows.iter().enumerate() {
        csv.push_str(&format!(
            "{no},合同纠纷,民事,民一庭,法官{i},2026-03-{:02},{vols}\n",
            i + 1
        ));
    }
    let path = env.path("cases.csv");
    std::fs::write(&path, csv).unwrap();
    path.display().to_string()
}

/// A round of the court rubric with these (case number, volumes) cases; returns its path.
pub fn court_round(env: &Env, rows: &[(&str, u32)], extra: &[&str]) -> String {
    let cases = court_cases(env, rows);
    let db = env.path("round.db").display().to_string();
    let rubric = rubric("fy-xingmin.toml");
    let mut args = vec![
        "round",
        "new",
        "--rubric",
        &rubric,
        "--cases",
        &cases,
        "--name",
        "测试轮次",
        "-o",
        &db,
    ];
    args.extend_from_slice(extra);
    env.ok(&args);
    db
}

/// Creates the demo round in `dir` and returns its path.
pub fn demo(dir: &Path) -> PathBuf {
    let path = pingcha::demo::path_in(dir);
    pingcha::demo::create(&path, "test-machine").unwrap().close().unwrap();
    path
}

/// Puts `names` on the round's roster (as the organiser).
pub fn on_roster(path: &Path, names: &[&str]) {
    let identity = Identity {
        machine_id: "test-machine".into(),
        reviewer: "组织者".into(),
    };
    let mut store = Store::open(path, &identity).unwrap();
    let roster: Vec<_> = names.iter().map(|n| pingcha::store::NewReviewer::named(n)).collect();
    store.add_reviewers(&roster).unwrap();
    store.close().unwrap();
}

/// Opens the TUI state on `path` as `reviewer` at 初评 (put on the roster first if the round
/// has one and the name is not on it).
pub fn app(path: &Path, reviewer: &str, lang: Lang) -> App {
    let identity = Identity {
        machine_id: "test-machine".into(),
        reviewer: reviewer.into(),
    };
    let mut store = Store::open(path, &identity).unwrap();
    if store.check_reviewer(reviewer).is_err() {
        store
            .add_reviewers(&[pingcha::store::NewReviewer::named(reviewer)])
            .unwrap();
    }
    App::open(
        store,
        Options {
            lang,
            reviewer: reviewer.into(),
            stage: Stage::Initial,
            due_days: 7,
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

/// The day the ledger fixtures are judged on.
pub const LEDGER_TODAY: &str = "2026-04-01";

/// Syncs the demo round's ledger and gives its first entries deadlines and states, so that on
/// [`LEDGER_TODAY`] with a 7-day warning the rows read: overdue, due soon, closed on time,
/// closed late, due today, open (far deadline), overdue, then entries without a deadline.
/// Returns every entry id in the order the ledger view shows them (unit, case number, problem
/// code: the demo's finding ids, and so the store's order within a case, differ per run).
pub fn ledger_fixture(path: &Path) -> Vec<String> {
    use pingcha::ledger::{self, Action, Change, Filter};
    let identity = Identity {
        machine_id: "test-machine".into(),
        reviewer: "督查员".into(),
    };
    let mut store = Store::open(path, &identity).unwrap();
    ledger::sync(&mut store).unwrap();
    let mut entries = ledger::list(&store, &Filter::default()).unwrap();
    entries.sort_by_key(|e| (e.row.unit.clone(), e.case_no.clone(), e.row.problem_code.clone()));
    let ids: Vec<String> = entries.into_iter().map(|e| e.row.id.to_string()).collect();
    let mut apply = |i: usize, change: Change, on: &str| {
        ledger::set_on(&mut store, &ids[i], &change, on.parse().expect("a date")).unwrap();
    };
    let mut set = |i: usize, action: Option<Action>, note: &str, deadline: Option<&str>, on: &str| {
        let change = Change {
            action,
            note: note.into(),
            by: "督查员".into(),
            deadline: deadline.map(|d| d.parse().expect("a date")),
            ..Change::default()
        };
        apply(i, change, on);
    };
    let advance = Some(Action::Advance);
    // 0: 整改中, deadline passed 12 days ago.
    set(0, advance, "开始整改", Some("2026-03-20"), "2026-03-01");
    // 1: 待整改, four days left.
    set(1, None, "", Some("2026-04-05"), "2026-03-01");
    // 2: closed the day before its deadline.
    set(2, advance, "", Some("2026-03-25"), "2026-03-02");
    set(2, advance, "已补送处分决定书", None, "2026-03-20");
    set(2, Some(Action::Close), "回证齐全", None, "2026-03-24");
    // 3: closed five days after its deadline.
    set(3, advance, "", Some("2026-03-10"), "2026-03-02");
    set(3, advance, "", None, "2026-03-12");
    set(3, Some(Action::Close), "已核实", None, "2026-03-15");
    // 4: due today; 5: far off; 6: one day overdue, 已整改待核.
    set(4, None, "", Some(LEDGER_TODAY), "2026-03-01");
    set(5, None, "", Some("2026-05-30"), "2026-03-01");
    set(6, advance, "", Some("2026-03-31"), "2026-03-01");
    set(6, advance, "", None, "2026-03-30");
    let measures = Change {
        by: "督查员".into(),
        measures: Some("补送处分决定书".into()),
        evidence: Some("送达回证".into()),
        ..Change::default()
    };
    ledger::set_on(&mut store, &ids[2], &measures, "2026-03-10".parse().expect("a date")).unwrap();
    store.close().unwrap();
    ids
}

/// The screen as text, one line per row, every row exactly `w` cells (a double-width
/// character's hidden second cell is left out).
pub fn draw(app: &pingcha::tui::App, w: u16, h: u16) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("terminal");
    terminal
        .draw(|f| pingcha::tui::view::render(&app.model, f))
        .expect("draw");
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
        assert_eq!(UnicodeWidthStr::width(line.as_str()), w as usize, "row {y}: {line}");
        out.push_str(&line);
        out.push('\n');
    }
    out
}
