//! One test per validation rule: each broken rubric reports the right problem at the right place.

use super::*;
use crate::lang::{Lang, Localized};

const BASE: &str = r#"[rubric]
id = "t"
name = "测试"
version = "1"
total = 10
bonus_cap = 2

[[grade]]
name = "优秀"
min = 9
[[grade]]
name = "合格"
min = 0

[[field]]
key = "case_no"
label = "案号"
kind = "text"
required = true

[[category]]
id = "a"
name = "程序"
points = 10

[[category.item]]
id = "a1"
name = "送达"
points = 4
rule = { kind = "per_occurrence", amount = 1 }

[[category.item]]
id = "a2"
name = "期限"
points = 6
rule = { kind = "range", min = 1, max = 3, step = 0.5 }

[[category]]
id = "x"
name = "否决与加分"
points = 0

[[category.item]]
id = "x1"
name = "否决"
points = 0
rule = { kind = "veto" }

[[category.item]]
id = "x2"
name = "加分"
points = 0
rule = { kind = "bonus", amount = 1 }
"#;

/// The errors of BASE with `from` replaced by `to`, as (line, column, kind).
fn errors(from: &str, to: &str) -> Vec<(usize, usize, RubricErrorKind)> {
    assert!(BASE.contains(from), "{from}");
    match load(&BASE.replacen(from, to, 1), "t.toml") {
        Ok(_) => vec![],
        Err(e) => e.0.into_iter().map(|e| (e.line, e.column, e.kind)).collect(),
    }
}

fn line_of(needle: &str) -> usize {
    BASE.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn the_base_rubric_is_valid() {
    assert_eq!(errors("", ""), vec![]);
}

#[test]
fn points_that_do_not_add_up() {
    let e = errors(
        "points = 4\nrule = { kind = \"per_occurrence\"",
        "points = 3\nrule = { kind = \"per_occurrence\"",
    );
    assert!(
        matches!(&e[..], [(l, 10, RubricErrorKind::PointsDoNotAddUp { node, .. })] if *l == line_of("points = 10") && node == "a"),
        "{e:?}"
    );
    let e = errors("total = 10", "total = 12");
    assert!(
        matches!(&e[..], [(5, 9, RubricErrorKind::PointsDoNotAddUp { node, .. })] if node == "t"),
        "{e:?}"
    );
}

#[test]
fn bands_out_of_order_and_lowest_band() {
    let e = errors("min = 9", "min = 0");
    assert!(
        e.iter()
            .any(|(_, _, k)| matches!(k, RubricErrorKind::BandsOutOfOrder { grade } if grade == "合格")),
        "{e:?}"
    );
    let e = errors("min = 0", "min = 5");
    assert!(
        e.iter()
            .any(|(_, _, k)| matches!(k, RubricErrorKind::LowestBandNotZero(_))),
        "{e:?}"
    );
    let e = errors("min = 9", "min = 11");
    assert!(
        e.iter()
            .any(|(_, _, k)| matches!(k, RubricErrorKind::BandAboveCeiling(_))),
        "{e:?}"
    );
}

#[test]
fn rules_that_make_no_sense_for_their_points() {
    let e = errors("amount = 1 }", "amount = 5 }");
    assert!(
        matches!(&e[..], [(_, _, RubricErrorKind::AmountExceedsPoints { .. })]),
        "{e:?}"
    );
    let e = errors("max = 3", "max = 7");
    assert!(matches!(&e[..], [(_, _, RubricErrorKind::BadRange(_))]), "{e:?}");
    let e = errors("step = 0.5", "step = 0.75");
    assert!(matches!(&e[..], [(_, _, RubricErrorKind::BadRange(_))]), "{e:?}");
    let e = errors(
        "points = 0\nrule = { kind = \"veto\" }",
        "points = 2\nrule = { kind = \"veto\" }",
    );
    assert!(
        e.iter()
            .any(|(_, _, k)| matches!(k, RubricErrorKind::PointsOnNonDeducting { node, .. } if node == "x1")),
        "{e:?}"
    );
    let e = errors("kind = \"bonus\", amount = 1", "kind = \"bonus\", amount = 3");
    assert!(matches!(&e[..], [(_, _, RubricErrorKind::BonusOverCap(_))]), "{e:?}");
    let e = errors("kind = \"veto\" }", "kind = \"grade_cap\", grade = \"良好\" }");
    assert!(
        matches!(&e[..], [(_, _, RubricErrorKind::UnknownGrade(g))] if g == "良好"),
        "{e:?}"
    );
    let e = errors("kind = \"veto\" }", "kind = \"grade_cap\", grade = \"优秀\" }");
    assert!(matches!(&e[..], [(_, _, RubricErrorKind::CapToBestGrade(_))]), "{e:?}");
    let e = errors("kind = \"veto\" }", "kind = \"veto\", amount = 1 }");
    assert!(
        matches!(
            &e[..],
            [(_, _, RubricErrorKind::RuleParamUnused { param: "amount", .. })]
        ),
        "{e:?}"
    );
    let e = errors(
        "{ kind = \"per_occurrence\", amount = 1 }",
        "{ kind = \"per_occurrence\" }",
    );
    assert!(
        matches!(
            &e[..],
            [(_, _, RubricErrorKind::RuleParamMissing { param: "amount", .. })]
        ),
        "{e:?}"
    );
}

#[test]
fn unknown_keys_and_bad_numbers_carry_positions() {
    let e = errors("name = \"送达\"", "name = \"送达\"\nweight = 2");
    let line = line_of("name = \"送达\"") + 1;
    assert!(
        matches!(&e[..], [(l, 1, RubricErrorKind::UnknownKey { key, .. })] if *l == line && key == "weight"),
        "{e:?}"
    );
    let e = errors("points = 4", "points = 4.125");
    assert!(matches!(&e[..], [(_, _, RubricErrorKind::BadPoints(_))]), "{e:?}");
}

#[test]
fn structure_errors() {
    let e = errors("id = \"a2\"", "id = \"a1\"");
    assert!(
        matches!(&e[..], [(_, 6, RubricErrorKind::DuplicateId { id, first_line })] if id == "a1" && *first_line == line_of("id = \"a1\"")),
        "{e:?}"
    );
    let e = errors("rule = { kind = \"range\", min = 1, max = 3, step = 0.5 }\n", "");
    assert!(
        matches!(&e[..], [(_, _, RubricErrorKind::NoRule(id))] if id == "a2"),
        "{e:?}"
    );
    let e = errors("key = \"case_no\"", "key = \"number\"");
    assert!(matches!(&e[..], [(_, _, RubricErrorKind::NoCaseNumberField)]), "{e:?}");
    let e = errors("total = 10", "total = 10\nceiling = 9");
    assert!(matches!(&e[..], [(_, _, RubricErrorKind::CeilingBelowTotal)]), "{e:?}");
}

#[test]
fn messages_say_what_to_do_in_both_languages() {
    let e = load(&BASE.replacen("amount = 1 }", "amount = 5 }", 1), "t.toml").unwrap_err();
    let zh = e.localized(Lang::Zh);
    let en = e.localized(Lang::En);
    assert!(
        zh.starts_with("t.toml:") && zh.contains("一处即扣完的请用 pass_fail 或 forfeit"),
        "{zh}"
    );
    assert!(en.contains("use pass_fail or forfeit"), "{en}");
}

#[test]
fn the_document_table_is_optional_and_checked() {
    let plain = load(BASE, "t.toml").unwrap();
    assert_eq!(plain.document, DocumentWords::default());
    let table = "[document]\norgan = \"某市纪委监委\"\nreport_to = \"案件审理室\"\nrectify_days = 15\n\
                 follow_up = \"将适时开展回头看。\"\nnumber = \"评查〔{year}〕{n}号\"\n\n[[field]]";
    let words = load(&BASE.replacen("[[field]]", table, 1), "t.toml").unwrap().document;
    assert_eq!(
        (words.organ.as_str(), words.report_to.as_str(), words.rectify_days),
        ("某市纪委监委", "案件审理室", 15)
    );
    assert_eq!(words.number, "评查〔{year}〕{n}号");

    let e = errors("[[field]]", "[document]\nrectify_days = 0\n\n[[field]]");
    assert!(
        matches!(&e[..], [(_, _, RubricErrorKind::NotPositive("document.rectify_days"))]),
        "{e:?}"
    );
    let e = errors("[[field]]", "[document]\norgan = \" \"\n\n[[field]]");
    assert!(
        matches!(&e[..], [(_, _, RubricErrorKind::Empty("document.organ"))]),
        "{e:?}"
    );
    let e = errors("[[field]]", "[document]\nnumber = \"评查2026号\"\n\n[[field]]");
    assert!(
        matches!(&e[..], [(l, _, RubricErrorKind::NumberWithoutPlaceholder)] if *l == line_of("[[field]]") + 1),
        "{e:?}"
    );
    let e = errors("[[field]]", "[document]\nauthor = \"x\"\n\n[[field]]");
    assert!(matches!(&e[..], [(_, _, RubricErrorKind::UnknownKey { .. })]), "{e:?}");
}

#[test]
fn an_order_between_fields_must_name_another_date_field() {
    let dates = "required = true\n[[field]]\nkey = \"filed_on\"\nlabel = \"立案日期\"\nkind = \"date\"\n[[field]]\nkey = \"closed_on\"\nlabel = \"审结日期\"\nkind = \"date\"\n";
    let ok = errors("required = true\n", &format!("{dates}not_before = \"filed_on\"\n"));
    assert!(ok.is_empty(), "{ok:?}");
    let rubric = load(
        &BASE.replacen("required = true\n", &format!("{dates}not_before = \"filed_on\"\n"), 1),
        "t",
    )
    .expect("valid");
    assert_eq!(
        rubric.field("closed_on").and_then(|f| f.not_before.as_deref()),
        Some("filed_on")
    );
    for bad in ["nosuch", "case_no", "closed_on"] {
        let e = errors("required = true\n", &format!("{dates}not_before = \"{bad}\"\n"));
        assert!(
            matches!(&e[..], [(_, _, RubricErrorKind::BadOrder(k, o))] if k == "closed_on" && o == bad),
            "{bad}: {e:?}"
        );
    }
    let on_text = errors(
        "kind = \"text\"\nrequired = true\n",
        &format!(
            "kind = \"text\"\nrequired = true\nnot_before = \"filed_on\"\n{}",
            &dates["required = true\n".len()..]
        ),
    );
    assert!(
        matches!(&on_text[..], [(_, _, RubricErrorKind::BadOrder(k, _))] if k == "case_no"),
        "{on_text:?}"
    );
}
