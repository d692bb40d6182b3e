//! Settling the cases where the reviewers agree (`final --agreed`): at a meeting, only the cases
//! whose sheets differ need discussion.

use crate::merge::MergeError;
use crate::review::{FinalFrom, start_final};
use crate::store::Result;
use crate::store::{MarkKind, SheetRecord, Stage, Store};

/// What a sheet records, in a form two sheets can be compared by: findings as (node, quantity)
/// sorted, and the 不适用 nodes sorted.
type Signature = (Vec<(String, String)>, Vec<String>);

fn signature(store: &Store, sheet: &SheetRecord) -> Result<Signature> {
    let mut findings: Vec<(String, String)> = store
        .findings(&sheet.id)?
        .into_iter()
        .map(|f| (f.node, format!("{:?}", f.quantity)))
        .collect();
    findings.sort();
    let mut na = store.marked(&sheet.id, MarkKind::NotApplicable)?;
    na.sort();
    Ok((findings, na))
}

/// The cases (numbers, in list order) without a 终评 sheet whose two or more sheets at their
/// top stage record the same findings (items and quantities) and the same 不适用 items.
pub fn agreed_cases(store: &Store) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for case in store.cases()? {
        let sheets = store.sheets_of_case(&case.id)?;
        if sheets.iter().any(|s| s.stage == Stage::Final.name()) {
            continue;
        }
        let Some(top) = sheets.iter().filter_map(|s| Stage::parse(&s.stage).ok()).max() else {
            continue;
        };
        let at: Vec<&SheetRecord> = sheets.iter().filter(|s| s.stage == top.name()).collect();
        if at.len() < 2 {
            continue;
        }
        let first = signature(store, at[0])?;
        let mut same = true;
        for s in &at[1..] {
            if signature(store, s)? != first {
                same = false;
                break;
            }
        }
        if same {
            out.push((case.case_no, at[0].reviewer.clone()));
        }
    }
    Ok(out)
}

/// Starts the writer's 终评 sheet of every agreed case from the first reviewer's sheet;
/// returns the case numbers settled.
pub fn settle_agreed(store: &mut Store) -> std::result::Result<Vec<String>, MergeError> {
    let agreed = agreed_cases(store)?;
    let mut settled = Vec::new();
    for (case_no, from) in agreed {
        start_final(store, &case_no, &FinalFrom::Reviewer(from))?;
        settled.push(case_no);
    }
    Ok(settled)
}
