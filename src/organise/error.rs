//! Why an organiser operation was refused: data only, no command-line flags.

use super::assign::AssignError;
use crate::lang::{Lang, Localized};
use crate::store::StoreError;

/// What went wrong.
#[derive(Debug)]
pub enum OrganiseError {
    /// A round file problem.
    Store(StoreError),
    /// The rule could not assign every case.
    Assign(AssignError),
    /// The round has no roster to assign from.
    NoRoster,
    /// The assignment would break avoidance (回避).
    Avoidance {
        /// The reviewer.
        reviewer: String,
        /// Their unit.
        unit: String,
        /// The case.
        case_no: String,
        /// The case's unit.
        case_unit: String,
    },
    /// Breaking avoidance was asked for without a reason.
    OverrideWithoutReason,
    /// A calibration round has no report and no ledger.
    Calibration,
    /// Copies with only each reviewer's cases were asked for, but these roster reviewers have
    /// no case assigned (their copy would hold no case).
    NothingAssigned(Vec<String>),
}

impl From<StoreError> for OrganiseError {
    fn from(e: StoreError) -> Self {
        OrganiseError::Store(e)
    }
}

impl From<AssignError> for OrganiseError {
    fn from(e: AssignError) -> Self {
        OrganiseError::Assign(e)
    }
}

impl Localized for OrganiseError {
    fn localized(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            OrganiseError::Store(e) => e.localized(lang),
            OrganiseError::Assign(AssignError::TooFewReviewers {
                case_no,
                needed,
                eligible,
            }) if zh => format!(
                "案件 {case_no} 需要 {needed} 名评查人，但按回避和分组规则只有 {eligible} 名可以评查，未分配任何案件"
            ),
            OrganiseError::Assign(AssignError::TooFewReviewers {
                case_no,
                needed,
                eligible,
            }) => format!(
                "case {case_no} needs {needed} reviewer(s) but only {eligible} may review it under avoidance and the groups; nothing was assigned"
            ),
            OrganiseError::Assign(AssignError::TooFewGroups(n)) if zh => {
                format!("组间交叉评查至少需要 2 个评查组，名单上有 {n} 个")
            }
            OrganiseError::Assign(AssignError::TooFewGroups(n)) => {
                format!("cross review between groups needs at least 2 groups; the roster has {n}")
            }
            OrganiseError::NoRoster if zh => "本轮没有评查人员名单，无法分案".into(),
            OrganiseError::NoRoster => "this round has no roster to assign from".into(),
            OrganiseError::Avoidance {
                reviewer,
                unit,
                case_no,
                case_unit,
            } if zh => format!("{reviewer}（{unit}）须回避案件 {case_no}（承办单位：{case_unit}），未分配"),
            OrganiseError::Avoidance {
                reviewer,
                unit,
                case_no,
                case_unit,
            } => format!(
                "{reviewer} ({unit}) must not review case {case_no} (unit {case_unit}: avoidance); nothing was assigned"
            ),
            OrganiseError::OverrideWithoutReason if zh => "不回避须写明理由，未分配".into(),
            OrganiseError::OverrideWithoutReason => "breaking avoidance needs a reason; nothing was assigned".into(),
            OrganiseError::Calibration if zh => "这是统一评查尺度的练习轮次：不出评查报告、不进整改台账".into(),
            OrganiseError::Calibration => "this is a calibration round: it has no report and no ledger".into(),
            OrganiseError::NothingAssigned(names) if zh => format!(
                "以下评查人没有分到案件，只含本人案件的副本将是空的：{}；请先分案，未写出任何副本",
                names.join("、")
            ),
            OrganiseError::NothingAssigned(names) => format!(
                "these reviewers have no case assigned, so a copy with only their cases would be empty: {}; assign first; no copy was written",
                names.join(", ")
            ),
        }
    }
}
