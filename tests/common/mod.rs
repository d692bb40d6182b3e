//! Helpers shared by the end-to-end tests: run the real binary in a temp data dir, or drive the
//! TUI state machine with keys.

#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pingcha::lang::Lang;
use pingcha::store::{Identity, Stage, Store};
use pingcha::tui::{App, Event, Options};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
