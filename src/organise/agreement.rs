//! Agreement between reviewers (评查尺度是否一致): Krippendorff's alpha per item, percent
//! agreement, an ordinal alpha on grades, and each reviewer's mean deviation from the others
//! by category.
//!
//! A unit of analysis is one case at one stage scored by two or more reviewers; an item
//! marked 不适用 on a sheet is a missing value. The inputs are exact (hundredths of a point);
//! alpha itself is a ratio and is computed in floating point.

use super::Result;
use crate::points::Points;
use crate::shared::SharedStr;
use crate::store::{Recorded, Stage, Store};
use serde::Serialize;
use std::collections::BTreeMap;

/// Fewer cases than this and an item's coefficients are withheld, unless told otherwise (the
/// round report uses it).
pub const DEFAULT_MIN_CASES: usize = 5;

/// The difference function of Krippendorff's alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Categories: any two different values differ by 1.
    Nominal,
    /// Ranks: the difference counts the values observed between two ranks.
    Ordinal,
    /// Numbers: the squared difference.
    Interval,
}

/// Krippendorff's alpha of `units` (each the values its coders gave; missing values left
/// out). Units with fewer than two values are not pairable and do not count. `None` when
/// there is nothing to compare or no variation at all (alpha is undefined).
pub fn alpha(units: &[Vec<i64>], metric: Metric) -> Option<f64> {
    let mut values: Vec<i64> = units.iter().filter(|u| u.len() > 1).flatten().copied().collect();
    values.sort_unstable();
    values.dedup();
    let index: BTreeMap<i64, usize> = values.iter().enumerate().map(|(i, v)| (*v, i)).collect();
    let v = values.len();
    // The coincidence matrix: o[c][k] = Σ over units of (c-k pairs) / (m_u - 1).
    let mut o = vec![vec![0.0f64; v]; v];
    for unit in units.iter().filter(|u| u.len() > 1) {
        let w = 1.0 / (unit.len() - 1) as f64;
        for (i, a) in unit.iter().enumerate() {
            for (j, b) in unit.iter().enumerate() {
                if i != j {
                    o[index[a]][index[b]] += w;
                }
            }
        }
    }
    let n_c: Vec<f64> = o.iter().map(|row| row.iter().sum()).collect();
    let n: f64 = n_c.iter().sum();
    if n < 2.0 {
        return None;
    }
    let delta = |c: usize, k: usize| -> f64 {
        match metric {
            Metric::Nominal => f64::from(u8::from(c != k)),
            Metric::Interval => {
                let d = (values[c] - values[k]) as f64;
                d * d
            }
            Metric::Ordinal => {
                let (lo, hi) = (c.min(k), c.max(k));
                let between: f64 = n_c[lo..=hi].iter().sum::<f64>() - (n_c[lo] + n_c[hi]) / 2.0;
                between * between
            }
        }
    };
    let (mut observed, mut expected) = (0.0, 0.0);
    for c in 0..v {
        for k in 0..v {
            let d = delta(c, k);
            observed += o[c][k] * d;
            expected += n_c[c] * n_c[k] * d;
        }
    }
    if expected == 0.0 {
        return None;
    }
    Some(1.0 - (n - 1.0) * observed / expected)
}

/// The share of pairable units whose values all agree.
pub fn percent_agreement(units: &[Vec<i64>]) -> Option<f64> {
    let pairable: Vec<&Vec<i64>> = units.iter().filter(|u| u.len() > 1).collect();
    if pairable.is_empty() {
        return None;
    }
    let same = pairable.iter().filter(|u| u.iter().all(|v| *v == u[0])).count();
    Some(same as f64 / pairable.len() as f64)
}

/// Agreement on one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemAgreement {
    /// Item id.
    pub id: String,
    /// Item name.
    pub name: String,
    /// Cases (at one stage) where two or more reviewers scored the item.
    pub cases: usize,
    /// Interval alpha on the deduction; `None` when withheld or undefined.
    pub deduction_alpha: Option<f64>,
    /// Nominal alpha on found / not found.
    pub found_alpha: Option<f64>,
    /// Share of cases where every reviewer deducted the same.
    pub percent: Option<f64>,
}

/// A reviewer's mean deviation from the others on the same cases, in one category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deviation {
    /// The reviewer.
    pub reviewer: String,
    /// Category id.
    pub category: String,
    /// Category name.
    pub name: String,
    /// Cases compared.
    pub cases: usize,
    /// Mean of (their deduction − the others' mean deduction), in points; positive: deducts more.
    pub mean: f64,
}

/// The agreement of a round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// Cases (at one stage) with two or more reviewers' sheets.
    pub cases: usize,
    /// The fewest cases an alpha is shown for.
    pub min_cases: usize,
    /// Per item, in rubric order.
    pub items: Vec<ItemAgreement>,
    /// Ordinal alpha on the computed grades (before any decision); `None` when withheld.
    pub grade_alpha: Option<f64>,
    /// Per reviewer and category.
    pub deviations: Vec<Deviation>,
}

/// One reviewer's numbers on one compared case: deduction per item (`None` for 不适用),
/// whether anything was found, deduction per category, grade rank.
struct Scored {
    reviewer: String,
    items: BTreeMap<SharedStr, Option<(i64, bool)>>,
    categories: BTreeMap<SharedStr, i64>,
    grade: Option<i64>,
}

/// Measures agreement over every case with two or more reviewers' sheets at the same stage;
/// alphas over fewer than `min_cases` cases are withheld.
pub fn agreement(store: &Store, min_cases: usize) -> Result<Agreement> {
    agreement_of(store, &store.recorded()?, min_cases)
}

/// [`agreement`] from the round read already, so an output that also reports on the round
/// (the round workbook) reads it once.
pub fn agreement_of(store: &Store, recorded: &Recorded, min_cases: usize) -> Result<Agreement> {
    let rubric = store.rubric()?;
    let grade_rank: BTreeMap<&str, i64> = rubric
        .grades
        .iter()
        .enumerate()
        .map(|(i, g)| (g.name.as_str(), i as i64))
        .collect();
    let mut units: Vec<Vec<Scored>> = Vec::new();
    for case_id in store.case_ids()? {
        let sheets = recorded.sheets_of_case(&case_id);
        for stage in Stage::ALL {
            let at: Vec<_> = sheets.iter().filter(|s| s.stage == stage).collect();
            if at.len() < 2 {
                continue;
            }
            let mut unit = Vec::new();
            for sheet in at {
                let score = store.score_recorded(recorded, sheet)?;
                let mut items = BTreeMap::new();
                let mut categories = BTreeMap::new();
                for c in &score.categories {
                    categories.insert(c.id.clone(), c.deduction.hundredths());
                    for i in &c.items {
                        let value = (!i.not_applicable).then_some((i.deduction.hundredths(), i.findings > 0));
                        items.insert(i.id.clone(), value);
                    }
                }
                unit.push(Scored {
                    reviewer: sheet.reviewer.clone(),
                    items,
                    categories,
                    grade: grade_rank.get(score.grade.as_str()).copied(),
                });
            }
            units.push(unit);
        }
    }
    let shown = |n: usize, a: Option<f64>| if n >= min_cases { a } else { None };
    let mut items = Vec::new();
    for category in &rubric.categories {
        for item in &category.items {
            let mut deductions = Vec::new();
            let mut found = Vec::new();
            for unit in &units {
                let values: Vec<(i64, bool)> = unit
                    .iter()
                    .filter_map(|s| s.items.get(&item.id).copied().flatten())
                    .collect();
                deductions.push(values.iter().map(|v| v.0).collect::<Vec<_>>());
                found.push(values.iter().map(|v| i64::from(v.1)).collect::<Vec<_>>());
            }
            let n = deductions.iter().filter(|u| u.len() > 1).count();
            items.push(ItemAgreement {
                id: item.id.to_string(),
                name: item.name.to_string(),
                cases: n,
                deduction_alpha: shown(n, alpha(&deductions, Metric::Interval)),
                found_alpha: shown(n, alpha(&found, Metric::Nominal)),
                percent: shown(n, percent_agreement(&deductions)),
            });
        }
    }
    let grades: Vec<Vec<i64>> = units
        .iter()
        .map(|u| u.iter().filter_map(|s| s.grade).collect())
        .collect();
    let grade_cases = grades.iter().filter(|g| g.len() > 1).count();
    // Deviations: Σ over cases of (own − others' mean), accumulated exactly as a fraction per
    // case and divided once at the end.
    let mut dev: BTreeMap<(String, String), (f64, usize)> = BTreeMap::new();
    for unit in &units {
        for me in unit {
            for (cat, own) in &me.categories {
                let others: Vec<i64> = unit
                    .iter()
                    .filter(|s| s.reviewer != me.reviewer)
                    .filter_map(|s| s.categories.get(cat).copied())
                    .collect();
                if others.is_empty() {
                    continue;
                }
                let m = others.len() as i64;
                let diff = (own * m - others.iter().sum::<i64>()) as f64 / (m as f64 * 100.0);
                let e = dev.entry((me.reviewer.clone(), cat.to_string())).or_default();
                e.0 += diff;
                e.1 += 1;
            }
        }
    }
    let names: BTreeMap<&str, &str> = rubric
        .categories
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let deviations = dev
        .into_iter()
        .map(|((reviewer, category), (sum, n))| Deviation {
            name: names.get(category.as_str()).copied().unwrap_or("").to_owned(),
            reviewer,
            category,
            cases: n,
            mean: sum / n as f64,
        })
        .collect();
    Ok(Agreement {
        cases: units.len(),
        min_cases,
        items,
        grade_alpha: shown(grade_cases, alpha(&grades, Metric::Ordinal)),
        deviations,
    })
}

/// Where reviewers diverge on one item of one practice case (a calibration round).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Divergence {
    /// The case.
    pub case_no: String,
    /// Item id.
    pub item: String,
    /// Item name.
    pub name: String,
    /// Each reviewer's deduction on it, by name (`None`: 不适用).
    pub deductions: Vec<(String, Option<Points>)>,
    /// The leader's deduction, when a leader scored the case (the reference sheet).
    pub reference: Option<(String, Option<Points>)>,
}

/// Item by item, where the reviewers of a case at the same stage did not deduct the same, with
/// the leader's sheet as the reference when there is one: what a calibration meeting goes through.
pub fn divergences(store: &Store) -> Result<Vec<Divergence>> {
    let leaders: std::collections::BTreeSet<String> = store
        .reviewers()?
        .into_iter()
        .filter(|r| r.leader)
        .map(|r| r.name)
        .collect();
    let mut out = Vec::new();
    let recorded = store.recorded()?;
    for case in store.cases()? {
        let sheets = recorded.sheets_of_case(&case.id);
        for stage in Stage::ALL {
            let at: Vec<_> = sheets.iter().filter(|s| s.stage == stage).collect();
            if at.len() < 2 {
                continue;
            }
            let mut scored = Vec::new();
            for sheet in at {
                scored.push((sheet.reviewer.clone(), store.score_recorded(&recorded, sheet)?));
            }
            let first = &scored[0].1;
            for (c, category) in first.categories.iter().enumerate() {
                for (i, item) in category.items.iter().enumerate() {
                    let deductions: Vec<(String, Option<Points>)> = scored
                        .iter()
                        .map(|(who, s)| {
                            let it = s.categories.get(c).and_then(|c| c.items.get(i));
                            (who.clone(), it.filter(|it| !it.not_applicable).map(|it| it.deduction))
                        })
                        .collect();
                    if deductions.iter().all(|d| d.1 == deductions[0].1) {
                        continue;
                    }
                    out.push(Divergence {
                        case_no: case.case_no.clone(),
                        item: item.id.to_string(),
                        name: item.name.to_string(),
                        reference: deductions.iter().find(|d| leaders.contains(&d.0)).cloned(),
                        deductions,
                    });
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
    /// observers, twelve units, values 1–5, missing data. Columns are units; `None` missing.
    fn published() -> Vec<Vec<i64>> {
        const A: [Option<i64>; 12] = [
            Some(1),
            Some(2),
            Some(3),
            Some(3),
            Some(2),
            Some(1),
            Some(4),
            Some(1),
            Some(2),
            None,
            None,
            None,
        ];
        const B: [Option<i64>; 12] = [
            Some(1),
            Some(2),
            Some(3),
            Some(3),
            Some(2),
            Some(2),
            Some(4),
            Some(1),
            Some(2),
            Some(5),
            None,
            Some(3),
        ];
        const C: [Option<i64>; 12] = [
            None,
            Some(3),
            Some(3),
            Some(3),
            Some(2),
            Some(3),
            Some(4),
            Some(2),
            Some(2),
            Some(5),
            Some(1),
            None,
        ];
        const D: [Option<i64>; 12] = [
            Some(1),
            Some(2),
            Some(3),
            Some(3),
            Some(2),
            Some(4),
            Some(4),
            Some(1),
            Some(2),
            Some(5),
            Some(1),
            None,
        ];
        (0..12)
            .map(|u| [A[u], B[u], C[u], D[u]].into_iter().flatten().collect())
            .collect()
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 0.0005)
    }

    #[test]
    fn the_published_example_gives_the_published_alphas() {
        let units = published();
        assert!(
            close(alpha(&units, Metric::Nominal), 0.743),
            "{:?}",
            alpha(&units, Metric::Nominal)
        );
        assert!(
            close(alpha(&units, Metric::Ordinal), 0.815),
            "{:?}",
            alpha(&units, Metric::Ordinal)
        );
        assert!(
            close(alpha(&units, Metric::Interval), 0.849),
            "{:?}",
            alpha(&units, Metric::Interval)
        );
    }

    /// Section A of the same paper: two observers, ten units, binary values; α = 0.095.
    #[test]
    fn the_published_binary_two_observer_example_gives_0_095() {
        let a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
        let b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
        let units: Vec<Vec<i64>> = a.iter().zip(&b).map(|(x, y)| vec![*x, *y]).collect();
        assert!(
            close(alpha(&units, Metric::Nominal), 0.095),
            "{:?}",
            alpha(&units, Metric::Nominal)
        );
    }

    #[test]
    fn perfect_agreement_is_one_and_no_variation_is_undefined() {
        assert_eq!(alpha(&[vec![1, 1], vec![2, 2]], Metric::Interval), Some(1.0));
        assert_eq!(alpha(&[vec![3, 3], vec![3, 3]], Metric::Nominal), None);
        assert_eq!(alpha(&[vec![3]], Metric::Nominal), None);
        assert_eq!(percent_agreement(&[vec![1, 1], vec![1, 2]]), Some(0.5));
    }
}
