//! `pingcha open FILE`, and `pingcha` with no command: the reviewer's screen.

use super::error::{CliError, CliResult};
use pingcha::lang::Lang;
use pingcha::store::identity::data_dir;
use pingcha::store::{Identity, Stage, Store};
use pingcha::tui::{App, DEFAULT_DUE_DAYS, Options, terminal};
use std::path::{Path, PathBuf};

/// Arguments of `pingcha open`.
#[derive(clap::Args)]
pub struct OpenArgs {
    /// 评查轮次文件 (round file, .db)
    file: PathBuf,
    /// 评查人 (reviewer name)
    #[arg(long, env = "PINGCHA_REVIEWER")]
    reviewer: String,
    /// 评查阶段：自评 / 初评 / 复核 / 终评
    #[arg(long, default_value = "初评")]
    stage: String,
    /// 整改台账中期限在 N 天内的问题标为黄色（默认 7） (ledger view: deadlines within N days are yellow)
    #[arg(long, value_name = "N")]
    due_days: Option<u32>,
}

/// Opens the TUI on a round file; `due_days` is `pingcha --due-days N open …`'s, which the
/// command's own option overrides.
pub fn run(args: OpenArgs, due_days: Option<u32>, lang: Lang) -> CliResult {
    let due_days = args.due_days.or(due_days).unwrap_or(DEFAULT_DUE_DAYS);
    open(&args.file, &args.reviewer, Stage::parse(&args.stage)?, due_days, lang)
}

/// `pingcha` with no command: the demo round in the data directory (created on first run),
/// as `$PINGCHA_REVIEWER` or the first demo reviewer.
pub fn run_default(due_days: Option<u32>, lang: Lang) -> CliResult {
    let dir = data_dir().map_err(|e| CliError::Io(PathBuf::from("data dir"), e))?;
    let path = super::demo::ensure(&dir)?;
    let reviewer = std::env::var("PINGCHA_REVIEWER")
        .ok()
        .filter(|r| !r.trim().is_empty())
        .unwrap_or_else(|| pingcha::demo::REVIEWERS[0].to_owned());
    open(
        &path,
        &reviewer,
        Stage::Initial,
        due_days.unwrap_or(DEFAULT_DUE_DAYS),
        lang,
    )
}

fn open(path: &Path, reviewer: &str, stage: Stage, due_days: u32, lang: Lang) -> CliResult {
    let identity = Identity::here(reviewer).map_err(|e| CliError::Io(PathBuf::from("machine-id"), e))?;
    let store = Store::open(path, &identity)?;
    let opts = Options {
        lang,
        reviewer: identity.reviewer.clone(),
        stage,
        due_days,
    };
    let app = App::open(store, opts)?;
    let warning = terminal::run(app).map_err(|e| match e {
        terminal::RunError::Terminal(e) => CliError::Io(PathBuf::from("terminal"), e),
    })?;
    super::warn(warning, lang);
    Ok(())
}
