//! Store errors, each naming the file and saying what to do.

use crate::lang::{Lang, Localized};
use crate::output::OutputError;
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
    /// An output was refused or could not be written (see [`crate::output`]).
    Output(OutputError),
    /// A note or field beyond [`crate::text::MAX_CHARS`].
    TooLong(crate::text::TooLong),
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
    /// A word outside its vocabulary (a stage, a date, a round kind…).
    Word(crate::vocab::UnknownWord),
    /// A grade that is not one of the rubric's.
    UnknownGrade(String),
    /// A decided grade without a reason or decider.
    DecisionIncomplete,
    /// The case is 未定稿: no sheet counts yet (see [`super::Standing`]); its 案号 and the
    /// sheets at its top stage as "reviewer（stage）".
    Unsettled {
        /// 案号.
        case_no: String,
        /// The sheets waiting for a 终评.
        sheets: Vec<String>,
    },
    /// The item is marked 不适用 on this sheet, so a finding on it would count for nothing.
    ItemNotApplicable(String),
    /// Marking the item 不适用 would drop this many findings recorded on it from the count.
    NotApplicableHasFindings {
        /// The item or category.
        node: String,
        /// Findings that would stop counting.
        findings: usize,
    },
    /// A reviewer name that is empty.
    NoReviewer,
    /// No category or item with this id (or no such sheet).
    UnknownNode(String),
    /// Writing needs an identity; the file was opened read-only.
    ReadOnly,
    /// Another program holds the file in a way this one cannot share (see [`super::lock`]);
    /// nothing was changed.
    InUse {
        /// The round file.
        path: PathBuf,
        /// Who holds it, as far as the lock file tells (may be empty).
        holders: Vec<super::lock::Holder>,
    },
    /// The file is damaged (or claims a schema its tables do not have); it is refused for
    /// writing and was not changed.
    Damaged {
        /// The file.
        path: PathBuf,
        /// What SQLite's check or the schema comparison found (no SQL text).
        detail: String,
    },
    /// The file fails SQLite's integrity check, so it is not read further (a hand-in copy,
    /// an earlier round's file).
    Unsound {
        /// The file.
        path: PathBuf,
        /// What the check found (no SQL text).
        detail: String,
    },
    /// A schema version no pingcha writes (zero or negative).
    BadVersion {
        /// The file.
        path: PathBuf,
        /// The version found.
        found: i64,
    },
    /// Everything was committed, but folding the log into the file failed when closing it
    /// (e.g. a full disk): a warning, not a failure.
    NotFolded(PathBuf, rusqlite::Error),
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

    /// The same error naming `path` where it named `tmp`: an output built under a temporary
    /// name is reported by the name the user gave.
    pub fn relabel(self, tmp: &std::path::Path, path: &std::path::Path) -> StoreError {
        match self {
            StoreError::Sqlite(p, e) if p == tmp => StoreError::Sqlite(path.to_path_buf(), e),
            StoreError::Io(p, e) if p == tmp => StoreError::Io(path.to_path_buf(), e),
            other => other,
        }
    }
}

impl From<crate::vocab::UnknownWord> for StoreError {
    fn from(e: crate::vocab::UnknownWord) -> Self {
        StoreError::Word(e)
    }
}

impl From<crate::text::TooLong> for StoreError {
    fn from(e: crate::text::TooLong) -> Self {
        StoreError::TooLong(e)
    }
}

impl From<crate::output::Built<StoreError>> for StoreError {
    fn from(e: crate::output::Built<StoreError>) -> Self {
        match e {
            crate::output::Built::Output(e) => StoreError::Output(e),
            crate::output::Built::Fill(e) => e,
        }
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
            Output(e) => e.localized(lang),
            TooLong(e) => e.localized(lang),
            Sqlite(p, e) if let Some(media) = OutputError::from_sqlite(p, e) => media.localized(lang),
            Sqlite(p, e) if zh => format!(
                "读写 {} 时数据库出错：{}。文件可能已损坏或被其他程序占用",
                p.display(),
                sqlite_words(e)
            ),
            Sqlite(p, e) => format!(
                "database error on {}: {}. The file may be damaged or in use by another program",
                p.display(),
                sqlite_words(e)
            ),
            Io(p, e) if let Some(media) = OutputError::media(p, e) => media.localized(lang),
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
            NoteRequired if zh => "需填写具体扣分原因，未保存".into(),
            NoteRequired => "a finding needs a note saying what exactly is wrong; nothing was saved".into(),
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
            Word(w) => w.localized(lang),
            UnknownGrade(g) if zh => format!("「{g}」不是本评查标准的等次"),
            UnknownGrade(g) => format!("`{g}` is not a grade of this rubric"),
            DecisionIncomplete if zh => "确定等次须写明理由和决定人（如：评查组集体讨论）".into(),
            DecisionIncomplete => "a decided grade needs a reason and who decided".into(),
            Unsettled { case_no, sheets } if sheets.is_empty() && zh => {
                format!("案件 {case_no} 尚无评查记录，没有可定的结果")
            }
            Unsettled { case_no, sheets } if sheets.is_empty() => {
                format!("case {case_no} has nothing recorded yet: there is no result to decide")
            }
            Unsettled { case_no, sheets } if zh => format!(
                "案件 {case_no} 未定稿（评查表：{}），尚无可作为结果的终评表或确定等次",
                sheets.join("、")
            ),
            Unsettled { case_no, sheets } => format!(
                "case {case_no} is not settled (sheets: {}): no 终评 sheet or decided grade is its result yet",
                sheets.join(", ")
            ),
            ItemNotApplicable(node) if zh => {
                format!("「{node}」已标记不适用，不能在其上记录问题；如需记录，先取消不适用")
            }
            ItemNotApplicable(node) => {
                format!("`{node}` is marked N/A: no finding can be recorded on it; clear the N/A first")
            }
            NotApplicableHasFindings { node, findings } if zh => {
                format!("「{node}」已有 {findings} 条问题记录，标记不适用后这些记录将不再计分")
            }
            NotApplicableHasFindings { node, findings } => {
                format!("`{node}` has {findings} finding(s): marked N/A they would no longer count")
            }
            UnknownNode(id) if zh => format!("评查标准中没有编号为 `{id}` 的大项或小项（不适用须标在大项或小项上）"),
            UnknownNode(id) => format!("the rubric has no category or item `{id}` (N/A goes on categories or items)"),
            NoReviewer if zh => "请给出评查人姓名".into(),
            NoReviewer => "give the reviewer's name".into(),
            ReadOnly if zh => "文件以只读方式打开，不能写入".into(),
            ReadOnly => "the file was opened read-only".into(),
            InUse { path, holders } => in_use(path, holders, lang),
            Damaged { path, detail } if zh => format!(
                "{} 已损坏（{detail}），为免损坏扩大，拒绝写入，文件未被改动。请用交回的副本或备份恢复；只读命令（如 score、finding list）仍可查看",
                path.display()
            ),
            Damaged { path, detail } => format!(
                "{} is damaged ({detail}); it is refused for writing and was not changed. Restore it from a hand-in copy or a backup; read-only commands (score, finding list) still work",
                path.display()
            ),
            Unsound { path, detail } if zh => format!("{} 已损坏（完整性检查：{detail}）", path.display()),
            Unsound { path, detail } => format!("{} is damaged (integrity check: {detail})", path.display()),
            BadVersion { path, found } if zh => format!(
                "{} 的格式版本 {found} 无效（文件已损坏或被其他程序改过），拒绝写入，文件未被改动",
                path.display()
            ),
            BadVersion { path, found } => format!(
                "{} has an invalid schema version {found} (damaged, or changed by another program); refused for writing, not changed",
                path.display()
            ),
            NotFolded(p, e) if zh => format!(
                "已保存，但关闭时未能把日志并入 {}（{}）。所有记录都在，请让同名 -wal 文件留在它旁边，不要只复制 .db（pingcha pack 会带上全部内容）",
                p.display(),
                sqlite_words(e)
            ),
            NotFolded(p, e) => format!(
                "saved, but folding the log into {} failed when closing ({}). Everything is there: keep the -wal file beside it and do not copy the .db alone (pingcha pack includes everything)",
                p.display(),
                sqlite_words(e)
            ),
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

/// Who holds a file, in words: "王五 在评查界面中打开（进程 12，自 … 起）; …".
fn in_use(path: &std::path::Path, holders: &[super::lock::Holder], lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let who: Vec<String> = holders
        .iter()
        .map(|h| {
            let name = if h.reviewer.is_empty() {
                String::new()
            } else {
                format!("{} ", h.reviewer)
            };
            let what = if h.what.is_empty() {
                "pingcha".to_owned()
            } else {
                format!("pingcha {}", h.what)
            };
            match (h.is_screen(), zh) {
                (true, true) => format!("{name}在评查界面中打开（进程 {}，自 {} 起）", h.pid, h.since()),
                (true, false) => format!(
                    "{name}has it open in the review screen (pid {}, since {})",
                    h.pid,
                    h.since()
                ),
                (false, true) => format!("{name}正在运行 {what}（进程 {}，自 {} 起）", h.pid, h.since()),
                (false, false) => format!("{name}is running {what} (pid {}, since {})", h.pid, h.since()),
            }
        })
        .collect();
    let secs = super::lock::WAIT.as_secs();
    match (who.is_empty(), zh) {
        (true, true) => format!(
            "{} 正被另一个 pingcha 程序使用，等待 {secs} 秒后仍未释放。请待其结束（或关闭评查界面）后再试；文件未被改动",
            path.display()
        ),
        (true, false) => format!(
            "{} is in use by another pingcha program and was not released within {secs} s; try again when it has finished (or the review screen is closed). The file was not changed",
            path.display()
        ),
        (false, true) => format!(
            "{} 正在使用中：{}。等待 {secs} 秒后仍未释放，请待其结束（或关闭评查界面）后再试；文件未被改动",
            path.display(),
            who.join("；")
        ),
        (false, false) => format!(
            "{} is in use: {}. Not released within {secs} s; try again when it has finished (or the review screen is closed). The file was not changed",
            path.display(),
            who.join("; ")
        ),
    }
}

/// A SQLite error in words without the SQL text it may carry.
pub(crate) fn sqlite_words(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        rusqlite::Error::SqliteFailure(err, None) => err.to_string(),
        other => other.to_string(),
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
