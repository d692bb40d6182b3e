//! The merge through the real binary and the library: the organiser → copies → laptops path,
//! all six merge orders, compare, and every refusal leaving inputs and outputs untouched.

use pingcha::merge::{ClockFix, MergeError, Output, merge_files};
use pingcha::store::{Identity, Store};
use std::path::{Path, PathBuf};
use std::process::Command;

const RUBRIC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/rubrics/jjjc-lian.toml");
const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/rubrics/demo-cases.csv");
const CASE1: &str = "〔2026〕纪审字第001号";
const CASE2: &str = "〔2026〕纪审字第002号";

/// Runs the binary with its own data directory (so its own machine id); asserts success.
fn pingcha(data: &Path, args: &[&str]) -> String {
    let out = pingcha_raw(data, args);
    assert!(
        out.status.success(),
        "pingcha {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pingcha_raw(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pingcha"))
        .args(args)
        .env("PINGCHA_DATA_DIR", data)
        .env_remove("PINGCHA_LANG")
        .env_remove("PINGCHA_REVIEWER")
        .output()
        .expect("run pingcha")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

fn canonical(path: &Path) -> String {
    let store = Store::open_read_only(path).expect("open merged file");
    pingcha::export::json::canonical(&store).expect("dump")
}

/// The organiser's round and three laptops' copies, each cross-reviewing through the CLI.
struct Session {
    dir: tempfile::TempDir,
    laptops: Vec<PathBuf>,
}

impl Session {
    fn data(&self, who: &str) -> PathBuf {
        self.dir.path().join(format!("data-{who}"))
    }

    fn new() -> Session {
        let dir = tempfile::tempdir().expect("tempdir");
        let round = dir.path().join("round.db");
        let org = dir.path().join("data-org");
        pingcha(
            &org,
            &[
                "round",
                "new",
                "--rubric",
                RUBRIC,
                "--cases",
                CASES,
                "--name",
                "2026年交叉评查",
                "-o",
                s(&round),
            ],
        );
        let mut laptops = Vec::new();
        for who in ["A", "B", "C"] {
            let copy = dir.path().join(format!("{who}.db"));
            std::fs::copy(&round, &copy).expect("copy round");
            laptops.push(copy);
        }
        let session = Session { dir, laptops };
        let add = |who: &str, file: &Path, case: &str, item: &str, extra: &[&str], note: &str| {
            let mut args = vec![
                "finding",
                "add",
                "--db",
                s(file),
                "--case",
                case,
                "--item",
                item,
                "--note",
                note,
            ];
            args.extend_from_slice(extra);
            args.extend_from_slice(&["--reviewer", who]);
            pingcha(&session.data(who), &args);
        };
        let [a, b, c] = [&session.laptops[0], &session.laptops[1], &session.laptops[2]];
        // A and B both review case 1 and disagree on sszj.sz; C reviews case 2 and case 1.
        add(
            "张明",
            a,
            CASE1,
            "sszj.sz",
            &["--count", "2", "--vol", "1", "--page", "12"],
            "书证未注明出处",
        );
        add("张明", a, CASE1, "sszj.sfcl", &["--count", "1"], "缺任职文件");
        add(
            "李华",
            b,
            CASE1,
            "sszj.sz",
            &["--count", "4", "--vol", "2", "--page", "3"],
            "物证照片未盖章",
        );
        add("李华", b, CASE1, "sszj.sfcl", &["--count", "1"], "缺任职文件");
        add("王芳", c, CASE2, "sszj.ssrd", &["--amount", "2.5"], "金额计算依据不足");
        add("王芳", c, CASE1, "sszj.sfcl", &["--count", "3"], "身份材料缺三项");
        session
    }
}

#[test]
fn three_laptops_merged_in_all_six_orders_agree_and_compare_shows_differences() {
    let session = Session::new();
    let data = session.data("lead");
    let before: Vec<Vec<u8>> = session
        .laptops
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    let mut dumps = Vec::new();
    let mut summaries = Vec::new();
    for (n, order) in orders.iter().enumerate() {
        let out = session.dir.path().join(format!("team{n}.db"));
        let mut args = vec!["merge"];
        args.extend(order.iter().map(|&i| s(&session.laptops[i])));
        args.extend(["-o", s(&out)]);
        let text = pingcha(&data, &args);
        assert!(text.contains("已合并 3 个文件"), "{text}");
        dumps.push(canonical(&out));
        // The summary from the result line on (the per-file table above it follows the order).
        let from = text.find("已合并").expect("summary");
        summaries.push(text[from..].replace(s(&out), "OUT"));
    }
    for d in &dumps[1..] {
        assert_eq!(d, &dumps[0], "merge order changed the result");
    }
    for t in &summaries[1..] {
        assert_eq!(t, &summaries[0], "merge order changed the printed summary");
    }
    // Every laptop holds every case as handed out: nothing to add or update there.
    assert!(summaries[0].contains("案件：新增 0，更新 0，未变 "), "{}", summaries[0]);
    for (p, b) in session.laptops.iter().zip(&before) {
        assert_eq!(&std::fs::read(p).expect("read"), b, "{} was modified", p.display());
        for suffix in ["-wal", "-shm"] {
            let mut beside = p.as_os_str().to_owned();
            beside.push(suffix);
            assert!(
                !Path::new(&beside).exists(),
                "the merge left {beside:?} beside an input"
            );
        }
    }
    let team = session.dir.path().join("team0.db");
    let cmp = pingcha(&data, &["compare", "--db", s(&team), "--case", CASE1]);
    let sz = cmp.lines().find(|l| l.contains("sszj.sz ")).expect("sszj.sz row");
    assert!(sz.starts_with('≠'), "{cmp}");
    assert!(sz.contains("-1") && sz.contains("-2"), "{cmp}");
    let sfcl = cmp.lines().find(|l| l.contains("sszj.sfcl ")).expect("sszj.sfcl row");
    assert!(sfcl.starts_with('≠'), "王芳 deducted 3, the others 1: {cmp}");
    assert!(
        cmp.contains("物证照片未盖章（第2卷第3页）") && cmp.contains("书证未注明出处（第1卷第12页）"),
        "{cmp}"
    );
    let dis = pingcha(&data, &["disagreements", "--db", s(&team)]);
    assert!(dis.contains(CASE1) && !dis.contains(CASE2), "{dis}");
    // The lead starts the final sheet from the union and records the decided grade.
    let fin = pingcha(
        &data,
        &[
            "final",
            "--db",
            s(&team),
            "--case",
            CASE1,
            "--union",
            "--reviewer",
            "组长",
        ],
    );
    // 张明 and 李华 wrote the same sszj.sfcl finding: it is copied once (2 + 1 + 1).
    assert!(fin.contains("复制问题记录 4 条"), "{fin}");
    pingcha(
        &data,
        &[
            "decide",
            "--db",
            s(&team),
            "--case",
            CASE1,
            "--grade",
            "合格",
            "--reason",
            "评查组集体讨论",
            "--reviewer",
            "组长",
        ],
    );
    let score = pingcha(&data, &["score", "--db", s(&team)]);
    assert!(
        score
            .lines()
            .any(|l| l.contains("组长") && l.contains("终评") && l.contains("合格")),
        "{score}"
    );
}

#[test]
fn two_laptops_editing_one_case_field_is_a_reported_conflict_with_history() {
    let session = Session::new();
    let [a, b] = [&session.laptops[0], &session.laptops[1]];
    pingcha(
        &session.data("A"),
        &[
            "case",
            "set",
            "--db",
            s(a),
            "--case",
            CASE1,
            "--field",
            "unit",
            "--value",
            "第三审查调查室",
            "--reviewer",
            "张明",
        ],
    );
    pingcha(
        &session.data("B"),
        &[
            "case",
            "set",
            "--db",
            s(b),
            "--case",
            CASE1,
            "--field",
            "unit",
            "--value",
            "第四审查调查室",
            "--reviewer",
            "李华",
        ],
    );
    let lead = session.data("lead");
    let ab = session.dir.path().join("ab.db");
    let ba = session.dir.path().join("ba.db");
    let out = pingcha(&lead, &["merge", s(a), s(b), "-o", s(&ab)]);
    assert!(
        out.contains("冲突：1 处") && out.contains("第三审查调查室") && out.contains("第四审查调查室"),
        "{out}"
    );
    let en = pingcha(&lead, &["--lang", "en", "merge", s(b), s(a), "-o", s(&ba)]);
    assert!(en.contains("conflicts: 1"), "{en}");
    assert_eq!(canonical(&ab), canonical(&ba));
    let store = Store::open_read_only(&ab).expect("open");
    let case = store.require_case(CASE1).expect("case");
    let history = store.case_field_history(&case.id, "unit").expect("history");
    let kept = case.field("unit").to_owned();
    assert!(kept == "第三审查调查室" || kept == "第四审查调查室");
    assert!(
        history
            .iter()
            .any(|(v, ..)| v != &kept && v.contains("审查调查室") && v != "第一审查调查室")
    );
    // Close it first: Windows cannot replace a file that is open (merge --into renames over it).
    store.close().expect("close");
    // Folding the same laptop in again reports nothing new: the team file knows that value.
    let again = pingcha(&lead, &["merge", "--into", s(&ab), s(a)]);
    assert!(again.contains("冲突：0 处"), "{again}");
}

/// Bytes of every file, to prove a refusal touched nothing.
fn snapshot_bytes(paths: &[&Path]) -> Vec<Option<Vec<u8>>> {
    paths.iter().map(|p| std::fs::read(p).ok()).collect()
}

fn refused(inputs: &[&Path], output: &Path, into: bool) -> MergeError {
    let mut all: Vec<&Path> = inputs.to_vec();
    all.push(output);
    let before = snapshot_bytes(&all);
    let paths: Vec<PathBuf> = inputs.iter().map(|p| p.to_path_buf()).collect();
    let out = if into {
        Output::Into(output.to_path_buf())
    } else {
        Output::New(output.to_path_buf())
    };
    let err = match merge_files(&paths, out, &[]) {
        Err(e) => e,
        Ok(_) => panic!("merge of {inputs:?} was not refused"),
    };
    assert_eq!(snapshot_bytes(&all), before, "a refused merge changed a file");
    let dir = output.parent().expect("dir");
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
    err
}

fn message(e: &MergeError) -> (String, String) {
    use pingcha::lang::{Lang, Localized};
    (e.localized(Lang::Zh), e.localized(Lang::En))
}

#[test]
fn refusals_name_the_file_and_touch_nothing() {
    let session = Session::new();
    let dir = session.dir.path();
    let a = session.laptops[0].as_path();
    let existing = dir.join("existing.db");
    merge_files(&[a.to_path_buf()], Output::New(existing.clone()), &[]).expect("plain merge");

    // Not a pingcha file: a text file, and an SQLite file without pingcha's mark.
    let text = dir.join("notes.db");
    std::fs::write(&text, "这不是数据库").expect("write");
    let e = refused(&[a, &text], &dir.join("o1.db"), false);
    assert!(
        message(&e).0.contains("notes.db") && message(&e).0.contains("不是 pingcha"),
        "{e}"
    );
    let other = dir.join("other.sqlite");
    rusqlite::Connection::open(&other)
        .and_then(|c| c.execute_batch("CREATE TABLE t (x)"))
        .expect("sqlite");
    let e = refused(&[a, &other], &existing, true);
    assert!(message(&e).1.contains("other.sqlite"), "{e}");

    // Newer schema.
    let newer = dir.join("newer.db");
    std::fs::copy(a, &newer).expect("copy");
    rusqlite::Connection::open(&newer)
        .and_then(|c| c.pragma_update(None, "user_version", 99))
        .expect("bump");
    let e = refused(&[a, &newer], &existing, true);
    assert!(
        message(&e).0.contains("newer.db") && message(&e).0.contains("较新版本"),
        "{e}"
    );

    // Corrupt: garbage over the middle pages.
    let bad = dir.join("corrupt.db");
    let mut bytes = std::fs::read(a).expect("read");
    let page = 4096;
    assert!(bytes.len() > 4 * page, "round file too small to corrupt");
    for b in &mut bytes[2 * page..3 * page] {
        *b = 0xA5;
    }
    std::fs::write(&bad, &bytes).expect("write");
    let e = refused(&[a, &bad], &dir.join("o2.db"), false);
    assert!(message(&e).0.contains("corrupt.db"), "{e}");
    assert!(matches!(e, MergeError::Corrupt { .. }), "{e:?}");

    // A file of another round.
    let foreign = dir.join("foreign.db");
    pingcha(
        &session.data("org"),
        &[
            "round",
            "new",
            "--rubric",
            RUBRIC,
            "--cases",
            CASES,
            "--name",
            "另一轮",
            "-o",
            s(&foreign),
        ],
    );
    let e = refused(&[a, &foreign], &existing, true);
    assert!(matches!(e, MergeError::DifferentRound { .. }), "{e}");
    assert!(
        message(&e).0.contains("foreign.db") && message(&e).0.contains("另一轮"),
        "{e}"
    );

    // An output with a live -wal log beside it (open elsewhere, or not closed cleanly).
    let wal = dir.join("existing.db-wal");
    std::fs::write(&wal, b"not empty").expect("wal");
    let e = refused(&[a], &existing, true);
    assert!(
        matches!(e, MergeError::LiveWal(_)) && message(&e).0.contains("existing.db"),
        "{e}"
    );
    std::fs::remove_file(&wal).expect("rm wal");

    // An output in a directory that does not exist: the message names the output.
    let nowhere = dir.join("no-such-dir").join("team.db");
    match merge_files(&[a.to_path_buf()], Output::New(nowhere), &[]) {
        Err(e) => assert!(
            message(&e).0.contains("no-such-dir") && message(&e).0.contains("team.db"),
            "{e}"
        ),
        Ok(_) => panic!("wrote into a missing directory"),
    }

    // An existing output is never overwritten by -o.
    let e = refused(&[a], &existing, false);
    assert!(
        matches!(
            e,
            MergeError::Store(pingcha::store::StoreError::Output(
                pingcha::output::OutputError::IsDatabase(_)
            ))
        ),
        "{e}"
    );
}

#[test]
fn a_cloned_replica_is_refused_naming_both_files_and_the_same_file_twice_merges() {
    let dir = tempfile::tempdir().expect("tempdir");
    let session = Session::new();
    let a = dir.path().join("a.db");
    std::fs::copy(&session.laptops[0], &a).expect("copy");
    let me = Identity {
        machine_id: "laptop-1".into(),
        reviewer: "张明".into(),
    };
    let add = |path: &Path, note: &str| {
        let mut store = Store::open(path, &me).expect("open");
        let case = store.require_case(CASE2).expect("case");
        let sheet = store.sheet(&case.id, pingcha::store::Stage::Initial).expect("sheet");
        store
            .add_finding(
                &sheet,
                &pingcha::store::NewFinding {
                    node: "sszj.sz".into(),
                    quantity: pingcha::score::Quantity::Count(1),
                    note: note.into(),
                    volume: None,
                    page: None,
                    problem: None,
                    repeat: pingcha::vocab::Repeat::No,
                },
            )
            .expect("add");
        store.close().expect("close");
    };
    add(&a, "第一条");
    let saved = dir.path().join("saved.db");
    std::fs::copy(&a, &saved).expect("save");
    add(&a, "第二条（原文件）");
    let later = dir.path().join("later.db");
    std::fs::rename(&a, &later).expect("move");
    std::fs::copy(&saved, &a).expect("restore the clone at the same path");
    add(&a, "第二条（克隆文件）");
    let e = refused(&[&later, &a], &dir.path().join("team.db"), false);
    assert!(matches!(e, MergeError::ClonedReplica { .. }), "{e}");
    let (zh, en) = message(&e);
    assert!(zh.contains("later.db") && zh.contains("a.db"), "{zh}");
    assert!(en.contains("later.db") && en.contains("a.db"), "{en}");
    // The stale copy (saved before the second write) is not a clone, and a file twice is fine.
    let ok = dir.path().join("ok.db");
    merge_files(
        &[later.clone(), saved.clone(), later.clone()],
        Output::New(ok.clone()),
        &[],
    )
    .expect("stale copy merges");
    let once = dir.path().join("once.db");
    merge_files(std::slice::from_ref(&later), Output::New(once.clone()), &[]).expect("one file");
    assert_eq!(canonical(&ok), canonical(&once));
}

#[test]
fn stamps_from_a_laptop_set_years_ahead_are_refused_until_corrected() {
    let session = Session::new();
    let dir = session.dir.path();
    let b = session.laptops[1].as_path();
    let skewed = dir.join("skewed.db");
    std::fs::copy(&session.laptops[0], &skewed).expect("copy");
    // The laptop's date was five years ahead when 张明 scored (as if set to 2031).
    let five_years: i64 = (1826 * 86_400_000) << 16;
    let replica: String = {
        let c = rusqlite::Connection::open(&skewed).expect("open");
        let r: String = c
            .query_row("SELECT replica FROM finding LIMIT 1", [], |r| r.get(0))
            .expect("replica");
        for t in ["finding", "sheet"] {
            c.execute(
                &format!("UPDATE {t} SET hlc = hlc + ?1 WHERE replica = ?2"),
                (five_years, &r),
            )
            .expect("skew");
        }
        r
    };
    let team = dir.join("team.db");
    let e = refused(&[b, &skewed], &team, false);
    let (zh, en) = message(&e);
    assert!(
        zh.contains("skewed.db") && !zh.contains("--clock-fix") && zh.contains(&replica[..8]),
        "{zh}"
    );
    assert!(en.contains("skewed.db"), "{en}");
    // Through the binary: the ranges are printed first, then the refusal.
    let out = pingcha_raw(&session.data("lead"), &["merge", s(b), s(&skewed), "-o", s(&team)]);
    assert!(!out.status.success() && !team.exists());
    assert!(String::from_utf8_lossy(&out.stdout).contains("超出范围"));
    // A fix that is not enough is refused too; the right one merges and is recorded.
    let short_fix: ClockFix = format!("{}=-30", &replica[..8]).parse().expect("fix");
    assert!(
        merge_files(
            &[b.to_path_buf(), skewed.clone()],
            Output::New(team.clone()),
            &[short_fix]
        )
        .is_err()
    );
    assert!(!team.exists());
    let fix = format!("{}=-1826", &replica[..8]);
    let text = pingcha(
        &session.data("lead"),
        &["merge", s(b), s(&skewed), "-o", s(&team), "--clock-fix", &fix],
    );
    assert!(text.contains("-1826"), "{text}");
    let dump = canonical(&team);
    assert!(dump.contains("\"days\": -1826"), "the fix is recorded");
    // The same fix in the other order gives the same file.
    let team2 = dir.join("team2.db");
    pingcha(
        &session.data("lead"),
        &["merge", s(&skewed), s(b), "-o", s(&team2), "--clock-fix", &fix],
    );
    assert_eq!(dump, canonical(&team2));
    // The correction is remembered: the same laptop's file folded in again, or merged with a
    // result that recorded it, needs no --clock-fix and gives the same records.
    let text = pingcha(&session.data("lead"), &["merge", "--into", s(&team2), s(&skewed)]);
    assert!(text.contains("-1826"), "{text}");
    assert_eq!(dump, canonical(&team2));
    let team3 = dir.join("team3.db");
    pingcha(&session.data("lead"), &["merge", s(&skewed), s(&team), "-o", s(&team3)]);
    assert_eq!(dump, canonical(&team3));
}

#[test]
fn pack_writes_a_verified_copy_named_by_round_and_reviewer() {
    let session = Session::new();
    let stick = session.dir.path().join("stick");
    std::fs::create_dir(&stick).expect("mkdir");
    let a = &session.laptops[0];
    let before = std::fs::read(a).expect("read");
    let out = pingcha(
        &session.data("A"),
        &["pack", s(a), "-o", s(&stick), "--reviewer", "张明"],
    );
    assert!(out.contains("完整性 ok"), "{out}");
    assert_eq!(std::fs::read(a).expect("read"), before);
    let copies: Vec<PathBuf> = std::fs::read_dir(&stick)
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    let name = copies[0].file_name().expect("name").to_string_lossy().into_owned();
    assert!(
        name.starts_with("2026年交叉评查-张明-") && name.ends_with(".db"),
        "{name}"
    );
    assert_eq!(canonical(&copies[0]), canonical(a));
}
