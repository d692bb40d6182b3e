//! Store errors, each naming the file and saying what to do.

use crate::lang::{Lang, Localized};
use crate::rubric::RubricErrors;
use crate::score::FindingError;
use std::path::PathBuf;

/// What went wrong with a round file.
#[derive(Debug)]
pub enum StoreError {
    /// The file does not exist.
    NotFound(PathBuf),
    /// The file exists but is not a pingcha round file; it was not touched.
    NotPingcha(PathBuf),
    /// The file was written by a newer pingcha.
    NewerSchema {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        supported: i64,
    },
    /// Refusing to overwrite an existing file.
    AlreadyExists(PathBuf),
    /// SQLite reported an error.
    Sqlite(PathBuf, rusqlite::Error),
    /// A file-system error.
    Io(PathBuf, std::io::Error),
    /// The stored rubric does not load (should not happen for files pingcha wrote).
    Rubric(RubricErrors),
    /// No case with this number in the round.
    CaseNotFound(String),
    /// A case number given twice.
    DuplicateCase(String),
    /// No finding with this id (or prefix), or it was deleted.
    FindingNotFound(String),
    /// A finding id prefix matching several findings.
    AmbiguousFinding(String),
    /// A finding without a note (需填写具体扣分原因).
    NoteRequired,
    /// The finding does not fit its rule.
    Finding(FindingError),
    /// A volume beyond the case's 卷册数, or zero.
    VolumeOutOfRange {
        /// The volume given.
        volume: u32,
        /// The case's number of volumes.
        volumes: u32,
    },
    /// A page number of zero.
    BadPage,
    /// A problem code the node's common problems do not list.
    UnknownProblem(String),
    /// A stage name outside 自评/初评/复核/终评.
    UnknownStage(String),
    /// A grade that is not one of the rubric's.
    UnknownGrade(String),
    /// A decided grade without a reason or decider.
    DecisionIncomplete,
    /// A reviewer name that is empty.
    NoReviewer,
    /// No category or item with this id (or no such sheet).
    UnknownNode(String),
    /// Writing needs an identity; the file was opened read-only.
    ReadOnly,
    /// A name not on the round's roster, with the nearest roster names.
    NotOnRoster {
        /// The name given.
        name: String,
        /// The closest names on the roster, nearest first.
        closest: Vec<String>,
    },
    /// A change that needs a reason was given none (withdrawing a case).
    ReasonRequired,
    /// Deleting a finding someone else wrote.
    NotTheAuthor {
        /// Who wrote it (the sheet's reviewer).
        author: String,
        /// Who tried.
        by: String,
    },
}

impl StoreError {
    /// Wraps a SQLite error with the file it happened on.
    pub fn sqlite(path: &std::path::Path) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
        move |e| StoreError::Sqlite(path.to_path_buf(), e)
    }
}

impl Localized for StoreError {
    fn localized(&self, lang: Lang) -> String {
        use StoreError::*;
        let zh = lang == Lang::Zh;
        match self {
            NotFound(p) if zh => format!(
                "找不到文件 {}。请检查路径，或先用 `pingcha round new` 创建评查轮次",
                p.display()
            ),
            NotFound(p) => format!(
                "{} does not exist; check the path or create a round with `pingcha round new`",
                p.display()
            ),
            NotPingcha(p) if zh => format!(
                "{} 不是 pingcha 评查文件，未对其做任何改动。请确认选择了正确的 .db 文件",
                p.display()
            ),
            NotPingcha(p) => format!(
                "{} is not a pingcha round file; it was left untouched. Check you picked the right .db file",
                p.display()
            ),
            NewerSchema { path, found, supported } if zh => format!(
                "{} 由较新版本的 pingcha 写入（格式版本 {found}，本程序支持到 {supported}）。请升级 pingcha 后再打开；文件未被改动",
                path.display()
            ),
            NewerSchema { path, found, supported } => format!(
                "{} was written by a newer pingcha (schema {found}, this build knows up to {supported}); upgrade pingcha. The file was not changed",
                path.display()
            ),
            AlreadyExists(p) if zh => format!(
                "{} 已存在，为防止覆盖已有评查数据，请换一个文件名或先移走原文件",
                p.display()
            ),
            AlreadyExists(p) => format!(
                "{} already exists; pick another name so no review data is overwritten",
                p.display()
            ),
            Sqlite(p, e) if zh => format!("读写 {} 时数据库出错：{e}。文件可能已损坏或被其他程序占用", p.display()),
            Sqlite(p, e) => format!(
                "database error on {}: {e}. The file may be damaged or in use by another program",
                p.display()
            ),
            Io(p, e) if zh => format!("读写 {} 失败：{e}", p.display()),
            Io(p, e) => format!("cannot read or write {}: {e}", p.display()),
            Rubric(e) => e.localized(lang),
            CaseNotFound(c) if zh => {
                format!("本轮评查中没有案号为「{c}」的案件。可用 `pingcha case list` 查看案件")
            }
            CaseNotFound(c) => {
                format!("no case numbered `{c}` in this round; see `pingcha case list`")
            }
            DuplicateCase(c) if zh => format!("案号「{c}」重复"),
            DuplicateCase(c) => format!("case number `{c}` appears twice"),
            FindingNotFound(id) if zh => format!("找不到编号为 {id} 的问题记录（或已删除）"),
            FindingNotFound(id) => format!("no finding {id} (or it was deleted)"),
            AmbiguousFinding(id) if zh => format!("编号前缀 {id} 对应多条问题记录，请多输入几位"),
            AmbiguousFinding(id) => {
                format!("id prefix {id} matches several findings; give more characters")
            }
            NoteRequired if zh => "需填写具体扣分原因（--note），未保存".into(),
            NoteRequired => "a finding needs a note saying what exactly is wrong (--note); nothing was saved".into(),
            Finding(e) => e.localized(lang),
            VolumeOutOfRange { volume, volumes } if zh => {
                format!("第 {volume} 卷超出本案卷册数（共 {volumes} 卷），请核对卷号")
            }
            VolumeOutOfRange { volume, volumes } => {
                format!("volume {volume} is beyond this case's {volumes} volumes")
            }
            BadPage if zh => "页码须从 1 开始".into(),
            BadPage => "page numbers start at 1".into(),
            UnknownProblem(c) if zh => {
                format!("常见问题代码 {c} 不属于该项目，请从该项目的常见问题中选择")
            }
            UnknownProblem(c) => {
                format!("problem code {c} is not one of this node's common problems")
            }
            UnknownStage(s) if zh => format!("评查阶段「{s}」无效，可用：自评、初评、复核、终评"),
            UnknownStage(s) => format!("unknown stage `{s}`; use 自评, 初评, 复核 or 终评"),
            UnknownGrade(g) if zh => format!("「{g}」不是本评查标准的等次"),
            UnknownGrade(g) => format!("`{g}` is not a grade of this rubric"),
            DecisionIncomplete if zh => "确定等次须写明理由和决定人（如：评查组集体讨论）".into(),
            DecisionIncomplete => "a decided grade needs a reason and who decided".into(),
            UnknownNode(id) if zh => format!("评查标准中没有编号为 `{id}` 的大项或小项（不适用须标在大项或小项上）"),
            UnknownNode(id) => format!("the rubric has no category or item `{id}` (N/A goes on categories or items)"),
            NoReviewer if zh => "请给出评查人姓名（--reviewer）".into(),
            NoReviewer => "give the reviewer's name (--reviewer)".into(),
            ReadOnly if zh => "文件以只读方式打开，不能写入".into(),
            ReadOnly => "the file was opened read-only".into(),
            NotOnRoster { name, closest } if zh => format!(
                "「{name}」不在本轮评查人员名单上{}",
                if closest.is_empty() {
                    "（名单为空）".to_owned()
                } else {
                    format!("；名单上最接近的是：{}", closest.join("、"))
                }
            ),
            NotOnRoster { name, closest } => format!(
                "`{name}` is not on this round's roster{}",
                if closest.is_empty() {
                    " (the roster is empty)".to_owned()
                } else {
                    format!("; the closest names on it: {}", closest.join(", "))
                }
            ),
            ReasonRequired if zh => "须写明理由".into(),
            ReasonRequired => "a reason is required".into(),
            NotTheAuthor { author, by } if zh => {
                format!("这条问题记录是「{author}」的，{by}不能删除（终评表上的问题记录组长可以删除）")
            }
            NotTheAuthor { author, by } => format!(
                "this finding is {author}'s; {by} cannot delete it (a group leader may delete findings on a 终评 sheet)"
            ),
        }
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for StoreError {}

/// Results of store operations.
pub type Result<T> = std::result::Result<T, StoreError>;
