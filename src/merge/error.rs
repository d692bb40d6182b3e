//! Why a merge was refused. Every variant names the file(s) and says what to do; when any of
//! them is returned nothing has been written.

use crate::lang::{Lang, Localized};
use crate::store::StoreError;
use std::path::PathBuf;

/// A refused or failed merge, pack or review command.
#[derive(Debug)]
pub enum MergeError {
    /// Opening or reading a round file failed (not found, not pingcha, newer schema, …).
    Store(StoreError),
    /// SQLite's integrity check found damage.
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What the check said.
        detail: String,
    },
    /// Two inputs belong to different rounds.
    DifferentRound {
        /// The file of the other round.
        path: PathBuf,
        /// Its round name.
        name: String,
        /// The first input, whose round is merged.
        first: PathBuf,
        /// That round's name.
        first_name: String,
    },
    /// Two inputs write under one replica id with different content: a cloned file that both
    /// laptops kept using.
    ClonedReplica {
        /// The replica id.
        replica: String,
        /// One file.
        first: PathBuf,
        /// The other.
        second: PathBuf,
    },
    /// A replica's stamps lie outside the round's plausible dates.
    ClockOutOfRange(Box<OutOfRange>),
    /// A `--clock-fix` argument that does not read as `REPLICA=+DAYS` or names no replica.
    BadClockFix(String),
    /// The output has a non-empty `-wal` beside it: the file is open in another program, or
    /// was not closed cleanly. Replacing it would lose those writes, and a stale log could be
    /// replayed into the new file.
    LiveWal(PathBuf),
    /// No input files.
    NoInputs,
    /// A file-system error.
    Io(PathBuf, std::io::Error),
    /// Pack: the copy does not read back the same as the source.
    PackMismatch {
        /// The copy.
        path: PathBuf,
        /// What differs.
        detail: String,
    },
}

/// Details of [`MergeError::ClockOutOfRange`].
#[derive(Debug)]
pub struct OutOfRange {
    /// The file.
    pub path: PathBuf,
    /// The replica.
    pub replica: String,
    /// Its earliest implausible stamp, as a Beijing date.
    pub first: String,
    /// Its latest implausible stamp, as a Beijing date.
    pub last: String,
    /// The plausible window, as Beijing dates.
    pub window: (String, String),
    /// The correction given for it, if any (still not enough).
    pub fix_days: Option<i64>,
}

impl From<StoreError> for MergeError {
    fn from(e: StoreError) -> Self {
        MergeError::Store(e)
    }
}

impl Localized for MergeError {
    fn localized(&self, lang: Lang) -> String {
        use MergeError::*;
        let zh = lang == Lang::Zh;
        match self {
            Store(e) => e.localized(lang),
            Corrupt { path, detail } if zh => format!(
                "{} 已损坏（完整性检查：{detail}），未合并任何文件。请从该笔记本重新导出（pingcha pack）后再合并",
                path.display()
            ),
            Corrupt { path, detail } => format!(
                "{} is damaged (integrity check: {detail}); nothing was merged. Hand it in again with `pingcha pack`",
                path.display()
            ),
            DifferentRound {
                path,
                name,
                first,
                first_name,
            } if zh => format!(
                "{} 属于另一评查轮次「{name}」，与 {} 的「{first_name}」不同，不能合并；未写入任何文件",
                path.display(),
                first.display()
            ),
            DifferentRound {
                path,
                name,
                first,
                first_name,
            } => format!(
                "{} belongs to another round ({name}) than {} ({first_name}); they cannot be merged. Nothing was written",
                path.display(),
                first.display()
            ),
            ClonedReplica { replica, first, second } if zh => format!(
                "{} 与 {} 以同一副本编号 {} 写入了不同内容：同一个文件被复制后在两处继续使用。合并已停止，未写入任何文件；请查明两台电脑各自的记录后分别处理",
                first.display(),
                second.display(),
                short(replica)
            ),
            ClonedReplica { replica, first, second } => format!(
                "{} and {} write different records under the same replica id {}: one file was copied and both copies were used. The merge stopped and nothing was written",
                first.display(),
                second.display(),
                short(replica)
            ),
            ClockOutOfRange(o) if zh => {
                let OutOfRange {
                    path,
                    replica,
                    first,
                    last,
                    window,
                    fix_days,
                } = &**o;
                let fix = match fix_days {
                    Some(d) => format!("按更正调整 {d:+} 天后仍超出范围。"),
                    None => String::new(),
                };
                format!(
                    "{} 中副本 {} 的时间戳 {first} 至 {last} 超出本轮合理日期（{} 至 {}），该电脑的日期可能设错。{fix}核实后可按天数更正该副本的时间戳；未写入任何文件",
                    path.display(),
                    short(replica),
                    window.0,
                    window.1,
                )
            }
            ClockOutOfRange(o) => {
                let OutOfRange {
                    path,
                    replica,
                    first,
                    last,
                    window,
                    fix_days,
                } = &**o;
                let fix = match fix_days {
                    Some(d) => format!(" Even after the correction of {d:+} days they are outside."),
                    None => String::new(),
                };
                format!(
                    "{}: replica {} has stamps from {first} to {last}, outside the round's plausible dates ({} to {}); that laptop's date was probably wrong.{fix} Once checked, its stamps can be corrected by a number of days. Nothing was written",
                    path.display(),
                    short(replica),
                    window.0,
                    window.1,
                )
            }
            BadClockFix(s) if zh => {
                format!("时钟更正「{s}」格式应为 副本编号=+天数（如 3f2a91c0=-1826），且副本须出现在输入文件中")
            }
            BadClockFix(s) => {
                format!(
                    "the clock correction `{s}` must read REPLICA=+DAYS (e.g. 3f2a91c0=-1826) and name a replica in the inputs"
                )
            }
            LiveWal(p) if zh => format!(
                "{} 旁有未写回的 -wal 日志：该文件可能正在被其他 pingcha 使用，或上次未正常关闭。请先关闭使用它的程序（或用 pingcha 打开一次再退出），然后重试；未写入任何文件",
                p.display()
            ),
            LiveWal(p) => format!(
                "{} has a non-empty -wal log beside it: it is open in another pingcha or was not closed cleanly. Close that program (or open and quit it once with pingcha) and retry; nothing was written",
                p.display()
            ),
            NoInputs if zh => "请给出要合并的文件".into(),
            NoInputs => "give the files to merge".into(),
            Io(p, e) if let Some(media) = crate::output::OutputError::media(p, e) => media.localized(lang),
            Io(p, e) if zh => format!("读写 {} 失败：{e}", p.display()),
            Io(p, e) => format!("cannot read or write {}: {e}", p.display()),
            PackMismatch { path, detail } if zh => format!(
                "写到 {} 的副本校验不一致（{detail}）：U 盘可能未真正写入，该文件未留下。请换一个 U 盘或重新执行",
                path.display()
            ),
            PackMismatch { path, detail } => format!(
                "the copy for {} does not verify ({detail}): the stick may not have written it; nothing was left under that name. Try again or use another stick",
                path.display()
            ),
        }
    }
}

impl std::fmt::Display for MergeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for MergeError {}

/// The first eight characters of an id, as shown to people.
pub fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}
