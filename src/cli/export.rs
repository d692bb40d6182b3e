//! `pingcha export` (canonical JSON, per-case problem lists) and `pingcha report` (the round,
//! with the rectification ledger's figures).

use super::DbArg;
use super::error::{CliError, CliResult};
use super::out;
use pingcha::export::{self, ExportError};
use pingcha::lang::Lang;
use pingcha::ledger;
use pingcha::output::{self, Built, OutputError, Rules};
use pingcha::report::{self, CaseReport, CaseStanding, Issue};
use pingcha::store::Store;
use pingcha::store::clock::wall_millis;
use pingcha::vocab::Date;
use std::path::PathBuf;

/// What `pingcha export` writes.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// 规范 JSON（全部记录） / canonical JSON dump of every record
    Json,
    /// 问题清单 Excel / problem list workbook
    Xlsx,
    /// 问题清单 CSV（UTF-8 BOM） / problem list CSV
    Csv,
    /// 评查意见 Word / review opinion document
    Docx,
}

impl ExportFormat {
    /// Every format, for reading one off a file name.
    const ALL: [ExportFormat; 4] = [
        ExportFormat::Json,
        ExportFormat::Xlsx,
        ExportFormat::Csv,
        ExportFormat::Docx,
    ];

    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv => "csv",
            ExportFormat::Docx => "docx",
        }
    }
}

/// Arguments of `pingcha export`.
#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("which").args(["case_no", "all_cases"]))]
pub struct ExportArgs {
    #[command(flatten)]
    db: DbArg,
    /// 导出格式；不给时按 -o 的扩展名，否则 json (format; by default from -o's extension, else json)
    #[arg(long, value_enum)]
    format: Option<ExportFormat>,
    /// 导出此案 (one case, by 案号)
    #[arg(long = "case")]
    case_no: Option<String>,
    /// 每案一个文件，-o 为目录 (one file per case; -o names a directory)
    #[arg(long)]
    all_cases: bool,
    /// 输出文件或目录，- 为标准输出（仅 json、csv） (output file or directory; - for stdout, json and csv only)
    #[arg(short, long)]
    output: PathBuf,
    /// 覆盖已存在的输出（评查文件和本次读取的文件从不覆盖） (replace an existing output; never a round file or an input)
    #[arg(long)]
    force: bool,
}

impl ExportArgs {
    /// The format chosen (see [`choose_format`]; set by [`run_export`] before use).
    fn format(&self) -> ExportFormat {
        self.format.unwrap_or(ExportFormat::Json)
    }
}

/// What `pingcha report` writes.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// 评查情况报告 Excel（含图表） / round report workbook with charts
    Xlsx,
    /// 评查情况报告 Word（文字报告） / narrative report document
    Docx,
}

/// Arguments of `pingcha report`.
#[derive(clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    db: DbArg,
    /// 报告格式；不给时按 -o 的扩展名，否则 xlsx (format; by default from -o's extension, else xlsx)
    #[arg(long, value_enum)]
    format: Option<ReportFormat>,
    /// 输出文件 (output file)
    #[arg(short, long)]
    output: PathBuf,
    /// 覆盖已存在的输出（评查文件和本次读取的文件从不覆盖） (replace an existing output; never a round file or an input)
    #[arg(long)]
    force: bool,
    /// 整改情况的统计日期（判断逾期），默认今天（北京时间） (the day the rectification figures are judged on; default today)
    #[arg(long)]
    today: Option<String>,
    /// 共性问题：至少在几件案件中出现（默认 2） (a common problem is found in at least this many cases)
    #[arg(long, default_value_t = report::COMMON_MIN_CASES, value_parser = clap::value_parser!(usize))]
    common_min: usize,
}

/// The format to write: the one asked for, else the one the output's extension names, else
/// `default`. A format that contradicts a known extension (`--format docx -o 报告.xlsx`) is
/// refused: the file would not open in the program its name promises.
fn choose_format<F: Copy + PartialEq>(
    given: Option<F>,
    output: &std::path::Path,
    known: &[(F, &str)],
    default: F,
) -> Result<F, CliError> {
    let ext = output.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let named = known.iter().find(|(_, e)| ext.as_deref() == Some(*e)).map(|(f, _)| *f);
    match (given, named) {
        (Some(f), Some(n)) if f != n => {
            let want = known.iter().find(|(k, _)| *k == f).map_or("", |(_, e)| *e);
            let ext = ext.unwrap_or_default();
            Err(CliError::Usage(
                format!("--format {want} 与输出文件的扩展名 .{ext} 不符；请改用 .{want} 结尾的文件名，或去掉 --format"),
                format!(
                    "--format {want} does not match the output's extension .{ext}; name the file .{want}, or drop --format"
                ),
            ))
        }
        (Some(f), _) | (None, Some(f)) => Ok(f),
        (None, None) => Ok(default),
    }
}

/// Runs `pingcha export`.
pub fn run_export(mut args: ExportArgs, lang: Lang) -> CliResult {
    let known = ExportFormat::ALL.map(|f| (f, f.extension()));
    args.format = Some(choose_format(args.format, &args.output, &known, ExportFormat::Json)?);
    let store = Store::open_read_only(&args.db.db)?;
    match args.format() {
        ExportFormat::Json => export_json(&store, &args, lang),
        ExportFormat::Xlsx => export_cases(&store, &args, lang, export::xlsx::case_workbook),
        ExportFormat::Csv => export_cases(&store, &args, lang, export::csv::problem_list),
        ExportFormat::Docx => {
            let round = store.round()?;
            let rows = store.ledger_rows()?;
            let (today, now) = (ledger::today(), wall_millis());
            export_cases(&store, &args, lang, |r| {
                let issue = Issue {
                    date: today,
                    deadline: rows
                        .iter()
                        .filter(|row| row.case_id == r.case.id)
                        .filter_map(|row| row.deadline)
                        .max(),
                };
                export::docx::case_opinion(r, &round, &issue, now)
            })
        }
    }
}

/// One case to a file (`--case`), or every reviewed case to a directory (`--all-cases`).
fn export_cases(
    store: &Store,
    args: &ExportArgs,
    lang: Lang,
    render: impl Fn(&CaseReport) -> Result<Vec<u8>, ExportError>,
) -> CliResult {
    if let Some(case_no) = &args.case_no {
        let case = store.require_case(case_no)?;
        let report = match report::case_standing(store, &case)? {
            CaseStanding::Settled(r) => r,
            CaseStanding::Unsettled(u) => return Err(CliError::final_hint(u.refusal().into())),
            CaseStanding::Unreviewed => return Err(ExportError::NotReviewed(case.case_no).into()),
        };
        let text = args.format() == ExportFormat::Csv;
        out::write(&args.output, args.force, &[&args.db.db], &render(&report)?, text)?;
        if !out::is_stdout(&args.output) {
            eprintln!("{} {}", lang.pick("已导出", "exported"), args.output.display());
        }
        return Ok(());
    }
    if !args.all_cases {
        return Err(CliError::Usage(
            "请用 --case 指定案号，或用 --all-cases 导出全部案件".into(),
            "give a case with --case, or --all-cases for every case".into(),
        ));
    }
    if out::is_stdout(&args.output) {
        return Err(CliError::Usage(
            "--all-cases 每案一个文件，-o 须为文件夹，不能是标准输出".into(),
            "--all-cases writes one file per case; -o must name a folder, not standard output".into(),
        ));
    }
    // All or nothing: the files are built in a folder beside the target, which replaces it.
    let rules = Rules::new(args.force, &[&args.db.db]);
    let (written, skipped, unsettled) = output::build_folder(&args.output, &rules, |folder| {
        let (mut written, mut skipped, mut unsettled) = (0, 0, Vec::new());
        for standing in report::case_standings(store)? {
            let report = match standing {
                CaseStanding::Settled(r) => r,
                CaseStanding::Unsettled(u) => {
                    unsettled.push(u.case.case_no);
                    continue;
                }
                CaseStanding::Unreviewed => {
                    skipped += 1;
                    continue;
                }
            };
            let name = format!(
                "{}.{}",
                export::file_stem(&report.case.case_no),
                args.format().extension()
            );
            let bytes = render(&report)?;
            let file = args.output.join(&name);
            output::write_private(&folder.join(&name), &bytes)
                .map_err(|e| CliError::Output(OutputError::from_io(&file, e, Some(bytes.len() as u64))))?;
            written += 1;
        }
        Ok::<_, CliError>((written, skipped, unsettled))
    })
    .map_err(|e| match e {
        Built::Output(e) => CliError::Output(e),
        Built::Fill(e) => e,
    })?;
    eprintln!(
        "{}",
        match lang {
            Lang::Zh => format!(
                "已导出 {written} 件至 {}；{skipped} 件尚无评查表，未导出",
                args.output.display()
            ),
            Lang::En => format!(
                "exported {written} cases to {}; {skipped} without a sheet were skipped",
                args.output.display()
            ),
        }
    );
    if !unsettled.is_empty() {
        eprintln!(
            "{}",
            match lang {
                Lang::Zh => format!(
                    "{} 件未定稿，未导出：{}（先用 pingcha final --from 姓名 或 --union 起草终评表）",
                    unsettled.len(),
                    unsettled.join("、")
                ),
                Lang::En => format!(
                    "{} unsettled case(s) not exported: {} (start a final sheet with pingcha final --from NAME or --union)",
                    unsettled.len(),
                    unsettled.join(", ")
                ),
            }
        );
    }
    Ok(())
}

/// The canonical JSON dump of the whole round file (the export that came first).
fn export_json(store: &Store, args: &ExportArgs, lang: Lang) -> CliResult {
    if args.case_no.is_some() || args.all_cases {
        return Err(CliError::Usage(
            "json 格式导出整个轮次文件，不能与 --case 或 --all-cases 同用".into(),
            "the json format dumps the whole round file; it takes neither --case nor --all-cases".into(),
        ));
    }
    let text = export::json::canonical(store)?;
    out::write(&args.output, args.force, &[&args.db.db], text.as_bytes(), true)?;
    if !out::is_stdout(&args.output) {
        eprintln!("{} {}", lang.pick("已导出", "exported"), args.output.display());
    }
    Ok(())
}

/// Runs `pingcha report`.
pub fn run_report(args: ReportArgs, lang: Lang) -> CliResult {
    let today = match &args.today {
        Some(d) => Date::parse(d)?,
        None => ledger::today(),
    };
    if out::is_stdout(&args.output) {
        return Err(out::binary_to_stdout());
    }
    let store = Store::open_read_only(&args.db.db)?;
    super::organise::refuse_calibration(&store)?;
    let options = report::RoundOptions {
        common_min_cases: args.common_min.max(1),
    };
    let rectification = ledger::rectification_report(&store, today)?;
    let known = [(ReportFormat::Xlsx, "xlsx"), (ReportFormat::Docx, "docx")];
    let format = choose_format(args.format, &args.output, &known, ReportFormat::Xlsx)?;
    // The round is read once: the workbook's agreement tables come from the same read.
    let recorded = store.recorded()?;
    let bytes = match format {
        ReportFormat::Xlsx => {
            use pingcha::organise::agreement::{DEFAULT_MIN_CASES, agreement_of};
            let agreement = agreement_of(&store, &recorded, DEFAULT_MIN_CASES)?;
            let report = report::round_report_from(&store, recorded, &options)?;
            export::xlsx::round_workbook(&report, &rectification, &agreement)?
        }
        ReportFormat::Docx => {
            let report = report::round_report_from(&store, recorded, &options)?;
            export::docx::round_narrative(&report, &rectification, wall_millis())?
        }
    };
    out::write(&args.output, args.force, &[&args.db.db], &bytes, false)?;
    eprintln!(
        "{} {}",
        lang.pick("已生成报告", "report written to"),
        args.output.display()
    );
    Ok(())
}
