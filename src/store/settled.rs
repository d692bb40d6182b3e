//! The sheet that counts for a case: one rule, used by every output (reports, problem lists,
//! opinions, the ledger and the problems the next round brings in).
//!
//! A sheet with nothing recorded (no finding, no 不适用 mark, not marked done) never counts. Among the others, at the
//! highest stage present, the case is settled (已定稿) by
//! - its 终评 sheet, when there is exactly one;
//! - else the one sheet there whose grade was decided (集体讨论), when exactly one was;
//! - else, below 终评 and unless the round requires 终评 for every case, the only reviewer's
//!   sheet at that stage.
//!
//! Otherwise the case is 未定稿 and no sheet counts: never "the first by name".

use super::{SheetRecord, Stage};

/// What a case's sheets add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// No sheet with anything recorded (未评查).
    Unreviewed,
    /// One sheet is the case's result (已定稿).
    Settled {
        /// The sheet that counts.
        sheet: SheetRecord,
        /// Why it counts.
        by: SettledBy,
    },
    /// Several sheets at the top stage and nothing to choose between them, or a round that
    /// requires 终评 and none yet (未定稿).
    Unsettled {
        /// The sheets at the top stage, by reviewer.
        sheets: Vec<SheetRecord>,
    },
}

/// Why a sheet is the case's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettledBy {
    /// It is the case's 终评 sheet.
    Final,
    /// Its grade was decided; no other sheet at its stage was.
    Decision,
    /// It is the only reviewer's sheet at the case's top stage.
    OnlyReviewer,
}

/// What the rule needs to know about one sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetFacts {
    /// The sheet.
    pub sheet: SheetRecord,
    /// Nothing recorded on it: no finding, no 不适用 or 已完成 mark (a 待议 mark is a question,
    /// not a result).
    pub empty: bool,
    /// Its grade was decided.
    pub decided: bool,
}

impl Standing {
    /// The sheet that counts, when the case is settled.
    pub fn sheet(&self) -> Option<&SheetRecord> {
        match self {
            Standing::Settled { sheet, .. } => Some(sheet),
            _ => None,
        }
    }
}

/// The rule itself, pure: which of a case's sheets counts.
pub fn standing(facts: &[SheetFacts], require_final: bool) -> Standing {
    let live: Vec<(Stage, &SheetFacts)> = facts.iter().filter(|f| !f.empty).map(|f| (f.sheet.stage, f)).collect();
    let Some(top) = live.iter().map(|(s, _)| *s).max() else {
        return Standing::Unreviewed;
    };
    let mut at_top: Vec<&SheetFacts> = live.iter().filter(|(s, _)| *s == top).map(|(_, f)| *f).collect();
    at_top.sort_by(|a, b| a.sheet.reviewer.cmp(&b.sheet.reviewer));
    let settled = |f: &SheetFacts, by| Standing::Settled {
        sheet: f.sheet.clone(),
        by,
    };
    if let [only] = at_top.as_slice() {
        if top == Stage::Final {
            return settled(only, SettledBy::Final);
        }
        if !require_final {
            return settled(only, SettledBy::OnlyReviewer);
        }
    }
    let decided: Vec<&&SheetFacts> = at_top.iter().filter(|f| f.decided).collect();
    if let [one] = decided.as_slice()
        && (top == Stage::Final || !require_final)
    {
        return settled(one, SettledBy::Decision);
    }
    Standing::Unsettled {
        sheets: at_top.iter().map(|f| f.sheet.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(reviewer: &str, stage: &str, empty: bool, decided: bool) -> SheetFacts {
        SheetFacts {
            sheet: SheetRecord {
                id: format!("{reviewer}-{stage}").into(),
                case_id: "c".into(),
                reviewer: reviewer.into(),
                stage: Stage::parse(stage).expect("a stage"),
                rubric_hash: "h".into(),
            },
            empty,
            decided,
        }
    }

    fn counted(s: &Standing) -> Option<(&str, &str)> {
        s.sheet().map(|s| (s.reviewer.as_str(), s.stage.name()))
    }

    #[test]
    fn the_final_sheet_counts_over_every_other() {
        let all = [
            facts("甲", "初评", false, false),
            facts("乙", "初评", false, false),
            facts("王五", "终评", false, false),
        ];
        assert_eq!(counted(&standing(&all, false)), Some(("王五", "终评")));
        assert_eq!(counted(&standing(&all, true)), Some(("王五", "终评")));
    }

    #[test]
    fn two_reviewers_at_the_top_stage_are_unsettled_whatever_their_names() {
        let all = [facts("甲", "初评", false, false), facts("乙", "初评", false, false)];
        let s = standing(&all, false);
        assert_eq!(counted(&s), None);
        let Standing::Unsettled { sheets } = s else { panic!() };
        assert_eq!(
            sheets.iter().map(|s| s.reviewer.as_str()).collect::<Vec<_>>(),
            ["乙", "甲"],
            "by name (乙 U+4E59 before 甲 U+7532), both listed"
        );
    }

    #[test]
    fn a_decided_grade_settles_between_several_sheets() {
        let all = [facts("甲", "初评", false, false), facts("乙", "初评", false, true)];
        assert_eq!(counted(&standing(&all, false)), Some(("乙", "初评")));
        assert_eq!(counted(&standing(&all, true)), None, "the round wants 终评");
    }

    #[test]
    fn one_reviewer_settles_unless_the_round_requires_final() {
        let all = [facts("甲", "自评", false, false), facts("乙", "复核", false, false)];
        assert_eq!(counted(&standing(&all, false)), Some(("乙", "复核")));
        assert!(matches!(standing(&all, true), Standing::Unsettled { sheets } if sheets.len() == 1));
    }

    #[test]
    fn an_empty_sheet_never_counts() {
        let all = [facts("甲", "初评", false, false), facts("乙", "初评", true, false)];
        assert_eq!(counted(&standing(&all, false)), Some(("甲", "初评")));
        let empty_final = [facts("甲", "初评", false, false), facts("王五", "终评", true, true)];
        assert_eq!(counted(&standing(&empty_final, false)), Some(("甲", "初评")));
        assert_eq!(
            standing(&[facts("乙", "初评", true, false)], false),
            Standing::Unreviewed
        );
        assert_eq!(standing(&[], false), Standing::Unreviewed);
    }
}
