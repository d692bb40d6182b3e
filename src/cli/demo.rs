//! `pingcha demo`, and what `pingcha` with no command does.

use super::error::{CliError, CliResult};
use pingcha::lang::Lang;
use pingcha::store::identity::{data_dir, machine_id};
use std::path::PathBuf;

/// Arguments of `pingcha demo`.
#[derive(clap::Args)]
pub struct DemoArgs {
    /// 目录，默认为数据目录 (directory; defaults to the data directory)
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// Creates the demo round (if it is not there yet) and says where it is.
pub fn run(args: DemoArgs, lang: Lang) -> CliResult {
    let dir = match args.dir {
        Some(d) => d,
        None => data_dir().map_err(|e| CliError::Io(PathBuf::from("data dir"), e))?,
    };
    let path = ensure(&dir)?;
    match lang {
        Lang::Zh => println!(
            "演示轮次：{}\n查看得分：pingcha score --db \"{0}\"\n逐项查看：pingcha score --db \"{0}\" --case \"〔2026〕纪审字第001号\"",
            path.display()
        ),
        Lang::En => println!(
            "demo round: {}\nscores: pingcha score --db \"{0}\"\none case: pingcha score --db \"{0}\" --case \"〔2026〕纪审字第001号\"",
            path.display()
        ),
    }
    Ok(())
}

/// The demo round's path in `dir`, creating it on first use.
pub fn ensure(dir: &std::path::Path) -> Result<PathBuf, CliError> {
    let path = pingcha::demo::path_in(dir);
    if !path.exists() {
        std::fs::create_dir_all(dir).map_err(|e| CliError::Io(dir.to_path_buf(), e))?;
        let machine = machine_id().map_err(|e| CliError::Io(PathBuf::from("machine-id"), e))?;
        pingcha::demo::create(&path, &machine)?.close()?;
    }
    Ok(path)
}
