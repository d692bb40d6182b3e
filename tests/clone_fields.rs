//! Clone detection covers every merged table: a file copied and used in two places is refused
//! even when both copies only overwrote the same case field, while stale copies and honest
//! overwrites of a field by the same value still merge.

mod common;

use common::Env;

const CASE: &str = "〔2026〕纪审字第001号";

fn set(env: &Env, db: &str, field: &str, value: &str, who: &str) {
    env.ok(&[
        "case",
        "set",
        "--db",
        db,
        "--case",
        CASE,
        "--field",
        field,
        "--value",
        value,
        "--reviewer",
        who,
    ]);
}

fn p(path: &std::path::Path) -> String {
    path.display().to_string()
}

#[test]
fn a_cloned_file_whose_copies_only_overwrote_one_case_field_is_refused() {
    let env = Env::new();
    let demo = common::demo(env.dir.path());
    let a = env.path("a.db");
    std::fs::copy(&demo, &a).expect("copy");
    set(&env, &p(&a), "handler", "第一次", "张明");
    let saved = env.path("saved.db");
    std::fs::copy(&a, &saved).expect("save");
    set(&env, &p(&a), "handler", "原文件的值", "张明");
    let later = env.path("later.db");
    std::fs::rename(&a, &later).expect("move");
    std::fs::copy(&saved, &a).expect("restore the clone at the same path");
    set(&env, &p(&a), "handler", "克隆文件的值", "张明");

    let team = env.path("team.db");
    let err = env.fails(&["merge", &p(&later), &p(&a), "-o", &p(&team)]);
    assert!(err.contains("同一副本编号") && err.contains("later.db"), "{err}");
    assert!(!team.exists());
    // Either order.
    let err = env.fails(&["merge", &p(&a), &p(&later), "-o", &p(&team)]);
    assert!(err.contains("同一副本编号"), "{err}");
    // The stale copy (saved before the second edit) is not a clone.
    let out = env.ok(&["merge", &p(&later), &p(&saved), "-o", &p(&team)]);
    assert!(out.contains("冲突：0 处"), "{out}");
}

#[test]
fn honest_field_edits_on_several_laptops_still_merge() {
    let env = Env::new();
    let demo = common::demo(env.dir.path());
    let (a, b) = (env.path("a.db"), env.path("b.db"));
    std::fs::copy(&demo, &a).expect("copy");
    std::fs::copy(&demo, &b).expect("copy");
    set(&env, &p(&a), "handler", "王五", "张明");
    let stale = env.path("stale.db");
    std::fs::copy(&a, &stale).expect("copy");
    // The same value again (no history line), then another laptop overwrites it.
    set(&env, &p(&a), "handler", "王五", "张明");
    set(&env, &p(&b), "handler", "赵六", "李华");
    let team = env.path("team.db");
    env.ok(&["merge", &p(&a), &p(&b), "-o", &p(&team)]);
    // a's file merged again after more edits: the result holds a's latest write.
    set(&env, &p(&a), "unit", "第三审查调查室", "张明");
    env.ok(&["merge", "--into", &p(&team), &p(&a)]);
    // Folding in the stale copy of a: its value of the field is in the result's history (at
    // the later stamp of the same-value overwrite), so it is not taken for a clone.
    env.ok(&["merge", "--into", &p(&team), &p(&stale)]);
}
