//! `pingcha handout --only-assigned`, through the binary: each reviewer's copy holds only their
//! assigned cases (nothing of the others, not even in the file's free pages), and the copies
//! merge back, in any order, with the organiser's file and with each other, leaving the cases
//! they did not hold as the organiser's file has them and reporting no clone or conflict.

mod common;

use common::{Env, rubric, sha256};
use pingcha::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Cases 案000..案007: case i of unit 单位{i+1}, handled by 法官{i}.
fn cases_csv(env: &Env) -> String {
    let mut csv = String::from("案号,案由,案件类型,办案部门,主审法官,结案日期,卷册数\n");
    for i in 0..8 {
        csv.push_str(&format!("案{i:03},合同纠纷,民事,单位{},法官{i},2026-03-01,2\n", i + 1));
    }
    let path = env.path("cases.csv");
    std::fs::write(&path, csv).unwrap();
    path.display().to_string()
}

/// Four reviewers, 评查员0r of 单位r, in two groups.
fn roster_csv(env: &Env) -> String {
    let mut csv = String::from("姓名,单位,评查组,组长\n");
    for r in 1..=4 {
        csv.push_str(&format!("评查员{r:02},单位{r},第{}组,\n", (r + 1) / 2));
    }
    let path = env.path("名单.csv");
    std::fs::write(&path, csv).unwrap();
    path.display().to_string()
}

/// Who reviews what (avoidance holds: nobody has a case of their own unit); 案005–案007 are
/// nobody's.
const ASSIGNED: &[(&str, &[&str])] = &[
    ("评查员01", &["案001", "案002"]),
    ("评查员02", &["案002", "案003"]),
    ("评查员03", &["案000"]),
    ("评查员04", &["案004"]),
];

fn canonical(path: &Path) -> String {
    pingcha::export::json::canonical(&Store::open_read_only(path).unwrap()).unwrap()
}

/// The case numbers a file holds, read with SQLite itself.
fn case_numbers(path: &Path) -> BTreeSet<String> {
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut stmt = conn.prepare("SELECT case_no FROM case_record").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

/// Rows of case-scoped tables whose case the file does not hold (there must be none).
fn orphans(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    [
        "SELECT COUNT(*) FROM case_field WHERE case_id NOT IN (SELECT id FROM case_record)",
        "SELECT COUNT(*) FROM case_field_history WHERE case_id NOT IN (SELECT id FROM case_record)",
        "SELECT COUNT(*) FROM assignment WHERE case_id NOT IN (SELECT id FROM case_record)",
        "SELECT COUNT(*) FROM sheet WHERE case_id NOT IN (SELECT id FROM case_record)",
    ]
    .iter()
    .map(|q| conn.query_row(q, [], |r| r.get::<_, i64>(0)).unwrap())
    .sum()
}

fn merge(env: &Env, name: &str, inputs: &[&PathBuf]) -> (PathBuf, String) {
    let out = env.path(name);
    let mut args = vec!["merge".to_owned()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["-o".to_owned(), out.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let printed = env.ok(&args);
    (out, printed)
}

/// Each case's metadata, by case number.
fn metadata(path: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    Store::open_read_only(path)
        .unwrap()
        .cases()
        .unwrap()
        .into_iter()
        .map(|c| (c.case_no.clone(), c.fields.clone().into_iter().collect()))
        .collect()
}

#[test]
fn need_to_know_copies_hold_only_their_cases_and_merge_back_in_any_order() {
    let env = Env::new();
    let db = env.path("master.db");
    let dbs = db.display().to_string();
    env.ok(&[
        "round",
        "new",
        "--rubric",
        &rubric("fy-xingmin.toml"),
        "--cases",
        &cases_csv(&env),
        "--name",
        "须知轮次",
        "--reviewers-file",
        &roster_csv(&env),
        "-o",
        &dbs,
    ]);
    let out = env.path("分发");
    let outs = out.display().to_string();
    for (who, cases) in ASSIGNED {
        for case in *cases {
            if *who == "评查员04" {
                continue;
            }
            env.ok(&["assign", "--db", &dbs, "--case", case, "--to", who]);
        }
    }

    // Refused while a reviewer has no case: nothing written, the round file untouched.
    let before = sha256(&db);
    let err = env.fails(&["handout", "--db", &dbs, "-o", &outs, "--only-assigned"]);
    assert!(err.contains("评查员04") && err.contains("没有分到案件"), "{err}");
    assert!(!err.contains("评查员01"), "{err}");
    assert_eq!(sha256(&db), before);
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
    let err = env.fails(&["--lang", "en", "handout", "--db", &dbs, "-o", &outs, "--only-assigned"]);
    assert!(err.contains("no case assigned"), "{err}");

    env.ok(&["assign", "--db", &dbs, "--case", "案004", "--to", "评查员04"]);
    let printed = env.ok(&["handout", "--db", &dbs, "-o", &outs, "--only-assigned"]);
    assert!(printed.contains("仅含本人的 2 件案件"), "{printed}");
    let copy = |who: &str| -> PathBuf {
        std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().contains(who))
            .unwrap()
    };
    let all: BTreeSet<String> = (0..8).map(|i| format!("案{i:03}")).collect();
    for (who, cases) in ASSIGNED {
        let file = copy(who);
        let mine: BTreeSet<String> = cases.iter().map(|c| c.to_string()).collect();
        assert_eq!(case_numbers(&file), mine, "{who}");
        assert_eq!(orphans(&file), 0, "{who}");
        let listed = env.ok(&["case", "list", "--db", file.to_str().unwrap()]);
        // Not even in the file's bytes (free pages included): no other case number or handler.
        let bytes = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        for other in all.difference(&mine) {
            assert!(!listed.contains(other.as_str()), "{who}: {other} in\n{listed}");
            let i: usize = other[3..].parse().unwrap();
            assert!(!bytes.contains(other.as_str()), "{who}: {other} in the file");
            assert!(!bytes.contains(&format!("法官{i}")), "{who}: 法官{i} in the file");
        }
        for m in &mine {
            assert!(listed.contains(m.as_str()), "{who}: {m} missing from\n{listed}");
        }
    }

    // Work in the copies: findings on a case two reviewers share, a 待议 mark, a field edit.
    let a = copy("评查员01");
    let (b, c, d) = (copy("评查员02"), copy("评查员03"), copy("评查员04"));
    for (file, who, case) in [
        (&a, "评查员01", "案001"),
        (&a, "评查员01", "案002"),
        (&b, "评查员02", "案002"),
        (&d, "评查员04", "案004"),
    ] {
        env.ok(&[
            "finding",
            "add",
            "--db",
            file.to_str().unwrap(),
            "--case",
            case,
            "--item",
            "cpws.cl",
            "--count",
            "1",
            "--note",
            "错字",
            "--reviewer",
            who,
        ]);
    }
    env.ok(&[
        "mark",
        "--db",
        c.to_str().unwrap(),
        "--case",
        "案000",
        "--pending",
        "--note",
        "讨论",
        "--reviewer",
        "评查员03",
    ]);
    env.ok(&[
        "case",
        "set",
        "--db",
        b.to_str().unwrap(),
        "--case",
        "案003",
        "--field",
        "主审法官",
        "--value",
        "法官三",
        "--reviewer",
        "评查员02",
    ]);
    // A case left out cannot be written to in the copy: refused, the copy untouched.
    let before = sha256(&a);
    let err = env.fails(&[
        "finding",
        "add",
        "--db",
        a.to_str().unwrap(),
        "--case",
        "案005",
        "--item",
        "cpws.cl",
        "--count",
        "1",
        "--note",
        "错字",
        "--reviewer",
        "评查员01",
    ]);
    assert!(err.contains("案005"), "{err}");
    assert_eq!(sha256(&a), before);

    // Meanwhile the organiser corrects a case nobody holds a copy of.
    env.ok(&[
        "case",
        "set",
        "--db",
        &dbs,
        "--case",
        "案006",
        "--field",
        "主审法官",
        "--value",
        "法官六",
        "--reviewer",
        "组织者",
    ]);

    let master = db.clone();
    let orders: [[&PathBuf; 5]; 6] = [
        [&master, &a, &b, &c, &d],
        [&a, &b, &c, &d, &master],
        [&d, &c, &b, &a, &master],
        [&b, &master, &d, &a, &c],
        [&c, &a, &master, &d, &b],
        [&d, &master, &c, &b, &a],
    ];
    let mut results = BTreeSet::new();
    let mut scores = BTreeSet::new();
    for (i, order) in orders.iter().enumerate() {
        let (merged, printed) = merge(&env, &format!("m{i}.db"), order);
        assert!(printed.contains("冲突：0 处"), "{printed}");
        results.insert(canonical(&merged));
        scores.insert(env.ok(&["score", "--db", merged.to_str().unwrap(), "--json"]));
    }
    // Copies merged with each other first (they hold different cases), then with the
    // organiser's file: the same file.
    let (ab, _) = merge(&env, "ab.db", &[&a, &b]);
    let (cd, _) = merge(&env, "cd.db", &[&d, &c]);
    let (copies, _) = merge(&env, "abcd.db", &[&cd, &ab]);
    assert_eq!(
        case_numbers(&copies),
        ["案000", "案001", "案002", "案003", "案004"].map(String::from).into(),
        "the copies alone hold only the assigned cases: absence is not deletion"
    );
    let (tree, _) = merge(&env, "tree.db", &[&copies, &master]);
    results.insert(canonical(&tree));
    let (tree2, _) = merge(&env, "tree2.db", &[&master, &cd, &ab]);
    results.insert(canonical(&tree2));
    assert_eq!(results.len(), 1, "every order gives the same file");
    assert_eq!(scores.len(), 1, "every order gives the same scores");

    // The cases no copy held are as the organiser's file has them; the others carry the
    // reviewers' work.
    let merged = env.path("m0.db");
    let (got, organiser) = (metadata(&merged), metadata(&master));
    assert_eq!(got.len(), 8);
    for no in ["案005", "案006", "案007"] {
        assert_eq!(got[no], organiser[no], "{no}");
    }
    assert_eq!(got["案006"]["handler"], "法官六");
    assert_eq!(got["案003"]["handler"], "法官三");
    let conflicts = env.ok(&["conflicts", "--db", merged.to_str().unwrap()]);
    assert!(conflicts.contains("没有记录冲突"), "{conflicts}");
    let progress: serde_json::Value =
        serde_json::from_str(&env.ok(&["progress", "--db", merged.to_str().unwrap(), "--json"])).unwrap();
    let findings: BTreeMap<String, u64> = progress
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["name"].as_str().unwrap().to_owned(), l["findings"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        findings,
        [("评查员01", 2), ("评查员02", 1), ("评查员03", 0), ("评查员04", 1)]
            .map(|(n, f)| (n.to_owned(), f))
            .into()
    );
}
