//! Ledger errors, each saying what to do.

use super::{Action, RowError, RowProblem, State};
use crate::lang::{Lang, Localized};
use crate::store::StoreError;
use std::path::PathBuf;

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
    /// A change over a selection ([`super::set_many_on`]) that selects no entry.
    NoneSelected,
    /// A state, action or date outside its vocabulary.
    Word(crate::vocab::UnknownWord),
    /// Writing the fill-in sheet failed.
    Xlsx(String),
    /// A file that cannot be read as a spreadsheet.
    Unreadable(PathBuf, String),
    /// A sheet spanning beyond the bounds (see [`crate::spreadsheet`]).
    TooLarge(PathBuf, crate::spreadsheet::SheetError),
    /// A spreadsheet that is not the ledger's fill-in sheet.
    NotLedgerSheet(PathBuf),
    /// Rows of a fill-in sheet that cannot be applied; nothing was applied.
    Rows(PathBuf, Vec<RowError>),
    /// The earlier round's file (`--previous`) cannot be read; nothing was created.
    Previous(PathBuf, Box<StoreError>),
    /// Removing the automatic 从重 of a problem fed back before, without saying why.
    WaiverReasonRequired(Box<super::repeat::Notice>),
}

impl From<crate::vocab::UnknownWord> for LedgerError {
    fn from(e: crate::vocab::UnknownWord) -> Self {
        LedgerError::Word(e)
    }
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
                    format!("{}必须说明理由", action.name())
                } else {
                    format!("`{}` needs a reason", action.key())
                }
            }
            NoActor => lang.pick("请写明是谁办理的", "say who makes the change").to_owned(),
            NoneSelected => lang
                .pick(
                    "台账中没有符合条件的问题，未作任何改动",
                    "no entry matches; nothing was changed",
                )
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
            Word(w) => w.localized(lang),
            Xlsx(e) => {
                if zh {
                    format!("无法生成整改台账表格：{e}")
                } else {
                    format!("cannot write the ledger sheet: {e}")
                }
            }
            TooLarge(p, e) => format!("{}: {}", p.display(), e.localized(lang)),
            Unreadable(p, e) => {
                if zh {
                    format!(
                        "无法读取 {}：{e}；请提供由 pingcha ledger export 导出、填写后保存的 .xlsx 文件",
                        p.display()
                    )
                } else {
                    format!(
                        "cannot read {}: {e}; give the .xlsx that pingcha ledger export wrote, filled in and saved",
                        p.display()
                    )
                }
            }
            NotLedgerSheet(p) => {
                if zh {
                    format!(
                        "{} 不是整改台账填报表（第 1 行列名不符）；请使用 pingcha ledger export 导出的表格，不要增删或改动列",
                        p.display()
                    )
                } else {
                    format!(
                        "{} is not the ledger fill-in sheet (row 1 headers differ); use the sheet pingcha ledger export wrote, without adding, removing or renaming columns",
                        p.display()
                    )
                }
            }
            Previous(p, e) => {
                let why = match (e.as_ref(), zh) {
                    (StoreError::Unsound { detail, .. }, true) => format!("文件已损坏（完整性检查：{detail}）"),
                    (StoreError::Unsound { detail, .. }, false) => {
                        format!("the file is damaged (integrity check: {detail})")
                    }
                    (e, _) => e.localized(lang),
                };
                if zh {
                    format!(
                        "无法读取上一轮文件 {}：{why}。新轮次未创建；请给出上一轮评查的 .db 文件（如汇总后的 team.db）",
                        p.display()
                    )
                } else {
                    format!(
                        "cannot read the previous round's file {}: {why}. No round was created; give the previous round's .db file (e.g. the merged team.db)",
                        p.display()
                    )
                }
            }
            WaiverReasonRequired(notice) => {
                if zh {
                    format!(
                        "{}。如不从重，须写明理由，未保存",
                        notice.said(&crate::vocab::Repeat::Automatic, lang)
                    )
                } else {
                    format!(
                        "{}. To remove the 从重, say why; nothing was saved",
                        notice.said(&crate::vocab::Repeat::Automatic, lang)
                    )
                }
            }
            Rows(p, rows) => {
                let mut out = if zh {
                    format!(
                        "{} 中有 {} 行无法导入，整张表均未导入；请改正后重新导入：",
                        p.display(),
                        rows.len()
                    )
                } else {
                    format!(
                        "{} has {} row(s) that cannot be applied; nothing was imported. Correct them and import again:",
                        p.display(),
                        rows.len()
                    )
                };
                for r in rows {
                    out.push('\n');
                    out.push_str(&row_message(r, lang));
                }
                out
            }
        }
    }
}

/// States by their Chinese names, joined.
fn names(states: &[State], sep: &str) -> String {
    states.iter().map(|s| s.name()).collect::<Vec<_>>().join(sep)
}

fn row_message(r: &RowError, lang: Lang) -> String {
    let row = r.row;
    match (&r.problem, lang) {
        (RowProblem::UnknownId(id), Lang::Zh) => format!("  第 {row} 行：台账中没有编号“{id}”"),
        (RowProblem::UnknownId(id), Lang::En) => format!("  row {row}: no ledger entry with id “{id}”"),
        (RowProblem::DuplicateId(id), Lang::Zh) => format!("  第 {row} 行：编号“{id}”重复出现"),
        (RowProblem::DuplicateId(id), Lang::En) => format!("  row {row}: id “{id}” appears twice"),
        (RowProblem::LockedEdited { column }, Lang::Zh) => {
            format!("  第 {row} 行：锁定列“{column}”被改动，请恢复原值")
        }
        (RowProblem::LockedEdited { column }, Lang::En) => {
            format!("  row {row}: locked column “{column}” was changed; restore it")
        }
        (RowProblem::BadRequest { value, state, allowed }, Lang::Zh) if allowed.is_empty() => format!(
            "  第 {row} 行：申请状态“{value}”不可用；此问题当前为“{state}”，单位不能再申请改变状态（退回、销号由核查人办理），请留空"
        ),
        (RowProblem::BadRequest { value, state, allowed }, Lang::Zh) => format!(
            "  第 {row} 行：申请状态“{value}”不可用；此问题当前为“{state}”，可填：{}，或留空",
            names(allowed, "、")
        ),
        (RowProblem::BadRequest { value, state, allowed }, Lang::En) if allowed.is_empty() => format!(
            "  row {row}: requested state “{value}” is not allowed; the entry is {state} and the unit cannot ask for another state (the checker returns or closes it): leave it blank"
        ),
        (RowProblem::BadRequest { value, state, allowed }, Lang::En) => format!(
            "  row {row}: requested state “{value}” is not allowed; the entry is {state}, give {} or leave it blank",
            names(allowed, " or ")
        ),
        (RowProblem::ChangedSinceExport, Lang::Zh) => format!(
            "  第 {row} 行：此表导出后，台账中该问题的整改措施或佐证材料已被改为其他内容；为免覆盖，请重新导出台账后再填写此行"
        ),
        (RowProblem::ChangedSinceExport, Lang::En) => format!(
            "  row {row}: the entry's measures or evidence were changed in the ledger after this sheet was exported; export again and fill this row in there, so that nothing is overwritten"
        ),
    }
}
