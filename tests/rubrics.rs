//! Every shipped rubric loads cleanly and has the shape its issue asks for.

use pingcha::lang::{Lang, Localized};
use pingcha::rubric::{Rule, load_file};
use std::path::Path;

#[test]
fn every_shipped_rubric_passes_validation() {
    let mut seen = 0;
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            if let Err(e) = load_file(&path) {
                panic!("{}", e.localized(Lang::Zh));
            }
            seen += 1;
        }
    }
    assert!(seen >= 3, "expected at least three shipped rubrics, found {seen}");
}

fn shipped(name: &str) -> pingcha::rubric::Rubric {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics").join(name);
    load_file(&path).map_err(|e| e.localized(Lang::Zh)).unwrap().0
}

#[test]
fn jjjc_sheet_has_bonus_aggravation_and_vetoes() {
    let r = shipped("jjjc-lian.toml");
    let deducting = r.categories.iter().filter(|c| c.points.hundredths() > 0).count();
    assert!((5..=6).contains(&deducting), "{deducting} deducting categories");
    let items = r.item_ids().count();
    assert!((25..=45).contains(&items), "{items} items");
    assert!(r.aggravation.is_some());
    assert!(r.bonus_cap.hundredths() > 0);
    let rules: Vec<&Rule> = r.scorables().map(|s| s.rule()).collect();
    assert!(rules.iter().any(|r| matches!(r, Rule::Bonus { .. })));
    assert!(rules.iter().filter(|r| matches!(r, Rule::Veto { .. })).count() >= 2);
}

#[test]
fn jcy_sheet_uses_the_2026_tiers() {
    let r = shipped("jcy-2026.toml");
    let names: Vec<&str> = r.grades.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["优质", "合格", "基本合格", "不合格"]);
}

#[test]
fn court_sheet_follows_r1() {
    let r = shipped("fy-xingmin.toml");
    let cats: Vec<(&str, i64)> = r
        .categories
        .iter()
        .map(|c| (c.name.as_str(), c.points.hundredths() / 100))
        .collect();
    assert_eq!(
        &cats[..4],
        &[("立案程序", 5), ("程序运行", 30), ("实体处理", 30), ("裁判文书", 15)]
    );
    let three_on_five = r.scorables().any(|s| {
        s.points().hundredths() == 500
            && matches!(s.rule(), Rule::PerOccurrence { amount } if amount.hundredths() == 300)
    });
    assert!(three_on_five, "the 每处扣3分 item on 5 points");
}

#[test]
fn each_shipped_rubric_speaks_for_its_own_institution() {
    let words = |name| shipped(name).document;
    let (jjjc, jcy, fy) = (
        words("jjjc-lian.toml"),
        words("jcy-2026.toml"),
        words("fy-xingmin.toml"),
    );
    assert_eq!(jjjc.report_to, "案件审理室");
    for other in [&jcy, &fy] {
        assert!(
            !other.report_to.contains("审理室") && !other.follow_up.contains("审理室"),
            "{other:?}"
        );
        assert_ne!(other.organ, jjjc.organ);
    }
    assert!(jcy.organ.contains("检察") && fy.organ.contains("法院"));
}
