//! Errors as the command line reports them: one paragraph, in the chosen language.

use pingcha::caselist::CaseListErrors;
use pingcha::export::ExportError;
use pingcha::lang::{Lang, Localized};
use pingcha::ledger::LedgerError;
use pingcha::merge::MergeError;
use pingcha::organise::OrganiseError;
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
    /// A refused organiser step (assignment, avoidance).
    Organise(OrganiseError),
    /// A bad argument value, with messages in both languages.
    Usage(String, String),
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
            CliError::Store(e) => e.localized(lang),
            CliError::CaseList(e) => e.localized(lang),
            CliError::Merge(e) => e.localized(lang),
            CliError::Ledger(e) => e.localized(lang),
            CliError::Export(e) => e.localized(lang),
            CliError::Organise(e) => e.localized(lang),
            CliError::Io(p, e) => match lang {
                Lang::Zh => format!("读写 {} 失败：{e}", p.display()),
                Lang::En => format!("cannot read or write {}: {e}", p.display()),
            },
            CliError::Usage(zh, en) => lang.pick(zh, en).to_owned(),
        }
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        CliError::Store(e)
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

impl From<OrganiseError> for CliError {
    fn from(e: OrganiseError) -> Self {
        match e {
            OrganiseError::Store(e) => CliError::Store(e),
            e => CliError::Organise(e),
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
