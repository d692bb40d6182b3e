//! The organiser's side of a round, through the binary: roster, assignment with avoidance,
//! hand-out, changing the case list, progress and agreement.

mod common;

use common::{Env, rubric};
use pingcha::store::Store;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The canonical dump of a file (merged records only).
fn canonical(path: &Path) -> String {
    pingcha::export::json::canonical(&Store::open_read_only(path).unwrap()).unwrap()
}

/// Case `i` (0-based) of the big round: unit 单位1..12 in turn, 1–7 volumes.
fn unit_of(i: usize) -> String {
    format!("单位{}", i % 12 + 1)
}

fn volumes_of(i: usize) -> u32 {
    1 + (i * 5 % 7) as u32
}

/// Writes a court case list of cases `from..to` (numbers 案{i}).
fn cases_csv(env: &Env, name: &str, range: std::ops::Range<usize>) -> String {
    let mut csv = String::from("案号,案由,案件类型,办案部门,主审法官,结案日期,卷册数\n");
    for i in range {
        csv.push_str(&format!(
            "案{i:03},合同纠纷,民事,{},法官{i},2026-03-01,{}\n",
            unit_of(i),
            volumes_of(i)
        ));
    }
    let path = env.path(name);
    std::fs::write(&path, csv).unwrap();
    path.display().to_string()
}

/// Twelve reviewers in four groups of three; reviewer r sits in 单位{r+1}, group 第{r/3+1}组.
fn roster_csv(env: &Env, count: usize, per_group: usize) -> String {
    let mut csv = String::from("姓名,单位,评查组,组长\n");
    for r in 0..count {
        csv.push_str(&format!(
            "评查员{:02},单位{},第{}组,{}\n",
            r + 1,
            r + 1,
            r / per_group + 1,
            if r % per_group == 0 { "是" } else { "" }
        ));
    }
    let path = env.path("名单.csv");
    std::fs::write(&path, csv).unwrap();
    path.display().to_string()
}

/// A round of `cases` cases with the roster of `reviewers` in groups of `per_group`.
fn round(env: &Env, name: &str, cases: usize, reviewers: usize, per_group: usize) -> String {
    let list = cases_csv(env, &format!("{name}.csv"), 0..cases);
    let roster = roster_csv(env, reviewers, per_group);
    let db = env.path(name).display().to_string();
    env.ok(&[
        "round",
        "new",
        "--rubric",
        &rubric("fy-xingmin.toml"),
        "--cases",
        &list,
        "--name",
        "组织轮次",
        "--reviewers-file",
        &roster,
        "-o",
        &db,
    ]);
    db
}

/// (case number, reviewer) pairs of the file's assignment.
fn assignment(db: &str) -> BTreeSet<(String, String)> {
    let store = Store::open_read_only(Path::new(db)).unwrap();
    let numbers: BTreeMap<pingcha::vocab::CaseId, String> =
        store.cases().unwrap().into_iter().map(|c| (c.id, c.case_no)).collect();
    store
        .assignments()
        .unwrap()
        .into_iter()
        .map(|a| (numbers[&a.case_id].clone(), a.reviewer))
        .collect()
}

/// Marks `who`'s 初评 sheet of `case` done.
fn mark_done(db: &Path, case: &str, who: &str) {
    let identity = pingcha::store::Identity {
        machine_id: "test-machine".into(),
        reviewer: who.into(),
    };
    let mut store = Store::open(db, &identity).unwrap();
    let case = store.require_case(case).unwrap();
    let sheet = store.sheet(&case.id, pingcha::store::Stage::Initial).unwrap();
    store
        .set_mark(&sheet.id, "", pingcha::store::MarkKind::Done, true, "")
        .unwrap();
    store.close().unwrap();
}

#[test]
fn unknown_and_near_miss_names_are_refused_with_the_closest_roster_names() {
    let env = Env::new();
    let db = round(&env, "r.db", 4, 4, 2);
    let before = canonical(Path::new(&db));
    let add = |who: &str| {
        env.run(&[
            "finding",
            "add",
            "--db",
            &db,
            "--case",
            "案000",
            "--item",
            "cpws.cl",
            "--count",
            "1",
            "--note",
            "裁判文书错字",
            "--reviewer",
            who,
        ])
    };
    for who in ["评查员 01", "赵六"] {
        let out = add(who);
        assert_eq!(out.status.code(), Some(1), "{who} must be refused");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("不在本轮评查人员名单上") && err.contains("评查员0"),
            "{err}"
        );
    }
    assert!(String::from_utf8_lossy(&add("评查员 01").stderr).contains("最接近的是：评查员01"));
    assert_eq!(canonical(Path::new(&db)), before, "a refused name writes no record");
    assert!(add("评查员01").status.success());
    let listed = env.ok(&["reviewer", "list", "--db", &db]);
    assert!(
        listed.contains("评查员01") && listed.contains("单位1") && listed.contains("组长"),
        "{listed}"
    );
    env.ok(&[
        "reviewer", "add", "--db", &db, "赵六", "--unit", "单位9", "--group", "第1组",
    ]);
    assert!(add("赵六").status.success(), "a name added to the roster is accepted");
}

#[test]
fn only_the_author_or_a_leader_on_a_final_sheet_deletes_a_finding() {
    let env = Env::new();
    let db = round(&env, "r.db", 2, 4, 2);
    let out = env.ok(&[
        "finding",
        "add",
        "--db",
        &db,
        "--case",
        "案000",
        "--item",
        "cpws.cl",
        "--count",
        "1",
        "--note",
        "错字",
        "--reviewer",
        "评查员02",
    ]);
    let id: String = out
        .split_whitespace()
        .find(|w| w.len() >= 8 && w.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
        .unwrap()
        .to_owned();
    let err = env.fails(&["finding", "rm", &id, "--db", &db, "--reviewer", "评查员04"]);
    assert!(err.contains("评查员02") && err.contains("不能删除"), "{err}");
    env.ok(&["finding", "rm", &id, "--db", &db, "--reviewer", "评查员02"]);
}

#[test]
fn sixty_cases_twelve_reviewers_four_groups_cross_assigned_two_per_case() {
    let env = Env::new();
    let db = round(&env, "r.db", 60, 12, 3);
    env.ok(&["assign", "--db", &db, "--cross-groups", "--per-case", "2"]);
    let pairs = assignment(&db);
    assert_eq!(pairs.len(), 120);
    // Independent checks: every case has two reviewers; none of their own unit; group k
    // reviews group k+1's units; volumes within 1.3× of the mean.
    let unit_of_case: BTreeMap<String, (String, u32)> = (0..60)
        .map(|i| (format!("案{i:03}"), (unit_of(i), volumes_of(i))))
        .collect();
    let mut per_case: BTreeMap<&str, usize> = BTreeMap::new();
    let mut volumes: BTreeMap<&str, u32> = BTreeMap::new();
    for (case, reviewer) in &pairs {
        let r: usize = reviewer.trim_start_matches("评查员").parse().unwrap();
        let (unit, vols) = &unit_of_case[case];
        assert_ne!(unit, &format!("单位{r}"), "{reviewer} got {case} of their own unit");
        let case_group = (unit.trim_start_matches("单位").parse::<usize>().unwrap() - 1) / 3;
        let my_group = (r - 1) / 3;
        assert_eq!((my_group + 1) % 4, case_group, "group k takes group k+1's cases");
        *per_case.entry(case).or_default() += 1;
        *volumes.entry(reviewer).or_default() += vols;
    }
    assert!(per_case.values().all(|n| *n == 2) && per_case.len() == 60);
    assert_eq!(volumes.len(), 12);
    let mean = volumes.values().sum::<u32>() as f64 / 12.0;
    for (r, v) in &volumes {
        assert!(
            f64::from(*v) <= 1.3 * mean && f64::from(*v) >= mean / 1.3,
            "{r}: {v} volumes, mean {mean}"
        );
    }
    // The same command gives the same assignment, on this file and on a new round from the
    // same lists.
    env.ok(&["assign", "--db", &db, "--cross-groups", "--per-case", "2"]);
    assert_eq!(assignment(&db), pairs);
    let again = round(&env, "again.db", 60, 12, 3);
    env.ok(&["assign", "--db", &again, "--cross-groups", "--per-case", "2"]);
    assert_eq!(assignment(&again), pairs);
    let shown = env.ok(&[
        "assign",
        "--db",
        &db,
        "--show",
        "-o",
        env.path("分案表.xlsx").to_str().unwrap(),
    ]);
    assert!(shown.contains("评查员01") && shown.contains("第1组"), "{shown}");
    let sheet = common::xlsx::sheet(&env.path("分案表.xlsx"), "分案表");
    assert_eq!(common::xlsx::text(&sheet, 0, 0), "评查人");
    let total: f64 = (1..=12).map(|r| common::xlsx::number(&sheet, r, 3)).sum();
    assert_eq!(total, 120.0);
}

#[test]
fn breaking_avoidance_by_hand_needs_an_override_with_a_reason() {
    let env = Env::new();
    let db = round(&env, "r.db", 4, 4, 2);
    let before = canonical(Path::new(&db));
    // 案000 is of 单位1, 评查员01's unit.
    let err = env.fails(&["assign", "--db", &db, "--case", "案000", "--to", "评查员02", "评查员01"]);
    assert!(err.contains("须回避") && err.contains("评查员01"), "{err}");
    let out = env.run(&[
        "assign",
        "--db",
        &db,
        "--case",
        "案000",
        "--to",
        "评查员01",
        "--override",
    ]);
    assert!(!out.status.success(), "an override without a reason is refused");
    assert_eq!(canonical(Path::new(&db)), before, "refusals write nothing");
    env.ok(&[
        "assign",
        "--db",
        &db,
        "--case",
        "案000",
        "--to",
        "评查员01",
        "--override",
        "--reason",
        "本单位仅此一名骨干",
    ]);
    let shown = env.ok(&["assign", "--db", &db, "--show"]);
    assert!(
        shown.contains("不回避：案000 → 评查员01，理由：本单位仅此一名骨干"),
        "{shown}"
    );
    // A related unit is avoided too.
    let err = env.fails(&[
        "assign",
        "--db",
        &db,
        "--related",
        "单位2=单位3",
        "--case",
        "案002",
        "--to",
        "评查员02",
    ]);
    assert!(err.contains("须回避"), "{err}");
}

fn merge(env: &Env, name: &str, inputs: &[&PathBuf]) -> PathBuf {
    let out = env.path(name);
    let mut args = vec!["merge".to_owned()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["-o".to_owned(), out.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.ok(&args);
    out
}

#[test]
fn handed_out_copies_merge_in_every_order_after_cases_are_added_and_withdrawn() {
    let env = Env::new();
    let db = round(&env, "master.db", 6, 4, 2);
    env.ok(&["assign", "--db", &db, "--cross-groups", "--per-case", "1"]);
    let out = env.path("分发");
    let listed = env.ok(&["handout", "--db", &db, "-o", out.to_str().unwrap()]);
    assert_eq!(listed.lines().count(), 4, "{listed}");
    let copy = |who: &str| -> PathBuf {
        std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().contains(who))
            .unwrap()
    };
    let (a, b) = (copy("评查员01"), copy("评查员03"));
    for (file, who, case) in [
        (&a, "评查员01", "案002"),
        (&b, "评查员03", "案001"),
        (&b, "评查员03", "案000"),
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
    // After hand-out: one case added, one withdrawn (it has 评查员03's finding in copy b).
    let more = cases_csv(&env, "more.csv", 6..7);
    env.ok(&["case", "add", "--db", &db, "--cases", &more]);
    env.ok(&["case", "withdraw", "--db", &db, "--case", "案000", "--reason", "误抽"]);
    let master = PathBuf::from(&db);
    let orders: [[&PathBuf; 3]; 6] = [
        [&master, &a, &b],
        [&master, &b, &a],
        [&a, &master, &b],
        [&a, &b, &master],
        [&b, &master, &a],
        [&b, &a, &master],
    ];
    let mut results = BTreeSet::new();
    for (i, order) in orders.iter().enumerate() {
        results.insert(canonical(&merge(&env, &format!("m{i}.db"), order)));
    }
    let ab = merge(&env, "ab.db", &[&a, &b]);
    results.insert(canonical(&merge(&env, "ab_m.db", &[&ab, &master])));
    assert_eq!(results.len(), 1, "every order gives the same file");
    let merged = env.path("m0.db");
    let cases = env.ok(&["case", "list", "--db", merged.to_str().unwrap()]);
    assert!(cases.contains("案006") && !cases.contains("案000"), "{cases}");
    let store = Store::open_read_only(&merged).unwrap();
    assert_eq!(store.withdrawn_cases().unwrap()[0].reason, "误抽");
    let withdrawn = &store.withdrawn_cases().unwrap()[0];
    assert_eq!(withdrawn.case_no, "案000");
    assert!(
        !store.sheets_of_case(&withdrawn.case_id).unwrap().is_empty(),
        "a withdrawn case keeps its sheets"
    );
}

#[test]
fn progress_figures_equal_counts_made_here() {
    let env = Env::new();
    let db = round(&env, "r.db", 12, 4, 2);
    env.ok(&["assign", "--db", &db, "--cross-groups", "--per-case", "2"]);
    let pairs = assignment(&db);
    // Work through the first pairs: findings on some, done on some, 待议 on some.
    let mut expect: BTreeMap<String, [usize; 6]> = BTreeMap::new(); // assigned, not started, in progress, done, findings, pending
    for (i, (case, who)) in pairs.iter().enumerate() {
        let e = expect.entry(who.clone()).or_default();
        e[0] += 1;
        match i % 4 {
            0 => {
                env.ok(&[
                    "finding",
                    "add",
                    "--db",
                    &db,
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
                e[2] += 1;
                e[4] += 1;
            }
            1 => {
                // Through the library: `mark --done` of this main records 待议 (issue 11).
                mark_done(Path::new(&db), case, who);
                e[3] += 1;
            }
            2 => {
                env.ok(&[
                    "mark",
                    "--db",
                    &db,
                    "--case",
                    case,
                    "--pending",
                    "--note",
                    "讨论",
                    "--reviewer",
                    who,
                ]);
                e[2] += 1;
                e[5] += 1;
            }
            _ => e[1] += 1,
        }
    }
    let out = env.ok(&["progress", "--db", &db, "--json"]);
    let lines: Value = serde_json::from_str(&out).unwrap();
    let got: BTreeMap<String, [usize; 6]> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let n = |k: &str| l[k].as_u64().unwrap() as usize;
            (
                l["name"].as_str().unwrap().to_owned(),
                [
                    n("assigned"),
                    n("not_started"),
                    n("in_progress"),
                    n("done"),
                    n("findings"),
                    n("pending"),
                ],
            )
        })
        .collect();
    assert_eq!(got, expect);
    let by_group = env.ok(&["progress", "--db", &db, "--by", "group"]);
    assert!(by_group.contains("第1组") && by_group.contains("未定稿"), "{by_group}");
}

#[test]
fn agreement_on_a_constructed_round_matches_alphas_computed_by_hand() {
    let env = Env::new();
    let db = round(&env, "r.db", 6, 2, 1);
    let add = |case: &str, who: &str, item: &str| {
        env.ok(&[
            "finding",
            "add",
            "--db",
            &db,
            "--case",
            case,
            "--item",
            item,
            "--count",
            "1",
            "--note",
            "问题",
            "--reviewer",
            who,
        ]);
    };
    // cpws.cl (3 points a finding): both on 案000, 案001; only 01 on 案002; only 02 on 案003.
    for (case, who) in [
        ("案000", "评查员01"),
        ("案000", "评查员02"),
        ("案001", "评查员01"),
        ("案001", "评查员02"),
        ("案002", "评查员01"),
        ("案003", "评查员02"),
    ] {
        add(case, who, "cpws.cl");
    }
    add("案000", "评查员01", "cxyx.sd");
    for (case, who) in [
        ("案002", "评查员02"),
        ("案003", "评查员01"),
        ("案004", "评查员01"),
        ("案004", "评查员02"),
        ("案005", "评查员01"),
        ("案005", "评查员02"),
    ] {
        mark_done(Path::new(&db), case, who);
    }
    let json: Value = serde_json::from_str(&env.ok(&["agreement", "--db", &db, "--json"])).unwrap();
    assert_eq!(json["cases"], 6);
    let item = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "cpws.cl")
        .unwrap();
    // By hand: values 3,3 | 3,3 | 3,0 | 0,3 | 0,0 | 0,0. Coincidences o(3,3)=4, o(0,0)=4,
    // o(3,0)=o(0,3)=2; n_3=n_0=6, n=12. α = 1 − (n−1)·Σo·δ / Σn_c·n_k·δ = 1 − 11·4/72 = 7/18
    // for the binary difference; the interval metric scales δ by 3² on both sides: also 7/18.
    let seven_18 = 7.0 / 18.0;
    assert!(
        (item["deduction_alpha"].as_f64().unwrap() - seven_18).abs() < 1e-9,
        "{item}"
    );
    assert!(
        (item["found_alpha"].as_f64().unwrap() - seven_18).abs() < 1e-9,
        "{item}"
    );
    assert!((item["percent"].as_f64().unwrap() - 4.0 / 6.0).abs() < 1e-9, "{item}");
    // 评查员01 deducts 1 point more in cxyx on one case of six: +1/6 on average.
    let dev = json["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["reviewer"] == "评查员01" && d["category"] == "cxyx")
        .unwrap();
    assert!((dev["mean"].as_f64().unwrap() - 1.0 / 6.0).abs() < 1e-9, "{dev}");
    // Too few cases: withheld, with the number of cases printed.
    let text = env.ok(&["agreement", "--db", &db, "--min-cases", "7"]);
    assert!(text.contains("6 件") && text.contains("—"), "{text}");
    let json: Value = serde_json::from_str(&env.ok(&["agreement", "--db", &db, "--min-cases", "7", "--json"])).unwrap();
    assert!(
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["deduction_alpha"].is_null())
    );
}

#[test]
fn a_calibration_round_shows_divergences_and_never_reaches_reports_or_the_ledger() {
    let env = Env::new();
    let list = cases_csv(&env, "c.csv", 0..2);
    let roster = roster_csv(&env, 3, 3);
    let db = env.path("cal.db").display().to_string();
    env.ok(&[
        "round",
        "new",
        "--rubric",
        &rubric("fy-xingmin.toml"),
        "--cases",
        &list,
        "--name",
        "统一尺度",
        "--reviewers-file",
        &roster,
        "--calibration",
        "-o",
        &db,
    ]);
    for (who, count) in [("评查员01", "1"), ("评查员02", "1"), ("评查员03", "2")] {
        env.ok(&[
            "finding",
            "add",
            "--db",
            &db,
            "--case",
            "案000",
            "--item",
            "cxyx.sd",
            "--count",
            count,
            "--note",
            "送达回证无签名",
            "--reviewer",
            who,
        ]);
    }
    let out = env.ok(&["agreement", "--db", &db, "--calibration"]);
    assert!(out.contains("1 处") && out.contains("cxyx.sd"), "{out}");
    assert!(out.contains("评查员03 2") && out.contains("组长参考"), "{out}");
    let json: Value = serde_json::from_str(&env.ok(&["agreement", "--db", &db, "--calibration", "--json"])).unwrap();
    assert_eq!(
        json[0]["reference"][0], "评查员01",
        "the leader's sheet is the reference"
    );
    let before = canonical(Path::new(&db));
    let err = env.fails(&["report", "--db", &db, "-o", env.path("r.xlsx").to_str().unwrap()]);
    assert!(err.contains("练习轮次"), "{err}");
    let err = env.fails(&["ledger", "sync", "--db", &db, "--by", "督查员"]);
    assert!(err.contains("练习轮次"), "{err}");
    assert!(!env.path("r.xlsx").exists());
    assert_eq!(canonical(Path::new(&db)), before);
}

#[test]
fn the_reviewers_screen_lists_their_assigned_cases_first_and_keeps_every_case() {
    let env = Env::new();
    let db = round(&env, "r.db", 6, 4, 2);
    env.ok(&["assign", "--db", &db, "--case", "案004", "--to", "评查员02"]);
    env.ok(&["assign", "--db", &db, "--case", "案003", "--to", "评查员02"]);
    let app = common::app(Path::new(&db), "评查员02", pingcha::lang::Lang::Zh);
    let order: Vec<&str> = app.model.cases.iter().map(|c| c.case_no.as_str()).collect();
    assert_eq!(order, ["案003", "案004", "案000", "案001", "案002", "案005"]);
}

#[test]
fn the_ledger_lists_as_json_for_scripts() {
    let env = Env::new();
    let db = common::demo(env.dir.path()).display().to_string();
    env.ok(&["ledger", "sync", "--db", &db, "--by", "督查员"]);
    let text = env.ok(&["ledger", "list", "--db", &db]);
    let json: Value = serde_json::from_str(&env.ok(&["ledger", "list", "--db", &db, "--json"])).unwrap();
    let rows = json.as_array().unwrap();
    assert!(!rows.is_empty());
    assert_eq!(
        text.lines().filter(|l| l.contains("待整改")).count(),
        rows.len(),
        "{text}"
    );
    assert!(
        rows.iter()
            .all(|r| r["state"] == "待整改" && r["case_no"].as_str().is_some_and(|c| c.contains("纪审字")))
    );
}

#[test]
fn the_case_list_template_has_the_rubrics_columns_and_instructions() {
    let env = Env::new();
    let out = env.path("模板.xlsx");
    let printed = env.ok(&[
        "rubric",
        "fields",
        &rubric("fy-xingmin.toml"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(printed.contains("案号*") && printed.contains("卷册数"), "{printed}");
    let cases = common::xlsx::sheet(&out, "案件清单");
    assert_eq!(common::xlsx::text(&cases, 0, 0), "案号*");
    let labels: Vec<String> = (0..cases.width() as u32)
        .map(|c| common::xlsx::text(&cases, 0, c))
        .collect();
    assert!(
        labels.iter().any(|l| l.starts_with("办案部门")) && labels.iter().any(|l| l.starts_with("卷册数")),
        "{labels:?}"
    );
    let help = common::xlsx::sheet(&out, "填写说明");
    let row = common::xlsx::row_of(&help, "案件类型");
    assert!(common::xlsx::text(&help, row, 3).contains("民事"));
}

/// The template `rubric fields` wrote, filled in with `cases` (case number, volumes), its
/// instructions sheet moved first; `case_sheet` names the case list's sheet.
fn filled_template(template: &Path, out: &Path, case_sheet: &str, cases: &[(&str, u32)]) {
    let header = common::xlsx::sheet(template, "案件清单");
    let help = common::xlsx::sheet(template, "填写说明");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("填写说明").unwrap();
    for (r, row) in help.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let calamine::Data::String(t) = cell {
                ws.write_string(r as u32, c as u16, t).unwrap();
            }
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name(case_sheet).unwrap();
    for c in 0..header.width() as u32 {
        let label = common::xlsx::text(&header, 0, c);
        ws.write_string(0, c as u16, &label).unwrap();
        for (r, (no, vols)) in cases.iter().enumerate() {
            let row = r as u32 + 1;
            let col = c as u16;
            let required = label.ends_with('*');
            let label = label.trim_end_matches('*');
            match label {
                "案号" => ws.write_string(row, col, *no).map(|_| ()),
                "案件类型" => ws.write_string(row, col, "民事").map(|_| ()),
                "办案部门" => ws.write_string(row, col, "民一庭").map(|_| ()),
                "卷册数" => ws.write_number(row, col, f64::from(*vols)).map(|_| ()),
                _ if label.starts_with("卷册数") => ws.write_number(row, col, f64::from(*vols)).map(|_| ()),
                _ if required => ws.write_string(row, col, format!("{label}{r}")).map(|_| ()),
                // The optional columns are left empty.
                _ => Ok(()),
            }
            .unwrap();
        }
    }
    wb.save(out).unwrap();
}

#[test]
fn a_case_list_below_an_instructions_sheet_is_found_and_a_workbook_without_one_names_its_sheets() {
    let env = Env::new();
    let template = env.path("模板.xlsx");
    let court = rubric("fy-xingmin.toml");
    env.ok(&["rubric", "fields", &court, "-o", template.to_str().unwrap()]);
    let filled = env.path("清单.xlsx");
    filled_template(&template, &filled, "案件清单", &[("案A", 2), ("案B", 3)]);
    let db = env.path("r.db").display().to_string();
    let new = |cases: &Path, db: &str| {
        env.run(&[
            "round",
            "new",
            "--rubric",
            &court,
            "--cases",
            cases.to_str().unwrap(),
            "--name",
            "模板轮次",
            "-o",
            db,
        ])
    };
    let out = new(&filled, &db);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let more = env.path("补充.xlsx");
    filled_template(&template, &more, "补充案件", &[("案C", 1)]);
    env.ok(&["case", "add", "--db", &db, "--cases", more.to_str().unwrap()]);
    let store = Store::open_read_only(Path::new(&db)).unwrap();
    let numbers: Vec<String> = store.cases().unwrap().into_iter().map(|c| c.case_no).collect();
    assert_eq!(numbers, ["案A", "案B", "案C"]);
    assert_eq!(store.require_case("案B").unwrap().field("volumes"), "3");
    drop(store);
    // No sheet has the required columns: both sheets are named, and nothing is written.
    let bare = env.path("无清单.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .set_name("说明")
        .unwrap()
        .write_string(0, 0, "请按模板填写")
        .unwrap();
    wb.add_worksheet()
        .set_name("名单")
        .unwrap()
        .write_string(0, 0, "姓名")
        .unwrap();
    wb.save(&bare).unwrap();
    let refused_db = env.path("refused.db");
    let out = new(&bare, refused_db.to_str().unwrap());
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("「说明」「名单」") && err.contains("案号"), "{err}");
    assert!(!refused_db.exists(), "a refused case list left a round file");
    let before = common::sha256(&db);
    let out = env.run(&["case", "add", "--db", &db, "--cases", bare.to_str().unwrap()]);
    assert!(!out.status.success());
    assert_eq!(common::sha256(&db), before, "a refused case add changed the file");
}

#[test]
fn the_report_lists_withdrawn_cases_and_overrides_and_counts_neither_withdrawn_case() {
    let env = Env::new();
    let db = round(&env, "r.db", 4, 4, 2);
    env.ok(&[
        "assign",
        "--db",
        &db,
        "--case",
        "案000",
        "--to",
        "评查员01",
        "--override",
        "--reason",
        "仅此一名骨干",
    ]);
    for case in ["案000", "案001"] {
        env.ok(&[
            "finding",
            "add",
            "--db",
            &db,
            "--case",
            case,
            "--item",
            "cpws.cl",
            "--count",
            "1",
            "--note",
            "错字",
            "--reviewer",
            "评查员01",
        ]);
    }
    env.ok(&["case", "withdraw", "--db", &db, "--case", "案001", "--reason", "误抽"]);
    let out = env.path("报告.xlsx");
    env.ok(&["report", "--db", &db, "-o", out.to_str().unwrap()]);
    let sheet = common::xlsx::sheet(&out, "撤出与不回避");
    assert_eq!(
        (common::xlsx::text(&sheet, 2, 0), common::xlsx::text(&sheet, 2, 1)),
        ("案001".into(), "误抽".into())
    );
    let row = common::xlsx::row_of(&sheet, "案000");
    assert_eq!(common::xlsx::text(&sheet, row, 2), "仅此一名骨干");
    let cases = common::xlsx::sheet(&out, "案件明细");
    let listed: Vec<String> = (1..cases.height() as u32)
        .filter_map(|r| match cases.get_value((r, 0)) {
            Some(calamine::Data::String(s)) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(
        listed.contains(&"案000".to_owned()) && !listed.contains(&"案001".to_owned()),
        "{listed:?}"
    );
}

#[test]
fn a_misspelled_volumes_header_is_refused_with_the_field_meant() {
    let env = Env::new();
    let csv = env.path("c.csv");
    std::fs::write(
        &csv,
        "案号,案由,案件类型,办案部门,主审法官,结案日期,卷册数（册）\nA,合同纠纷,民事,民一庭,法官,2026-03-01,3\n",
    )
    .unwrap();
    let db = env.path("r.db");
    let out = env.run(&[
        "round",
        "new",
        "--rubric",
        &rubric("fy-xingmin.toml"),
        "--cases",
        csv.to_str().unwrap(),
        "--name",
        "t",
        "-o",
        db.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("您是否指「卷册数」？"), "{err}");
    assert!(!db.exists(), "nothing was created");
}
