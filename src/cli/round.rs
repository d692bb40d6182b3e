//! `pingcha round new` and `pingcha case list`.

use super::DbArg;
use super::error::{CliError, CliResult};
use super::table::{Align, pairs, render};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use pingcha::caselist;
use pingcha::lang::Lang;
use pingcha::ledger::repeat::{self, Previous};
use pingcha::output::Rules;
use pingcha::rubric::load_file;
use pingcha::store::{Identity, NewReviewer, NewRound, Standing, Store};
use pingcha::vocab::{Method, RoundKind};
use std::path::{Path, PathBuf};

/// Round subcommands.
#[derive(clap::Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per process; boxing buys nothing")]
pub enum RoundCommand {
    /// 新建评查轮次 (create a round file from a rubric and a case list)
    New(NewArgs),
    /// 轮次概况 (round, rubric, reviewers, progress, this file's replica)
    Show {
        #[command(flatten)]
        db: DbArg,
    },
}

/// Arguments of `pingcha round new`.
#[derive(clap::Args)]
pub struct NewArgs {
    /// 评查标准 (.toml)
    #[arg(long)]
    rubric: PathBuf,
    /// 案件清单 (.csv UTF-8 或 GBK / .xlsx)，列名与评查标准字段名称一致
    #[arg(long)]
    cases: PathBuf,
    /// 轮次名称 (round name)
    #[arg(long)]
    name: String,
    /// 评查类型 (review kind)
    #[arg(long, default_value = "日常", value_parser = PossibleValuesParser::new(RoundKind::ALL.map(RoundKind::name)).try_map(|s| RoundKind::parse(&s)))]
    kind: RoundKind,
    /// 评查方式 (review method)
    #[arg(long, default_value = "交叉", value_parser = PossibleValuesParser::new(Method::ALL.map(Method::name)).try_map(|s| Method::parse(&s)))]
    method: Method,
    /// 评查人员，逗号或顿号分隔 (reviewers, comma-separated)
    #[arg(long, default_value = "")]
    reviewers: String,
    /// 评查人员名单 (.csv / .xlsx)：列 姓名、单位、评查组、组长 (roster file: 姓名, 单位, 评查组, 组长)
    #[arg(long, value_name = "名单")]
    reviewers_file: Option<PathBuf>,
    /// 组织者 (the organiser creating the file)
    #[arg(long, default_value = "组织者")]
    organiser: String,
    /// 上一轮的文件：带入已反馈的问题，同一单位再次出现时自动从重 (the previous round's
    /// file: its fed-back problems are brought in and repeats are aggravated automatically)
    #[arg(long)]
    previous: Option<PathBuf>,
    /// 每件案件都须有终评表才算定稿（单人评查表也算未定稿） (every case needs a 终评 sheet
    /// before its result counts)
    #[arg(long)]
    require_final: bool,
    /// 统一评查尺度的练习轮次：每人评查同样的案件，不出报告、不进台账 (calibration round:
    /// practice cases everyone scores; no report, no ledger)
    #[arg(long)]
    calibration: bool,
    /// 输出文件 (output .db; must not exist)
    #[arg(short, long)]
    output: PathBuf,
    /// 覆盖已存在的输出（评查文件和本次读取的文件从不覆盖） (replace an existing output; never a round file or an input)
    #[arg(long)]
    force: bool,
}

/// Case subcommands.
#[derive(clap::Subcommand)]
pub enum CaseCommand {
    /// 分发后增加案件（已分发的文件仍可合并） (add cases after hand-out; old copies still merge)
    Add {
        #[command(flatten)]
        db: DbArg,
        /// 案件清单 (.csv / .xlsx)
        #[arg(long)]
        cases: PathBuf,
        #[command(flatten)]
        by: super::roster::OrganiserArg,
    },
    /// 撤出误抽的案件：评查表保留，不计入任何统计 (withdraw a case: sheets stay, it counts nowhere)
    Withdraw {
        #[command(flatten)]
        db: DbArg,
        /// 案号 (case number)
        #[arg(long = "case")]
        case_no: String,
        /// 理由 (reason)
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        by: super::roster::OrganiserArg,
    },
    /// 列出案件及评查进度 (list cases with their sheets and findings)
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// 修改案件信息字段 (set one metadata field of a case)
    Set {
        #[command(flatten)]
        db: DbArg,
        /// 案号 (case number)
        #[arg(long = "case")]
        case_no: String,
        /// 字段名或其中文名，如 unit 或 承办单位 (field key or label)
        #[arg(long)]
        field: String,
        /// 新值 (new value)
        #[arg(long)]
        value: String,
        /// 评查人 (reviewer name)
        #[arg(long, env = "PINGCHA_REVIEWER")]
        reviewer: String,
    },
}

/// Runs a round subcommand.
pub fn run(command: RoundCommand, lang: Lang) -> CliResult {
    let args = match command {
        RoundCommand::Show { db } => return show(&db.db, lang),
        RoundCommand::New(args) => args,
    };
    let NewArgs {
        rubric,
        cases,
        name,
        kind,
        method,
        reviewers,
        reviewers_file,
        organiser,
        previous,
        require_final,
        calibration,
        output,
        force,
    } = args;
    let mut roster: Vec<NewReviewer> = match &reviewers_file {
        Some(path) => caselist::read_roster(path)?,
        None => Vec::new(),
    };
    roster.extend(
        reviewers
            .split([',', '，', '、'])
            .filter(|r| !r.trim().is_empty())
            .map(NewReviewer::named),
    );
    if name.trim().is_empty() {
        return Err(CliError::Usage(
            "轮次名称不能为空（--name）".into(),
            "--name must not be empty".into(),
        ));
    }
    let (rubric_model, source) = load_file(&rubric)?;
    let list = caselist::read(&cases, &rubric_model)?;
    refuse_misspelled_volumes(&list, &rubric_model)?;
    let previous = previous
        .map(|p| repeat::read_previous(&p).map(|prev| (p, prev)))
        .transpose()?;
    let identity = Identity::here(&organiser).map_err(|e| CliError::Io(PathBuf::from("machine-id"), e))?;
    let mut brought = 0;
    let mut inputs = vec![rubric.as_path(), cases.as_path()];
    inputs.extend(previous.as_ref().map(|(p, _)| p.as_path()));
    inputs.extend(reviewers_file.as_deref());
    let rules = Rules::new(force, &inputs);
    let store = Store::create_with(&output, &rules, &identity, |store| {
        store.init_round(
            &NewRound {
                name,
                kind,
                method,
                require_final,
            },
            &source,
        )?;
        store.add_reviewers(&roster)?;
        if calibration {
            store.set_calibration()?;
        }
        store.add_cases(&list.rows)?;
        if let Some((_, prev)) = &previous {
            brought = store.add_prior_problems(&prev.problems)?;
        }
        Ok(())
    })?;
    super::warn(store.finish(), lang);
    match lang {
        Lang::Zh => println!(
            "已创建 {}：{} 件案件，评查标准 {}（{} 版）",
            output.display(),
            list.rows.len(),
            rubric_model.name,
            rubric_model.version
        ),
        Lang::En => println!(
            "created {}: {} cases, rubric {} (version {})",
            output.display(),
            list.rows.len(),
            rubric_model.name,
            rubric_model.version
        ),
    }
    if let Some((path, prev)) = &previous {
        println!("{}", brought_summary(path, prev, brought, lang));
    }
    if !list.ignored_columns.is_empty() {
        let cols = pingcha::text::for_terminal(&list.ignored_columns.join("、")).into_owned();
        match lang {
            Lang::Zh => println!("注意：以下列不是评查标准的字段，未导入：{cols}"),
            Lang::En => {
                println!("note: these columns are not rubric fields and were not imported: {cols}")
            }
        }
    }
    Ok(())
}

/// A misspelled 卷册数 header ("卷册数（册）") would silently switch the volume checks off: refuse
/// it, naming the field meant. Other near-miss headers are only listed as not imported.
fn refuse_misspelled_volumes(list: &caselist::CaseList, rubric: &pingcha::rubric::Rubric) -> Result<(), CliError> {
    let Some(field) = rubric.field(pingcha::rubric::VOLUMES) else {
        return Ok(());
    };
    if list.rows.iter().any(|r| r.fields.contains_key(&field.key)) {
        return Ok(());
    }
    let near = |column: &str| {
        column.contains(field.label.as_str())
            || field.label.contains(column)
            || strsim::levenshtein(column, &field.label) <= 1
    };
    match list.ignored_columns.iter().find(|c| near(c)) {
        Some(column) => Err(CliError::Usage(
            format!(
                "列「{column}」不是评查标准的字段，您是否指「{}」？卷册数用于核对卷号，请把列名改为「{}」；未创建文件",
                field.label, field.label
            ),
            format!(
                "column `{column}` is not a rubric field; did you mean `{}`? It drives the volume checks: rename the column. Nothing was created",
                field.label
            ),
        )),
        None => Ok(()),
    }
}

/// What `--previous` brought in: how many problems, from which round, how many can repeat.
fn brought_summary(path: &Path, prev: &Previous, brought: usize, lang: Lang) -> String {
    let own = prev.problems.iter().filter(|p| p.round_id == prev.round.id).count();
    let coded: Vec<_> = prev.problems.iter().filter(|p| p.problem_code.is_some()).collect();
    let mut units: Vec<&str> = coded
        .iter()
        .map(|p| p.unit.as_str())
        .filter(|u| !u.is_empty())
        .collect();
    units.sort_unstable();
    units.dedup();
    let older = brought.saturating_sub(own);
    match lang {
        Lang::Zh => {
            let mut out = format!(
                "已从上一轮「{}」（{}）带入已反馈的问题 {brought} 个",
                prev.round.name,
                path.display()
            );
            if older > 0 {
                out.push_str(&format!("（含更早轮次的 {older} 个）"));
            }
            out.push_str(&format!(
                "，其中有问题代码的 {} 个，涉及承办单位 {} 个；同一单位再次出现同一问题时自动从重扣分",
                coded.len(),
                units.len()
            ));
            out
        }
        Lang::En => {
            let mut out = format!(
                "brought in {brought} fed-back problem(s) from the previous round “{}” ({})",
                prev.round.name,
                path.display()
            );
            if older > 0 {
                out.push_str(&format!(", {older} of them from earlier rounds"));
            }
            out.push_str(&format!(
                "; {} with a problem code, {} unit(s): the same problem found again for the same unit is deducted more heavily (从重) automatically",
                coded.len(),
                units.len()
            ));
            out
        }
    }
}

/// Runs a case subcommand.
pub fn run_case(command: CaseCommand, lang: Lang) -> CliResult {
    let db = match command {
        CaseCommand::List { db } => db,
        CaseCommand::Add { db, cases, by } => return super::organise::run_case_add(&db, &cases, &by, lang),
        CaseCommand::Withdraw {
            db,
            case_no,
            reason,
            by,
        } => return super::organise::run_case_withdraw(&db, &case_no, &reason, &by, lang),
        CaseCommand::Set {
            db,
            case_no,
            field,
            value,
            reviewer,
        } => {
            let identity = Identity::here(&reviewer).map_err(|e| CliError::Io(PathBuf::from("machine-id"), e))?;
            let mut store = Store::open(&db.db, &identity)?;
            let case = store.require_case(&case_no)?;
            let (key, label, value) = {
                let (f, value) = pingcha::caselist::field_update(store.rubric()?, &case.fields, &field, &value)
                    .map_err(|e| CliError::CaseField(case.case_no.clone(), e))?;
                (f.key.clone(), f.label.clone(), value)
            };
            store.set_case_field(&case.id, &key, &value)?;
            super::warn(store.finish(), lang);
            match lang {
                Lang::Zh => println!("已将 {} 的{label}改为「{value}」", case.case_no),
                Lang::En => println!("set {label} ({key}) of {} to `{value}`", case.case_no),
            }
            return Ok(());
        }
    };
    let store = Store::open_read_only(&db.db)?;
    let rubric = store.rubric()?;
    let title_label = rubric.field("title").map_or("", |f| f.label.as_str());
    let mut rows = Vec::new();
    let recorded = store.recorded()?;
    for case in store.cases()? {
        let sheets = recorded.sheets_of_case(&case.id);
        // What the case's result (the settled sheet) holds, each kind counted apart.
        let (result, counts) = match recorded.standing(&case.id) {
            Standing::Settled { sheet, .. } => {
                let s = store.score_recorded(&recorded, &sheet)?;
                (
                    lang.pick("已定稿", "settled"),
                    [s.problems, s.bonuses, s.vetoes, s.grade_caps].map(|n| n.to_string()),
                )
            }
            Standing::Unsettled { .. } => (lang.pick("未定稿", "unsettled"), Default::default()),
            Standing::Unreviewed => (lang.pick("未评查", "not reviewed"), Default::default()),
        };
        let mut row = vec![
            case.seq.to_string(),
            case.case_no.clone(),
            case.field("title").to_owned(),
            case.field("unit").to_owned(),
            sheets.len().to_string(),
            result.to_owned(),
        ];
        row.extend(counts);
        rows.push(row);
    }
    let title = if title_label.is_empty() {
        lang.pick("案件名称", "title")
    } else {
        title_label
    };
    println!(
        "{}",
        render(
            &[
                (lang.pick("序号", "#"), Align::Right),
                (lang.pick("案号", "case no."), Align::Left),
                (title, Align::Left),
                (lang.pick("承办单位", "unit"), Align::Left),
                (lang.pick("评查表", "sheets"), Align::Right),
                (lang.pick("结果", "result"), Align::Left),
                (lang.pick("问题", "problems"), Align::Right),
                (lang.pick("加分", "bonus"), Align::Right),
                (lang.pick("否决", "veto"), Align::Right),
                (lang.pick("限等", "cap"), Align::Right),
            ],
            &rows,
        )
    );
    Ok(())
}

/// Prints the round's header, rubric, reviewers and progress.
fn show(db: &std::path::Path, lang: Lang) -> CliResult {
    let store = Store::open_read_only(db)?;
    let round = store.round()?;
    let rubric = store.rubric()?;
    let cases = store.cases()?;
    let (mut started, mut settled, mut unsettled) = (0, 0, 0);
    let recorded = store.recorded()?;
    for case in &cases {
        if !recorded.sheets_of_case(&case.id).is_empty() {
            started += 1;
        }
        match recorded.standing(&case.id) {
            Standing::Settled { .. } => settled += 1,
            Standing::Unsettled { .. } => unsettled += 1,
            Standing::Unreviewed => {}
        }
    }
    let reviewers: Vec<String> = store.reviewers()?.into_iter().map(|r| r.name).collect();
    let rows = [
        (lang.pick("轮次", "round"), round.name.clone()),
        (lang.pick("评查类型", "kind"), round.kind.to_string()),
        (lang.pick("评查方式", "method"), round.method.to_string()),
        (
            lang.pick("定稿规则", "settled by"),
            if round.require_final {
                lang.pick("每件须有终评表", "a 终评 sheet for every case")
            } else {
                lang.pick(
                    "终评表、确定等次或唯一评查人的评查表",
                    "终评, a decided grade or a single reviewer's sheet",
                )
            }
            .to_owned(),
        ),
        (
            lang.pick("评查标准", "rubric"),
            format!("{} {}（{}）", rubric.id, rubric.name, rubric.version),
        ),
        (
            lang.pick("案件", "cases"),
            format!("{} / {}", started, cases.len()) + lang.pick(" 件已开始评查", " started"),
        ),
        (
            lang.pick("定稿情况", "coverage"),
            match lang {
                Lang::Zh => format!(
                    "已定稿 {settled}，未定稿 {unsettled}，未评查 {}",
                    cases.len() - settled - unsettled
                ),
                Lang::En => format!(
                    "{settled} settled, {unsettled} unsettled, {} not reviewed",
                    cases.len() - settled - unsettled
                ),
            },
        ),
        (lang.pick("评查人员", "reviewers"), reviewers.join("、")),
        (lang.pick("轮次编号", "round id"), round.id.clone()),
    ];
    println!("{}", pairs(&rows));
    Ok(())
}
