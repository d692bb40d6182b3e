//! `pingcha ledger`: the rectification ledger (整改台账): sync entries from the counting
//! sheets, list them, and move them through 整改—核查—销号.

use super::DbArg;
use super::error::{CliError, CliResult};
use super::table::{Align, render};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use pingcha::lang::{Lang, Localized};
use pingcha::ledger::{self, Action, Change, Entry, Filter, State};
use pingcha::store::{Identity, Store};
use pingcha::text::for_terminal;
use pingcha::vocab::Date;
use std::path::PathBuf;

/// Ledger subcommands.
#[derive(clap::Subcommand)]
pub enum LedgerCommand {
    /// 将各案定稿评查表的问题加入台账（已有的不重复加入） (add entries for new findings)
    Sync {
        #[command(flatten)]
        db: DbArg,
        /// 操作人 (who syncs)
        #[arg(long, env = "PINGCHA_REVIEWER")]
        by: String,
    },
    /// 列出台账 (list entries)
    List {
        #[command(flatten)]
        db: DbArg,
        /// 只列此承办单位 (only this unit)
        #[arg(long)]
        unit: Option<String>,
        /// 只列此状态：待整改 / 整改中 / 已整改待核 / 已销号 / 已撤销 (only this state)
        #[arg(long)]
        state: Option<String>,
        /// 只列逾期未销号的 (only overdue entries)
        #[arg(long)]
        overdue: bool,
        /// 以此日期判断逾期，默认今天（北京时间） (the day to judge overdue by; default today)
        #[arg(long)]
        today: Option<String>,
        /// 以 JSON 输出，供脚本使用 (print JSON, for scripts)
        #[arg(long)]
        json: bool,
    },
    /// 推进、退回或销号，填写整改措施、佐证材料或整改期限 (change an entry)
    Set {
        #[command(flatten)]
        db: DbArg,
        /// 台账编号或其唯一前缀；不写编号时用 --unit/--state/--case/--all 选定多条 (entry id or
        /// unique prefix; without one, select entries with --unit/--state/--case/--all)
        #[arg(required_unless_present_any = ["unit", "state", "case_no", "all"])]
        id: Option<String>,
        /// 改动此承办单位的全部问题 (every entry of this unit)
        #[arg(long, conflicts_with = "id")]
        unit: Option<String>,
        /// 改动此状态的全部问题 (every entry in this state)
        #[arg(long, conflicts_with = "id")]
        state: Option<String>,
        /// 改动此案的全部问题 (every entry of this case)
        #[arg(long = "case", conflicts_with = "id")]
        case_no: Option<String>,
        /// 改动台账中全部问题（已撤销的除外） (every entry but 已撤销 ones)
        #[arg(long, conflicts_with_all = ["id", "unit", "state", "case_no"])]
        all: bool,
        /// advance 推进 / return 退回 / close 销号
        #[arg(long, value_parser = action_parser())]
        action: Option<Action>,
        /// 说明；退回和销号必填 (note; required to return or close)
        #[arg(long, default_value = "")]
        note: String,
        /// 办理人 (who makes the change)
        #[arg(long, env = "PINGCHA_REVIEWER")]
        by: String,
        /// 整改期限 YYYY-MM-DD (deadline)
        #[arg(long)]
        deadline: Option<String>,
        /// 整改措施 (measures taken)
        #[arg(long)]
        measures: Option<String>,
        /// 佐证材料 (evidence)
        #[arg(long)]
        evidence: Option<String>,
    },
    /// 导出供承办单位填写的整改台账表格 (the fill-in sheet for the units)
    Export {
        #[command(flatten)]
        db: DbArg,
        /// 只导出此承办单位 (only this unit)
        #[arg(long)]
        unit: Option<String>,
        /// 报送期限，写在表头 YYYY-MM-DD (the day the sheet is to be returned by, shown in its title block)
        #[arg(long)]
        return_by: Option<String>,
        /// 输出文件 .xlsx (output file)
        #[arg(short, long)]
        output: PathBuf,
        /// 覆盖已存在的输出（评查文件和本次读取的文件从不覆盖） (replace an existing output; never a round file or an input)
        #[arg(long)]
        force: bool,
    },
    /// 导入承办单位填写后的表格；有一行不能导入则整表不导入 (import the filled-in sheet, all rows or none)
    Import {
        #[command(flatten)]
        db: DbArg,
        /// 填写后的 .xlsx (the filled-in sheet)
        file: PathBuf,
        /// 导入人 (who imports)
        #[arg(long, env = "PINGCHA_REVIEWER")]
        by: String,
    },
}

/// `--action` read straight into the ledger's [`Action`]: its English keys, with the Chinese
/// names (推进, 退回, 销号) accepted as well.
fn action_parser() -> impl TypedValueParser<Value = Action> {
    PossibleValuesParser::new(Action::ALL.map(|a| PossibleValue::new(a.key()).alias(a.name()).help(a.name()))).try_map(
        |s| {
            Action::ALL
                .into_iter()
                .find(|a| a.key() == s || a.name() == s)
                .ok_or("unknown action")
        },
    )
}

fn open(db: &DbArg, by: &str) -> Result<Store, CliError> {
    let identity = Identity::here(by).map_err(|e| CliError::Io(PathBuf::from("machine-id"), e))?;
    Ok(Store::open(&db.db, &identity)?)
}

/// Runs a ledger subcommand.
pub fn run(command: LedgerCommand, lang: Lang) -> CliResult {
    match command {
        LedgerCommand::Sync { db, by } => {
            super::organise::refuse_calibration(&Store::open_read_only(&db.db)?)?;
            let mut store = open(&db, &by)?;
            let synced = ledger::sync(&mut store)?;
            let total = ledger::list(&store, &Filter::default())?.len();
            super::warn(store.finish(), lang);
            let line = synced.localized(lang);
            match lang {
                Lang::Zh => println!("{line}；台账共 {total} 条"),
                Lang::En => println!("{line}; {total} in the ledger"),
            }
            let stranded = &synced.stranded;
            if !stranded.is_empty() {
                println!(
                    "{}",
                    lang.pick(
                        "以下问题已在整改，但来源问题已不在计分评查表中（已删除或被终评取代），请确认是否继续整改：",
                        "these entries are being dealt with but their findings no longer count (deleted, or superseded by a final sheet); decide whether they still need rectifying:"
                    )
                );
                for e in stranded {
                    println!(
                        "  {}  {}  {}  {}",
                        e.row.id.short(),
                        for_terminal(&e.case_no),
                        for_terminal(&e.row.unit),
                        e.row.state
                    );
                }
            }
            Ok(())
        }
        LedgerCommand::List {
            db,
            unit,
            state,
            overdue,
            today,
            json,
        } => {
            let today = match today {
                Some(d) => Date::parse(&d)?,
                None => ledger::today(),
            };
            let filter = Filter {
                unit,
                state: state.as_deref().map(State::parse).transpose()?,
                overdue_on: overdue.then_some(today),
            };
            let store = Store::open_read_only(&db.db)?;
            let entries = ledger::list(&store, &filter)?;
            if json {
                println!("{}", as_json(&entries, today));
            } else {
                print_list(&entries, today, lang);
            }
            Ok(())
        }
        LedgerCommand::Set {
            db,
            id,
            unit,
            state,
            case_no,
            all: _,
            action,
            note,
            by,
            deadline,
            measures,
            evidence,
        } => {
            let change = Change {
                action,
                note,
                by: by.clone(),
                deadline: deadline.as_deref().map(Date::parse).transpose()?,
                measures,
                evidence,
            };
            let Some(id) = id else {
                let filter = Filter {
                    unit,
                    state: state.as_deref().map(State::parse).transpose()?,
                    overdue_on: None,
                };
                let case_no = case_no.map(|c| c.trim().to_owned());
                let keep = |e: &Entry| filter.accepts(e) && case_no.as_deref().is_none_or(|c| e.case_no == c);
                let mut store = open(&db, &by)?;
                let done = ledger::set_many_on(&mut store, &keep, &change, ledger::today())?;
                super::warn(store.finish(), lang);
                print_changes(&done, lang);
                return Ok(());
            };
            let mut store = open(&db, &by)?;
            let entry = ledger::set(&mut store, &id, &change)?;
            super::warn(store.finish(), lang);
            match lang {
                Lang::Zh => println!("{} {}：{}", entry.row.id.short(), entry.case_no, entry.row.state),
                Lang::En => println!("{} {}: {}", entry.row.id.short(), entry.case_no, entry.row.state),
            }
            Ok(())
        }
        LedgerCommand::Export {
            db,
            unit,
            return_by,
            output,
            force,
        } => {
            if super::out::is_stdout(&output) {
                return Err(super::out::binary_to_stdout());
            }
            let store = Store::open_read_only(&db.db)?;
            let return_by = return_by.as_deref().map(Date::parse).transpose()?;
            let entries = ledger::list(
                &store,
                &Filter {
                    unit: unit.clone(),
                    ..Filter::default()
                },
            )?;
            let round = store.round()?;
            let author = store.rubric()?.document.author();
            let info = ledger::form::FormInfo {
                round: &round.name,
                unit: unit.as_deref(),
                exported_on: ledger::today(),
                return_by,
                author: &author,
            };
            let bytes = ledger::form::export(&entries, &info)?;
            super::out::write(&output, force, &[&db.db], &bytes, false)?;
            match lang {
                Lang::Zh => println!("已导出 {} 条整改问题：{}", entries.len(), output.display()),
                Lang::En => println!("{} entries written to {}", entries.len(), output.display()),
            }
            Ok(())
        }
        LedgerCommand::Import { db, file, by } => {
            let mut store = open(&db, &by)?;
            let changed = ledger::import(&mut store, &file, &by)?;
            super::warn(store.finish(), lang);
            match lang {
                Lang::Zh => println!("已导入，{changed} 条整改问题有更新"),
                Lang::En => println!("imported; {changed} entries changed"),
            }
            Ok(())
        }
    }
}

/// What `ledger set` over a selection changed: a count, then one line per changed entry
/// naming what moved (state, deadline).
fn print_changes(done: &ledger::SetMany, lang: Lang) {
    let n = done.changed.len();
    match lang {
        Lang::Zh => println!("已改动 {n} 条（另有 {} 条本已如此，未改动）", done.unchanged),
        Lang::En => println!("{n} entries changed ({} already so, left alone)", done.unchanged),
    }
    for (before, after) in &done.changed {
        let mut what = Vec::new();
        if before.row.state != after.row.state {
            what.push(format!("{} → {}", before.row.state, after.row.state));
        }
        if before.row.deadline != after.row.deadline {
            let d = |d: &Option<Date>| d.map_or_else(|| lang.pick("无", "none").to_owned(), |d| d.to_string());
            what.push(format!(
                "{}{} → {}",
                lang.pick("期限 ", "deadline "),
                d(&before.row.deadline),
                d(&after.row.deadline)
            ));
        }
        if before.row.measures != after.row.measures {
            what.push(lang.pick("整改措施", "measures").to_owned());
        }
        if before.row.evidence != after.row.evidence {
            what.push(lang.pick("佐证材料", "evidence").to_owned());
        }
        println!(
            "  {}  {}  {}  {}",
            after.row.id.short(),
            for_terminal(&after.case_no),
            for_terminal(&after.row.unit),
            what.join(lang.pick("；", "; "))
        );
    }
}

/// The entries as a JSON array for scripts: every stored field, the case number, the state
/// and whether the entry is overdue on `today`.
fn as_json(entries: &[Entry], today: Date) -> String {
    let list: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| {
            let mut v = serde_json::to_value(&e.row).unwrap_or_default();
            if let Some(map) = v.as_object_mut() {
                map.insert("case_no".into(), e.case_no.clone().into());
                map.insert("overdue".into(), e.is_overdue(today).into());
            }
            v
        })
        .collect();
    serde_json::to_string_pretty(&list).unwrap_or_default()
}

fn print_list(entries: &[Entry], today: Date, lang: Lang) {
    if entries.is_empty() {
        println!("{}", lang.pick("台账中没有符合条件的问题。", "no matching entries."));
        return;
    }
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let problem = match (&e.row.problem_code, e.row.problem.is_empty()) {
                (Some(code), false) => format!("{code} {}", e.row.problem),
                (Some(code), true) => code.clone(),
                (None, _) => e.row.note.clone(),
            };
            let overdue = if e.is_overdue(today) {
                lang.pick("逾期", "overdue")
            } else {
                ""
            };
            vec![
                e.row.id.short().to_owned(),
                e.case_no.clone(),
                e.row.unit.clone(),
                e.row.handler.clone(),
                problem,
                e.row.deadline.map(|d| d.to_string()).unwrap_or_default(),
                e.row.state.name().to_owned(),
                overdue.to_owned(),
            ]
        })
        .collect();
    println!(
        "{}",
        render(
            &[
                (lang.pick("编号", "id"), Align::Left),
                (lang.pick("案号", "case no."), Align::Left),
                (lang.pick("承办单位", "unit"), Align::Left),
                (lang.pick("承办人", "handler"), Align::Left),
                (lang.pick("问题", "problem"), Align::Left),
                (lang.pick("整改期限", "deadline"), Align::Left),
                (lang.pick("状态", "state"), Align::Left),
                ("", Align::Left),
            ],
            &rows,
        )
    );
}
