//! `pingcha finding add|list|rm`.

use super::DbArg;
use super::error::{CliError, CliResult};
use super::table::{Align, render};
use pingcha::lang::Lang;
use pingcha::ledger::repeat;
use pingcha::points::Points;
use pingcha::score::Quantity;
use pingcha::store::{Identity, NewFinding, Repeat, Stage, Store};
use std::path::PathBuf;

/// Who writes, and at which stage.
#[derive(clap::Args, Clone)]
pub struct WriterArgs {
    /// 评查人 (reviewer name)
    #[arg(long, env = "PINGCHA_REVIEWER")]
    pub reviewer: String,
    /// 评查阶段：自评 / 初评 / 复核 / 终评
    #[arg(long, default_value = "初评")]
    pub stage: String,
}

/// Finding subcommands.
#[derive(clap::Subcommand)]
pub enum FindingCommand {
    /// 记录一条扣分问题 (record a finding)
    Add {
        #[command(flatten)]
        db: DbArg,
        /// 案号 (case number)
        #[arg(long = "case")]
        case_no: String,
        /// 项目编号：小项或细则 (item or sub-item id)
        #[arg(long)]
        item: String,
        /// 处数 / 缺项数 (occurrences or missing elements)
        #[arg(long, conflicts_with = "amount")]
        count: Option<u32>,
        /// 扣分值，如 2.5 (amount for range / catch-all items)
        #[arg(long)]
        amount: Option<String>,
        /// 具体扣分原因 (what exactly is wrong; required)
        #[arg(long, default_value = "")]
        note: String,
        /// 卷 (volume)
        #[arg(long)]
        vol: Option<u32>,
        /// 页 (page)
        #[arg(long)]
        page: Option<u32>,
        /// 常见问题代码 (common-problem code)
        #[arg(long)]
        problem: Option<String>,
        /// 反馈后再次出现，从重扣分 (repeat of a problem fed back before; applied automatically
        /// when the problem code was fed back to the case's unit in an earlier round)
        #[arg(long, conflicts_with = "no_repeat")]
        repeat: bool,
        /// 不按从重扣分（上一轮已反馈的问题须同时用 --reason 写明理由）
        /// (remove the automatic 从重; needs --reason when the problem was fed back before)
        #[arg(long)]
        no_repeat: bool,
        /// 不从重的理由 (why the automatic 从重 is removed)
        #[arg(long, requires = "no_repeat")]
        reason: Option<String>,
        #[command(flatten)]
        writer: WriterArgs,
    },
    /// 列出问题记录 (list findings)
    List {
        #[command(flatten)]
        db: DbArg,
        /// 只列此案 (only this case)
        #[arg(long = "case")]
        case_no: Option<String>,
        /// JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 删除问题记录 (delete a finding; id or unique prefix)
    Rm {
        #[command(flatten)]
        db: DbArg,
        /// 问题编号 (finding id or prefix)
        id: String,
        /// 评查人 (reviewer name)
        #[arg(long, env = "PINGCHA_REVIEWER")]
        reviewer: String,
    },
}

fn identity(reviewer: &str) -> Result<Identity, CliError> {
    Identity::here(reviewer).map_err(|e| CliError::Io(PathBuf::from("machine-id"), e))
}

/// Runs a finding subcommand.
pub fn run(command: FindingCommand, lang: Lang) -> CliResult {
    match command {
        FindingCommand::Add {
            db,
            case_no,
            item,
            count,
            amount,
            note,
            vol,
            page,
            problem,
            repeat,
            no_repeat,
            reason,
            writer,
        } => {
            let quantity = match (count, amount) {
                (Some(n), _) => Quantity::Count(n),
                (None, Some(a)) => Quantity::Amount(a.parse::<Points>().map_err(|_| {
                    CliError::Usage(
                        format!("--amount「{a}」不是有效分值（最多两位小数，如 2.5）"),
                        format!("--amount `{a}` is not a point value (at most two decimals, e.g. 2.5)"),
                    )
                })?),
                (None, None) => default_quantity(&db.db, &item)?,
            };
            let stage = Stage::parse(&writer.stage)?;
            let mut store = Store::open(&db.db, &identity(&writer.reviewer)?)?;
            let case = store.require_case(&case_no)?;
            let recorded = repeat::record(
                &mut store,
                &case.id,
                stage,
                &NewFinding {
                    node: item.trim().to_owned(),
                    quantity,
                    note,
                    volume: vol,
                    page,
                    problem: problem.map(|p| p.trim().to_owned()),
                    repeat: match (repeat, no_repeat) {
                        (_, true) => Repeat::Waived(reason.unwrap_or_default()),
                        (true, false) => Repeat::ByHand,
                        (false, false) => Repeat::No,
                    },
                },
            )?;
            let record = recorded.finding;
            let sheet = store.sheet(&case.id, stage)?;
            let scored = store.score(&sheet)?;
            super::warn(store.finish(), lang);
            match lang {
                Lang::Zh => println!(
                    "已保存 {}\n{} {}（{}）：现得分 {}，等次 {}",
                    record.id, case.case_no, sheet.reviewer, sheet.stage, scored.total, scored.grade
                ),
                Lang::En => println!(
                    "saved {}\n{} {} ({}): total now {}, grade {}",
                    record.id, case.case_no, sheet.reviewer, sheet.stage, scored.total, scored.grade
                ),
            }
            if let Some(notice) = recorded.notice {
                println!("{}", notice.said(&record.repeat, lang));
            }
            Ok(())
        }
        FindingCommand::List { db, case_no, json } => list(&db.db, case_no.as_deref(), json, lang),
        FindingCommand::Rm { db, id, reviewer } => {
            let mut store = Store::open(&db.db, &identity(&reviewer)?)?;
            let record = store.delete_finding(&id)?;
            super::warn(store.finish(), lang);
            println!("{} {}", lang.pick("已删除", "deleted"), record.id);
            Ok(())
        }
    }
}

/// With neither --count nor --amount, a count rule means one occurrence.
fn default_quantity(db: &std::path::Path, item: &str) -> Result<Quantity, CliError> {
    let store = Store::open_read_only(db)?;
    let kind = store.rubric()?.scorable(item.trim()).map(|s| s.rule().quantity_kind());
    Ok(match kind {
        Some(pingcha::rubric::QuantityKind::Count) => Quantity::Count(1),
        _ => Quantity::One,
    })
}

fn list(db: &std::path::Path, case_no: Option<&str>, json: bool, lang: Lang) -> CliResult {
    let store = Store::open_read_only(db)?;
    let cases = match case_no {
        Some(c) => vec![store.require_case(c)?],
        None => store.cases()?,
    };
    let mut rows = Vec::new();
    let mut records = Vec::new();
    for case in &cases {
        for sheet in store.sheets_of_case(&case.id)? {
            let rubric = store.rubric_by_hash(&sheet.rubric_hash)?;
            for f in store.findings(&sheet.id)? {
                let name = rubric.scorable(&f.node).map_or("?", |s| s.name());
                let qty = match f.quantity {
                    Quantity::One => String::new(),
                    Quantity::Count(n) => format!("×{n}"),
                    Quantity::Amount(a) => a.to_string(),
                };
                let place = match (f.volume, f.page) {
                    (Some(v), Some(p)) => format!("{v}/{p}"),
                    (Some(v), None) => format!("{v}/"),
                    (None, Some(p)) => format!("/{p}"),
                    (None, None) => String::new(),
                };
                rows.push(vec![
                    f.id.short().to_owned(),
                    case.case_no.clone(),
                    sheet.reviewer.clone(),
                    sheet.stage.name().to_owned(),
                    format!("{} {name}", f.node),
                    qty,
                    place,
                    f.repeat.mark(lang),
                    f.note.clone(),
                ]);
                records.push(serde_json::json!({
                    "case_no": case.case_no,
                    "reviewer": sheet.reviewer,
                    "stage": sheet.stage,
                    "finding": f,
                }));
            }
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&records).unwrap_or_default());
    } else {
        println!(
            "{}",
            render(
                &[
                    (lang.pick("编号", "id"), Align::Left),
                    (lang.pick("案号", "case"), Align::Left),
                    (lang.pick("评查人", "reviewer"), Align::Left),
                    (lang.pick("阶段", "stage"), Align::Left),
                    (lang.pick("项目", "item"), Align::Left),
                    (lang.pick("数量", "qty"), Align::Right),
                    (lang.pick("卷/页", "vol/page"), Align::Left),
                    (lang.pick("从重", "repeat"), Align::Left),
                    (lang.pick("问题描述", "note"), Align::Left),
                ],
                &rows,
            )
        );
    }
    Ok(())
}
