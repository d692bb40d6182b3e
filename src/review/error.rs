//! Why a step of the meeting (starting the final sheet) was refused.

use crate::lang::{Lang, Localized};
use crate::store::StoreError;

/// A refused review step.
#[derive(Debug)]
pub enum ReviewError {
    /// A round-file problem.
    Store(StoreError),
    /// No sheet to start the final sheet from: the reviewer named has none for the case (or,
    /// for a union, nobody has).
    NoSheet {
        /// The case number.
        case_no: String,
        /// The reviewer (empty for a union).
        reviewer: String,
    },
    /// The final sheet already has findings; starting it again would mix two starts.
    FinalNotEmpty {
        /// The case number.
        case_no: String,
    },
}

impl From<StoreError> for ReviewError {
    fn from(e: StoreError) -> Self {
        ReviewError::Store(e)
    }
}

impl Localized for ReviewError {
    fn localized(&self, lang: Lang) -> String {
        use ReviewError::*;
        let zh = lang == Lang::Zh;
        match self {
            Store(e) => e.localized(lang),
            NoSheet { case_no, reviewer } if zh => format!("{reviewer} 尚无案件「{case_no}」的评查表"),
            NoSheet { case_no, reviewer } => format!("{reviewer} has no sheet for case {case_no}"),
            FinalNotEmpty { case_no } if zh => {
                format!("案件「{case_no}」的终评表已有问题记录，不能重新起草；请直接在终评表上调整")
            }
            FinalNotEmpty { case_no } => {
                format!("the final sheet of {case_no} already has findings; adjust it instead of starting it again")
            }
        }
    }
}

impl std::fmt::Display for ReviewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for ReviewError {}
