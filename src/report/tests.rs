use super::*;
use crate::points::Points;
use crate::store::Store;

fn demo() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::demo::path_in(dir.path());
    crate::demo::create(&path, "test-machine").unwrap().close().unwrap();
    let store = Store::open_read_only(&path).unwrap();
    (dir, store)
}

#[test]
fn the_round_report_agrees_with_the_engine() {
    let (_dir, store) = demo();
    let report = round_report(&store).unwrap();
    let s = &report.summary;
    assert_eq!((s.cases, s.unsettled), (5, 3), "three demo cases have two 初评 sheets");
    assert_eq!(report.unreviewed, store.cases().unwrap().len() - 8);
    assert_eq!(s.unreviewed, report.unreviewed);
    for u in &report.unsettled {
        assert_eq!(u.sheets.len(), 2, "{}", u.case.case_no);
        assert!(report.cases.iter().all(|c| c.case.id != u.case.id));
    }
    let totals: Vec<Points> = report.cases.iter().map(|c| c.score.total).collect();
    assert_eq!(s.min, totals.iter().copied().min());
    assert_eq!(s.max, totals.iter().copied().max());
    assert_eq!(s.grade_counts.iter().sum::<usize>(), 5);
    assert_eq!(s.problems, report.cases.iter().map(|c| c.score.problems).sum::<u32>());
    for c in &report.cases {
        let standing = store.standing(&c.case.id).unwrap();
        assert_eq!(c.score, store.score(standing.sheet().unwrap()).unwrap());
        let problems = c.findings.iter().filter(|f| f.is_problem).count() as u32;
        assert_eq!(problems, c.score.problems, "{}", c.case.case_no);
        for cat in &c.score.categories {
            let sum: Points = c
                .findings
                .iter()
                .filter(|f| f.category_id == cat.id)
                .map(|f| f.deduction)
                .sum();
            assert!(cat.deduction <= sum, "caps only lower a category's deduction");
        }
    }
    let by_cat: u32 = report.categories.iter().map(|c| c.problems).sum();
    assert_eq!(by_cat, s.problems);
    let deducted: Points = report.categories.iter().map(|c| c.deduction).sum();
    let expected: Points = report
        .cases
        .iter()
        .flat_map(|c| &c.score.categories)
        .map(|c| c.deduction)
        .sum();
    assert_eq!(deducted, expected);
    for w in report.units.windows(2) {
        assert!(w[0].average >= w[1].average);
    }
    assert_eq!(report.units.iter().map(|u| u.cases).sum::<usize>(), 5);
    assert_eq!(report.handlers.iter().map(|u| u.problems).sum::<u32>(), s.problems);
    let occurrences: usize = report.common_problems.iter().map(|p| p.occurrences).sum();
    assert!(occurrences as u32 <= s.problems);
    for p in &report.common_problems {
        assert!(p.cases >= COMMON_MIN_CASES, "{p:?}");
        assert_eq!(p.case_numbers.len(), p.cases, "{p:?}");
        assert!(!p.units.is_empty() && !p.typical.is_empty(), "{p:?}");
    }
    for w in report.common_problems.windows(2) {
        assert!((w[0].cases, w[0].occurrences) >= (w[1].cases, w[1].occurrences));
    }
}

#[test]
fn findings_carry_wording_and_sort_by_page() {
    let (_dir, store) = demo();
    let case = store.cases().unwrap().into_iter().nth(3).unwrap();
    let report = case_report(&store, &case).unwrap().unwrap();
    assert_eq!(report.findings.len(), 4);
    for f in &report.findings {
        assert!(!f.category.is_empty() && !f.item.is_empty());
        if f.problem_code.is_some() {
            assert_eq!(f.problem, f.note, "the demo notes repeat the standard wording");
        }
    }
    let pages: Vec<_> = report.by_page().iter().map(|f| (f.volume, f.page)).collect();
    let mut sorted = pages.clone();
    sorted.sort();
    assert_eq!(pages, sorted);
}
