//! The command line: one module per subcommand, all calling the same library functions the
//! TUI and the tests call.

mod demo;
mod error;
mod export;
mod finding;
mod ledger;
mod mark;
mod merge;
mod open;
mod organise;
mod out;
mod review;
mod roster;
mod round;
mod rubric;
mod score;
mod stdout;
mod table;
mod usage;

use clap::{Parser, Subcommand};
use pingcha::store::StoreError;

use pingcha::lang::{Lang, Localized};
use std::path::PathBuf;
use std::process::ExitCode;

/// 案件质量评查 (case-quality review) in the terminal.
#[derive(Parser)]
#[command(
    name = "pingcha",
    version = env!("PINGCHA_VERSION"),
    about = "案件质量评查：逐案过筛、逐项核对、逐条打分 (case-quality review)"
)]
struct Cli {
    /// 提示语言 / language of messages
    #[arg(long, global = true, env = "PINGCHA_LANG", value_enum, default_value_t = Lang::Zh)]
    lang: Lang,
    /// 评查界面的整改台账中，期限在 N 天内的问题标为黄色（默认 7） (ledger view: deadlines within N days are yellow; default 7)
    #[arg(long, value_name = "N")]
    due_days: Option<u32>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// 评查标准 (rubric files)
    Rubric {
        #[command(subcommand)]
        command: rubric::RubricCommand,
    },
    /// 评查轮次 (rounds)
    Round {
        #[command(subcommand)]
        command: round::RoundCommand,
    },
    /// 评查人员名单 (the round's roster)
    Reviewer {
        #[command(subcommand)]
        command: roster::ReviewerCommand,
    },
    /// 案件 (cases of a round)
    Case {
        #[command(subcommand)]
        command: round::CaseCommand,
    },
    /// 问题记录 (findings)
    Finding {
        #[command(subcommand)]
        command: finding::FindingCommand,
    },
    /// 标记不适用或待议 (mark 不适用 / 待议)
    Mark(mark::MarkArgs),
    /// 计算得分与等次 (score sheets)
    Score(score::ScoreArgs),
    /// 导出：问题清单 xlsx/csv，或全部记录 json (export problem lists, or the canonical JSON)
    Export(export::ExportArgs),
    /// 评查情况报告 (the round report)
    Report(export::ReportArgs),
    /// 合并各笔记本的评查文件 (merge laptops' files)
    Merge(merge::MergeArgs),
    /// 列出文件中记录的冲突及被取代的值 (conflicts recorded in the file, with the losing values)
    Conflicts(merge::ConflictsArgs),
    /// 生成交回用的校验副本，如写入 U 盘 (a verified hand-in copy, e.g. on a USB stick)
    Pack(merge::PackArgs),
    /// 并排比较各评查人的评查表 (compare reviewers' sheets of a case)
    Compare(review::CompareArgs),
    /// 起草终评表 (start the final sheet from one reviewer or the union)
    Final(review::FinalArgs),
    /// 记录确定等次及理由 (record the decided grade)
    Decide(review::DecideArgs),
    /// 列出评查人意见不一致的案件 (cases where reviewers disagree)
    Disagreements(review::DisagreementsArgs),
    /// 列出标为待议的事项及其说明、提出人 (the 待议 marks with notes and authors)
    Pending(review::PendingArgs),
    /// 整改台账：同步、列出、推进/退回/销号 (the rectification ledger)
    Ledger {
        #[command(subcommand)]
        command: ledger::LedgerCommand,
    },
    /// 分案（回避本单位及关联单位） (assign cases to reviewers, with avoidance)
    Assign(organise::AssignArgs),
    /// 为名单上每位评查人生成校验过的评查文件 (one verified copy per reviewer)
    Handout(organise::HandoutArgs),
    /// 评查进度：按评查人、评查组或承办单位 (progress by reviewer, group or unit)
    Progress(organise::ProgressArgs),
    /// 评查人之间的一致性（Krippendorff α） (agreement between reviewers)
    Agreement(organise::AgreementArgs),
    /// 创建演示轮次 (create the demo round in the data directory)
    Demo(demo::DemoArgs),
    /// 打开评查界面 (open the reviewer's screen on a round file)
    Open(open::OpenArgs),
}

/// Where a round file is given.
#[derive(clap::Args, Clone)]
pub struct DbArg {
    /// 评查轮次文件 (round file, .db)
    #[arg(long)]
    db: PathBuf,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    end_quietly_on_closed_pipe();
    let _ = color_eyre::install();
    let parsed = <Cli as clap::CommandFactory>::command()
        .try_get_matches()
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m).map(|cli| (cli, m)));
    let cli = match parsed {
        Ok((cli, matches)) => {
            pingcha::store::lock::set_command(&command_name(&matches));
            cli
        }
        Err(e) if e.use_stderr() && usage::requested_lang() == Lang::Zh => {
            if let Some(explained) = usage::chinese(&e) {
                eprintln!("错误：{explained}\n");
            }
            let _ = e.print();
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    let lang = cli.lang;
    let Ok(result) = stdout::catch_closed_pipe(|| run(cli)) else {
        return ExitCode::from(stdout::CLOSED_PIPE_EXIT);
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let prefix = lang.pick("错误：", "error: ");
            eprintln!("{prefix}{}", e.localized(lang));
            ExitCode::from(e.exit_code())
        }
    }
}

/// Runs the parsed command.
fn run(cli: Cli) -> error::CliResult {
    let lang = cli.lang;
    let due_days = cli.due_days;
    match cli.command {
        _ if due_days.is_some() && !matches!(cli.command, None | Some(Command::Open(_))) => {
            Err(error::CliError::Usage(
                "--due-days 只用于评查界面：pingcha --due-days N 或 pingcha open 文件 --due-days N".into(),
                "--due-days is for the reviewer's screen only: pingcha --due-days N, or pingcha open FILE --due-days N"
                    .into(),
            ))
        }
        None => open::run_default(due_days, lang),
        Some(Command::Rubric { command }) => rubric::run(command, lang),
        Some(Command::Round { command }) => round::run(command, lang),
        Some(Command::Reviewer { command }) => roster::run(command, lang),
        Some(Command::Case { command }) => round::run_case(command, lang),
        Some(Command::Finding { command }) => finding::run(command, lang),
        Some(Command::Mark(args)) => mark::run(args, lang),
        Some(Command::Score(args)) => score::run(args, lang),
        Some(Command::Export(args)) => export::run_export(args, lang),
        Some(Command::Report(args)) => export::run_report(args, lang),
        Some(Command::Ledger { command }) => ledger::run(command, lang),
        Some(Command::Demo(args)) => demo::run(args, lang),
        Some(Command::Assign(args)) => organise::run_assign(args, lang),
        Some(Command::Handout(args)) => organise::run_handout(args, lang),
        Some(Command::Progress(args)) => organise::run_progress(args, lang),
        Some(Command::Agreement(args)) => organise::run_agreement(args, lang),
        Some(Command::Open(args)) => open::run(args, due_days, lang),
        Some(Command::Merge(args)) => merge::run(args, lang),
        Some(Command::Pack(args)) => merge::run_pack(args, lang),
        Some(Command::Conflicts(args)) => merge::run_conflicts(args, lang),
        Some(Command::Compare(args)) => review::run_compare(args, lang),
        Some(Command::Final(args)) => review::run_final(args, lang),
        Some(Command::Decide(args)) => review::run_decide(args, lang),
        Some(Command::Disagreements(args)) => review::run_disagreements(args, lang),
        Some(Command::Pending(args)) => review::run_pending(args, lang),
    }
}

/// The subcommand being run, e.g. `finding add` (`open` for the reviewer's screen), for the
/// lock file's list of who holds a round file.
fn command_name(matches: &clap::ArgMatches) -> String {
    let mut names = Vec::new();
    let mut m = matches;
    while let Some((name, sub)) = m.subcommand() {
        names.push(name);
        m = sub;
    }
    if names.is_empty() {
        pingcha::store::lock::SCREEN.to_owned()
    } else {
        names.join(" ")
    }
}

/// Shows what went wrong after everything was committed (see `Store::finish`): a warning on
/// standard error, and the command still succeeds.
fn warn(warning: Option<StoreError>, lang: Lang) {
    if let Some(w) = warning {
        eprintln!("{}{}", lang.pick("警告：", "warning: "), w.localized(lang));
    }
}

/// `pingcha ledger list | head`: when the reader of the output goes away, end quietly as Unix
/// tools do. Rust ignores SIGPIPE, which turns the next `println!` into a panic; restoring the
/// default action ends the process instead. (Windows has no SIGPIPE: [`stdout`] ends the command
/// there.)
fn end_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
