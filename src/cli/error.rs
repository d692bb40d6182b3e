//! Errors as the command line reports them: one paragraph, in the chosen language.

use pingcha::caselist::CaseListErrors;
use pingcha::export::ExportError;
use pingcha::lang::{Lang, Localized};
use pingcha::ledger::LedgerError;
use pingcha::merge::MergeError;
use pingcha::output::OutputError;
use pingcha::rubric::RubricErrors;
use pingcha::store::StoreError;
use std::path::PathBuf;

/// Anything a command can fail with.
pub enum CliError {
    /// A rubric file has problems.
    Rubric(RubricErrors),
    /// A round file problem.
    Store(StoreError),
    /// A case list has problems.
    CaseList(CaseListErrors),
    /// Building or rendering a report failed.
    Export(ExportError),
    /// Reading or writing a file failed.
    Io(PathBuf, std::io::Error),
    /// A refused ledger change.
    Ledger(LedgerError),
    /// A refused merge, pack or review step.
    Merge(MergeError),
    /// An output refused or not written.
    Output(OutputError),
    /// A bad argument value, with messages in both languages.
    Usage(String, String),
    /// A refusal worded by the command (a library error with its hint), in both languages.
    Refused(String, String),
}

impl CliError {
    /// The process exit code: 1 for bad input, 2 for usage errors.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(..) => 2,
            _ => 1,
        }
    }
}

impl Localized for CliError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            CliError::Rubric(e) => e.localized(lang),
            CliError::Store(StoreError::Output(e))
            | CliError::Merge(MergeError::Store(StoreError::Output(e)))
            | CliError::Output(e) => with_hint(e, lang),
            CliError::Store(e) => e.localized(lang),
            CliError::CaseList(e) => e.localized(lang),
            CliError::Merge(e) => e.localized(lang),
            CliError::Ledger(e) => e.localized(lang),
            CliError::Export(e) => e.localized(lang),
            CliError::Io(p, e) if let Some(media) = OutputError::media(p, e) => media.localized(lang),
            CliError::Io(p, e) => match lang {
                Lang::Zh => format!("读写 {} 失败：{e}", p.display()),
                Lang::En => format!("cannot read or write {}: {e}", p.display()),
            },
            CliError::Usage(zh, en) | CliError::Refused(zh, en) => lang.pick(zh, en).to_owned(),
        }
    }
}

/// An output error with what the command line can do about it (the library names no flag).
fn with_hint(e: &OutputError, lang: Lang) -> String {
    let hint = match e {
        OutputError::Exists(_) => lang.pick("；确需覆盖请加 --force", "; add --force to replace it"),
        OutputError::Symlink(_) => lang.pick("；要写到标准输出请用 -o -", "; for standard output use -o -"),
        _ => "",
    };
    format!("{}{hint}", e.localized(lang))
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Output(e) => CliError::Output(e),
            e => CliError::Store(e),
        }
    }
}

impl From<OutputError> for CliError {
    fn from(e: OutputError) -> Self {
        CliError::Output(e)
    }
}

impl From<LedgerError> for CliError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Store(e) => CliError::Store(e),
            e => CliError::Ledger(e),
        }
    }
}

impl From<ExportError> for CliError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Store(e) => CliError::Store(e),
            e => CliError::Export(e),
        }
    }
}

impl From<RubricErrors> for CliError {
    fn from(e: RubricErrors) -> Self {
        CliError::Rubric(e)
    }
}

impl From<CaseListErrors> for CliError {
    fn from(e: CaseListErrors) -> Self {
        CliError::CaseList(e)
    }
}

/// Results of commands.
pub type CliResult = Result<(), CliError>;
