//! `pingcha mark`: 不适用, 待议 and 已完成 marks on a reviewer's sheet.

use super::DbArg;
use super::error::{CliError, CliResult};
use super::finding::WriterArgs;
use pingcha::lang::Lang;
use pingcha::store::{Identity, Mark, MarkKind, Stage, Store, StoreError};
use std::path::PathBuf;

/// Arguments of `pingcha mark`.
#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("kind").required(true).args(["na", "pending", "done"]))]
pub struct MarkArgs {
    #[command(flatten)]
    db: DbArg,
    /// 案号 (case number)
    #[arg(long = "case")]
    case_no: String,
    /// 大项或小项编号；待议可省略，表示整个案件 (category or item id)
    #[arg(long, default_value = "")]
    item: String,
    /// 标记为不适用 (not applicable)
    #[arg(long)]
    na: bool,
    /// 标记为待议，留待评查组会议讨论 (to raise at the group meeting)
    #[arg(long)]
    pending: bool,
    /// 标记本案评查已完成 (this sheet is finished)
    #[arg(long)]
    done: bool,
    /// 取消标记 (clear the mark)
    #[arg(long)]
    off: bool,
    /// 说明 (note)
    #[arg(long, default_value = "")]
    note: String,
    /// 该项已有问题记录时仍标记不适用（这些记录不再计分） (mark N/A although findings on it then stop counting)
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    writer: WriterArgs,
}

/// Runs `pingcha mark`.
pub fn run(args: MarkArgs, lang: Lang) -> CliResult {
    if args.na && args.item.trim().is_empty() {
        return Err(CliError::Usage(
            "不适用须指定大项或小项（--item）".into(),
            "--na needs a category or item (--item)".into(),
        ));
    }
    let kind = if args.na {
        MarkKind::NotApplicable
    } else if args.done {
        MarkKind::Done
    } else {
        MarkKind::Pending
    };
    let stage = Stage::parse(&args.writer.stage)?;
    let identity = Identity::here(&args.writer.reviewer).map_err(|e| CliError::Io(PathBuf::from("machine-id"), e))?;
    let mut store = Store::open(&args.db.db, &identity)?;
    let case = store.require_case(&args.case_no)?;
    let mark = Mark {
        node: args.item.trim().to_owned(),
        kind,
        on: !args.off,
        note: args.note.clone(),
        force: args.force,
    };
    let dropped = match store.mark(&case.id, stage, &mark) {
        Ok(n) => n,
        Err(e @ StoreError::NotApplicableHasFindings { .. }) => {
            return Err(CliError::Hinted(
                Box::new(e.into()),
                "确需标记不适用的，加 --force；或先删除这些问题记录（pingcha finding rm）",
                "add --force to mark it N/A anyway, or remove those findings first (pingcha finding rm)",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let sheet = store.sheet(&case.id, stage)?;
    let scored = store.score(&sheet)?;
    super::warn(store.finish(), lang);
    let what = match (kind, args.off) {
        (MarkKind::NotApplicable, false) => lang.pick("已标记不适用", "marked N/A"),
        (MarkKind::NotApplicable, true) => lang.pick("已取消不适用", "N/A cleared"),
        (MarkKind::Pending, false) => lang.pick("已标记待议", "marked for discussion"),
        (MarkKind::Pending, true) => lang.pick("已取消待议", "discussion mark cleared"),
        (MarkKind::Done, false) => lang.pick("已标记完成", "marked done"),
        (MarkKind::Done, true) => lang.pick("已取消完成标记", "done mark cleared"),
    };
    match lang {
        Lang::Zh => println!(
            "{what}：{} {}；现得分 {}，等次 {}",
            case.case_no, args.item, scored.total, scored.grade
        ),
        Lang::En => println!(
            "{what}: {} {}; total now {}, grade {}",
            case.case_no, args.item, scored.total, scored.grade
        ),
    }
    if dropped > 0 {
        match lang {
            Lang::Zh => println!("该项原有 {dropped} 条问题记录，现不再计分"),
            Lang::En => println!("{dropped} finding(s) on it no longer count"),
        }
    }
    Ok(())
}
