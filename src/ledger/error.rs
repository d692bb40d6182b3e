//! Ledger errors, each saying what to do.

use super::{Action, State};
use crate::lang::{Lang, Localized};
use crate::store::StoreError;

/// What went wrong with the rectification ledger.
#[derive(Debug)]
pub enum LedgerError {
    /// A round-file problem.
    Store(StoreError),
    /// The action is not allowed from the entry's state.
    Refused {
        /// The entry's state.
        state: State,
        /// The action refused.
        action: Action,
    },
    /// 退回 or 销号 without a note.
    NoteRequired(Action),
    /// A change without the name of who makes it.
    NoActor,
    /// No entry with this id or id prefix.
    EntryNotFound(String),
    /// An id prefix matching several entries.
    AmbiguousEntry(String),
    /// A state name outside 待整改/整改中/已整改待核/已销号.
    UnknownState(String),
    /// A date not in `YYYY-MM-DD` form or not a real day.
    BadDate(String),
}

impl From<StoreError> for LedgerError {
    fn from(e: StoreError) -> Self {
        LedgerError::Store(e)
    }
}

impl Localized for LedgerError {
    fn localized(&self, lang: Lang) -> String {
        use LedgerError::*;
        let zh = lang == Lang::Zh;
        match self {
            Store(e) => e.localized(lang),
            Refused { state, action } => {
                let allowed: Vec<&str> = Action::ALL
                    .iter()
                    .filter(|a| super::transition(*state, **a).is_ok())
                    .map(|a| if zh { a.name() } else { a.key() })
                    .collect();
                let allowed = if allowed.is_empty() {
                    lang.pick(
                        "无（已销号的问题不能再改动状态）",
                        "none (a closed entry's state is final)",
                    )
                    .to_owned()
                } else {
                    allowed.join(lang.pick("、", ", "))
                };
                if zh {
                    format!("状态为“{state}”的问题不能{}；此时可以：{allowed}", action.name())
                } else {
                    format!(
                        "an entry in state {state} cannot be given `{}`; allowed now: {allowed}",
                        action.key()
                    )
                }
            }
            NoteRequired(action) => {
                if zh {
                    format!("{}必须说明理由：请用 --note 写明", action.name())
                } else {
                    format!("`{}` needs a reason: give it with --note", action.key())
                }
            }
            NoActor => lang
                .pick("请用 --by 写明是谁办理的", "say who makes the change with --by")
                .to_owned(),
            EntryNotFound(id) => {
                if zh {
                    format!("台账中没有编号为 {id} 的问题；用 pingcha ledger list 查看编号")
                } else {
                    format!("no ledger entry with id {id}; see the ids with pingcha ledger list")
                }
            }
            AmbiguousEntry(id) => {
                if zh {
                    format!("编号 {id} 对应多条问题，请多写几位")
                } else {
                    format!("id {id} matches several entries; give more of it")
                }
            }
            UnknownState(s) => {
                if zh {
                    format!("没有“{s}”这个状态；可用：待整改、整改中、已整改待核、已销号")
                } else {
                    format!("unknown state “{s}”; use pending, in-progress, awaiting-check or closed")
                }
            }
            BadDate(s) => {
                if zh {
                    format!("日期“{s}”无效：请写成 YYYY-MM-DD，如 2026-12-31")
                } else {
                    format!("invalid date “{s}”: write it as YYYY-MM-DD, e.g. 2026-12-31")
                }
            }
        }
    }
}
