//! Hand-computed examples, one per rule kind and per edge case, and property tests.

use super::*;
use crate::rubric::load;
use proptest::prelude::*;

const RUBRIC: &str = r#"
[rubric]
id = "test"
name = "测试标准"
version = "1"
total = 100
bonus_cap = 3
aggravation = { multiplier = 2 }

[[grade]]
name = "优秀"
min = 90
[[grade]]
name = "合格"
min = 75
[[grade]]
name = "瑕疵"
min = 60
[[grade]]
name = "不合格"
min = 0

[[field]]
key = "case_no"
label = "案号"
kind = "text"
required = true

[[category]]
id = "a"
name = "事实证据"
points = 40
max_deduction = 30

[[category.item]]
id = "a1"
name = "裁判文书错漏"
points = 5
rule = { kind = "per_occurrence", amount = 3 }

[[category.item]]
id = "a2"
name = "身份材料齐全"
points = 5
rule = { kind = "per_missing", amount = 1, elements = ["履历", "入党材料", "任职文件", "分工", "前科"] }

[[category.item]]
id = "a3"
name = "事实认定"
points = 10
rule = { kind = "range", min = 2, max = 10, step = 0.5 }

[[category.item]]
id = "a4"
name = "谈话笔录"
points = 10
rule = { kind = "per_occurrence", amount = 1 }

[[category.item]]
id = "a5"
name = "其他"
points = 10
rule = { kind = "catch_all", step = 0.5 }

[[category]]
id = "b"
name = "程序手续"
points = 40

[[category.item]]
id = "b1"
name = "立案审批"
points = 10
rule = { kind = "pass_fail" }

[[category.item]]
id = "b2"
name = "审理报告"
points = 10

[[category.item.subitem]]
id = "b2.1"
name = "要素缺失"
rule = { kind = "per_missing", amount = 1, elements = ["事实", "理由", "情节"] }

[[category.item.subitem]]
id = "b2.2"
name = "未制作审理报告"
points = 0.5
rule = { kind = "forfeit" }

[[category.item]]
id = "b3"
name = "期限"
points = 20
rule = { kind = "per_occurrence", amount = 2 }

[[category]]
id = "c"
name = "涉案财物"
points = 20

[[category.item]]
id = "c1"
name = "财物处置"
points = 20
rule = { kind = "pass_fail" }

[[category]]
id = "x"
name = "否决与加分"
points = 0

[[category.item]]
id = "x1"
name = "主要事实不清"
points = 0
rule = { kind = "veto" }

[[category.item]]
id = "x2"
name = "全案不得分情形"
points = 0
rule = { kind = "veto", effect = "zero_total" }

[[category.item]]
id = "x3"
name = "不得评为优秀"
points = 0
rule = { kind = "grade_cap", grade = "合格" }

[[category.item]]
id = "x4"
name = "纪检监察建议"
points = 0
rule = { kind = "bonus", amount = 2 }
"#;

fn rubric() -> Rubric {
    load(RUBRIC, "test.toml").unwrap()
}

fn with(edit: &str, by: &str) -> Rubric {
    load(&RUBRIC.replace(edit, by), "test.toml").unwrap()
}

fn p(s: &str) -> Points {
    s.parse().unwrap()
}

fn f(node: &str, q: Quantity) -> Finding {
    Finding {
        node: node.into(),
        quantity: q,
        repeat: false,
    }
}

fn count(node: &str, n: u32) -> Finding {
    f(node, Quantity::Count(n))
}

fn amount(node: &str, a: &str) -> Finding {
    f(node, Quantity::Amount(p(a)))
}

fn one(node: &str) -> Finding {
    f(node, Quantity::One)
}

fn sheet(findings: Vec<Finding>) -> Sheet {
    Sheet {
        findings,
        ..Sheet::default()
    }
}

fn item<'a>(s: &'a ScoreSheet, id: &str) -> &'a ItemScore {
    s.categories.iter().flat_map(|c| &c.items).find(|i| i.id == id).unwrap()
}

#[test]
fn clean_sheet_scores_full_marks() {
    let s = score(&rubric(), &Sheet::default());
    assert_eq!(s.total, p("100"));
    assert_eq!(s.grade, "优秀");
}

#[test]
fn per_occurrence_cap_reached_on_second_occurrence() {
    // 3 per error on a 5-point item: the second error only removes 2 more.
    let s = score(&rubric(), &sheet(vec![count("a1", 1), count("a1", 1)]));
    let a1 = item(&s, "a1");
    assert_eq!((a1.occurrences, a1.raw_deduction, a1.deduction), (2, p("6"), p("5")));
    assert_eq!(s.total, p("95"));
}

#[test]
fn per_missing_counts_elements() {
    let s = score(&rubric(), &sheet(vec![count("a2", 3)]));
    assert_eq!(item(&s, "a2").deduction, p("3"));
    assert_eq!(s.total, p("97"));
}

#[test]
fn range_takes_the_chosen_amount_in_half_steps() {
    let s = score(&rubric(), &sheet(vec![amount("a3", "2.5")]));
    assert_eq!(s.total, p("97.5"));
    let r = rubric();
    assert!(check_finding(&r, &amount("a3", "2.5")).is_ok());
    assert!(check_finding(&r, &amount("a3", "1.5")).is_err(), "below min");
    assert!(check_finding(&r, &amount("a3", "2.25")).is_err(), "off step");
    assert!(check_finding(&r, &amount("a3", "10.5")).is_err(), "over max");
}

#[test]
fn catch_all_is_free_up_to_the_item() {
    let s = score(&rubric(), &sheet(vec![amount("a5", "4"), amount("a5", "7")]));
    assert_eq!(item(&s, "a5").deduction, p("10"));
    assert!(check_finding(&rubric(), &amount("a5", "10.5")).is_err());
    assert!(check_finding(&rubric(), &amount("a5", "0.25")).is_err());
}

#[test]
fn pass_fail_takes_all_points() {
    let s = score(&rubric(), &sheet(vec![one("b1")]));
    assert_eq!(s.total, p("90"));
    assert_eq!(s.grade, "优秀", "90 is inside the 优秀 band (inclusive)");
}

#[test]
fn forfeit_sub_item_takes_the_whole_item() {
    let s = score(&rubric(), &sheet(vec![count("b2.1", 1), one("b2.2")]));
    assert_eq!(item(&s, "b2").deduction, p("10"));
    assert_eq!(s.total, p("90"));
}

#[test]
fn category_max_deduction_caps_the_category() {
    let findings = vec![count("a1", 2), amount("a3", "10"), count("a4", 10), amount("a5", "10")];
    let s = score(&rubric(), &sheet(findings));
    let a = &s.categories[0];
    assert_eq!((a.raw_deduction, a.deduction), (p("35"), p("30")));
    assert_eq!(s.total, p("70"));
    assert_eq!(s.grade, "瑕疵");
}

#[test]
fn boundary_89_5_is_below_90() {
    let at_90 = score(&rubric(), &sheet(vec![amount("a3", "10")]));
    assert_eq!((at_90.total, at_90.grade.as_str()), (p("90"), "优秀"));
    let below = score(&rubric(), &sheet(vec![amount("a3", "10"), amount("a5", "0.5")]));
    assert_eq!((below.total, below.grade.as_str()), (p("89.5"), "合格"));
}

#[test]
fn not_applicable_full_marks_ignores_findings_on_the_item() {
    let mut sh = sheet(vec![one("c1"), count("a4", 2)]);
    sh.not_applicable.insert("c1".into());
    let s = score(&rubric(), &sh);
    assert!(item(&s, "c1").not_applicable);
    assert_eq!(s.total, p("98"));
}

#[test]
fn not_applicable_rescale_rescales_to_the_total() {
    let r = with("bonus_cap = 3", "bonus_cap = 3\nna_policy = \"rescale\"");
    // c (20 points) N/A: 80 applicable, 5 deducted → 75/80 × 100 = 93.75
    let mut sh = sheet(vec![count("a4", 5)]);
    sh.not_applicable.insert("c".into());
    assert_eq!(score(&r, &sh).total, p("93.75"));
    // 85 of 95 → 89.4736… rounds to 89.47
    let mut sh = sheet(vec![count("a4", 10)]);
    sh.not_applicable.insert("a2".into());
    let s = score(&r, &sh);
    assert_eq!((s.total, s.grade.as_str()), (p("89.47"), "合格"));
}

#[test]
fn veto_with_high_score_forces_the_lowest_grade() {
    let s = score(&rubric(), &sheet(vec![one("x1")]));
    assert_eq!((s.total, s.grade.as_str()), (p("100"), "不合格"));
    assert!(
        matches!(&s.reasons[1], GradeReason::Veto { node, effect: VetoEffectName::LowestGrade, .. } if node == "x1")
    );
}

#[test]
fn zero_total_veto_sets_the_total_to_zero() {
    let s = score(&rubric(), &sheet(vec![one("x2"), count("x4", 1)]));
    assert_eq!((s.total, s.grade.as_str()), (p("0"), "不合格"));
}

#[test]
fn grade_cap_limits_the_best_grade() {
    let s = score(&rubric(), &sheet(vec![one("x3")]));
    assert_eq!((s.total, s.grade.as_str()), (p("100"), "合格"));
    // A cap above the band changes nothing.
    let s = score(&rubric(), &sheet(vec![one("x3"), one("b1"), one("c1")]));
    assert_eq!((s.total, s.grade.as_str()), (p("70"), "瑕疵"));
    assert_eq!(s.reasons.len(), 2, "band and cap are both listed");
}

#[test]
fn bonus_over_cap_is_capped_and_the_ceiling_holds() {
    let s = score(&rubric(), &sheet(vec![count("x4", 2), count("a4", 5)]));
    assert_eq!((s.bonus_raw, s.bonus, s.total), (p("4"), p("3"), p("98")));
    let s = score(&rubric(), &sheet(vec![count("x4", 2), count("a4", 1)]));
    assert_eq!(s.total, p("100"), "99 + 3 stops at the ceiling");
    let r = with("bonus_cap = 3", "bonus_cap = 3\nceiling = 105");
    assert_eq!(score(&r, &sheet(vec![count("x4", 2)])).total, p("103"));
}

#[test]
fn aggravation_multiplier_doubles_outside_the_cap() {
    let mut rep = count("a4", 2);
    rep.repeat = true;
    let s = score(&rubric(), &sheet(vec![rep]));
    assert_eq!((item(&s, "a4").deduction, s.extra, s.total), (p("2"), p("2"), p("96")));
    // On a capped item the extra is computed from the capped finding: 3×2 capped at 5 → +5.
    let mut rep = count("a1", 2);
    rep.repeat = true;
    let s = score(&rubric(), &sheet(vec![rep]));
    assert_eq!((s.extra, s.total), (p("5"), p("90")));
}

#[test]
fn aggravation_fixed_extra_per_occurrence() {
    let r = with("aggravation = { multiplier = 2 }", "aggravation = { extra = 1.5 }");
    let mut rep = count("a4", 2);
    rep.repeat = true;
    let s = score(&r, &sheet(vec![rep, count("a4", 1)]));
    assert_eq!((s.extra, s.total), (p("3"), p("94")));
}

#[test]
fn total_never_goes_below_zero() {
    let mut findings = vec![
        one("b1"),
        one("c1"),
        count("b3", 10),
        count("a4", 10),
        amount("a5", "10"),
    ];
    for f in &mut findings {
        f.repeat = true;
    }
    let r = with("aggravation = { multiplier = 2 }", "aggravation = { multiplier = 5 }");
    let s = score(&r, &sheet(findings));
    assert_eq!(s.total, p("0"));
}

#[test]
fn decided_grade_is_kept_beside_the_computed_one() {
    let mut sh = sheet(vec![amount("a3", "10"), amount("a5", "0.5")]);
    sh.decision = Some(Decision {
        grade: "优秀".into(),
        reason: "集体讨论认为扣分过严".into(),
        decider: "评查组".into(),
    });
    let s = score(&rubric(), &sh);
    assert_eq!((s.grade.as_str(), s.final_grade()), ("合格", "优秀"));
}

#[test]
fn findings_on_unknown_nodes_are_reported_not_scored() {
    let s = score(&rubric(), &sheet(vec![one("gone"), count("a4", 1)]));
    assert_eq!(s.unknown_nodes, vec!["gone".to_string()]);
    assert_eq!(s.total, p("99"));
}

#[test]
fn check_finding_matches_quantity_to_rule() {
    let r = rubric();
    assert_eq!(
        check_finding(&r, &one("a4")),
        Err(FindingError::NeedsCount("a4".into()))
    );
    assert_eq!(
        check_finding(&r, &count("b1", 1)),
        Err(FindingError::TakesNothing("b1".into()))
    );
    assert_eq!(check_finding(&r, &count("a4", 0)), Err(FindingError::ZeroCount));
    assert_eq!(
        check_finding(&r, &one("a3")),
        Err(FindingError::NeedsAmount("a3".into()))
    );
    assert_eq!(
        check_finding(&r, &one("b2")),
        Err(FindingError::UnknownNode("b2".into()))
    );
    assert!(check_finding(&r, &one("b2.2")).is_ok());
}

/// Any valid finding on the test rubric.
fn any_finding(deducting_only: bool) -> impl Strategy<Value = Finding> {
    let r = rubric();
    let nodes: Vec<(String, Rule, Points)> = r
        .scorables()
        .filter(|s| !deducting_only || s.rule().deducts())
        .map(|s| (s.id().to_owned(), s.rule().clone(), s.points()))
        .collect();
    (proptest::sample::select(nodes), 1u32..6, 0i64..1000, any::<bool>()).prop_map(|((id, rule, pts), n, a, repeat)| {
        let quantity = match rule {
            Rule::Range { min, max, step } => {
                let steps = (max - min).hundredths() / step.hundredths();
                Quantity::Amount(min + step * (a % (steps + 1)))
            }
            Rule::CatchAll { step } => {
                let steps = pts.hundredths() / step.hundredths();
                Quantity::Amount(step * (1 + a % steps))
            }
            r if r.quantity_kind() == crate::rubric::QuantityKind::Count => Quantity::Count(n),
            _ => Quantity::One,
        };
        Finding {
            node: id.into(),
            quantity,
            repeat,
        }
    })
}

fn any_sheet() -> impl Strategy<Value = Sheet> {
    (
        proptest::collection::vec(any_finding(false), 0..25),
        proptest::collection::btree_set(proptest::sample::select(vec!["a2", "b3", "c", "c1", "x"]), 0..3),
    )
        .prop_map(|(findings, na)| Sheet {
            findings,
            not_applicable: na.into_iter().map(String::from).collect(),
            decision: None,
        })
}

fn rubrics() -> impl Strategy<Value = Rubric> {
    proptest::sample::select(vec!["full_marks", "rescale"])
        .prop_map(|policy| with("bonus_cap = 3", &format!("bonus_cap = 3\nna_policy = \"{policy}\"")))
}

proptest! {
    #[test]
    fn total_stays_within_zero_and_ceiling(r in rubrics(), sh in any_sheet()) {
        let s = score(&r, &sh);
        prop_assert!(s.total >= Points::ZERO && s.total <= r.ceiling);
        prop_assert!(r.grade_rank(&s.grade).is_some());
    }

    #[test]
    fn adding_a_deduction_never_raises_the_total(r in rubrics(), sh in any_sheet(), extra in any_finding(true)) {
        let before = score(&r, &sh);
        let mut more = sh.clone();
        more.findings.push(extra);
        let after = score(&r, &more);
        prop_assert!(after.total <= before.total);
        prop_assert!(r.grade_rank(&after.grade) >= r.grade_rank(&before.grade));
    }

    #[test]
    fn order_of_findings_never_matters(r in rubrics(), sh in any_sheet(), seed in any::<u64>()) {
        let mut shuffled = sh.clone();
        let n = shuffled.findings.len();
        let mut state = seed;
        for i in (1..n).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.findings.swap(i, (state >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(score(&r, &sh), score(&r, &shuffled));
    }
}

#[test]
fn finding_points_show_what_one_finding_deducts_capped_at_its_node() {
    let demo = load(crate::demo::RUBRIC, "demo").unwrap();
    let at = |id: &str, q: Quantity| finding_points(&demo.scorable(id).unwrap(), q);
    // 7 missing elements on a 5-point checklist: the finding alone can take at most 5.
    assert_eq!(at("sszj.sfcl", Quantity::Count(7)), p("5"));
    assert_eq!(at("sszj.sfcl", Quantity::Count(2)), p("2"));
    assert_eq!(at("dxcl.lj", Quantity::Amount(p("2.5"))), p("2.5"));
    assert_eq!(at("jf.jpaj", Quantity::Count(1)), p("3"), "a bonus shows what it adds");
    assert_eq!(at("fj.ssbq", Quantity::One), Points::ZERO, "a veto deducts no points");
    // A forfeit sub-item takes the whole item.
    let r = rubric();
    assert_eq!(finding_points(&r.scorable("b2.2").unwrap(), Quantity::One), p("10"));
}
