//! Errors as the command line reports them: one paragraph, in the chosen language.

use pingcha::caselist::{CaseListError, CaseListErrors};
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
    /// A refused value of one case's field (`case set`): the case number and why.
    CaseField(String, CaseListError),
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
    /// A refusal followed by what to do next, in both languages.
    Hinted(Box<CliError>, &'static str, &'static str),
    /// A refusal worded by the command (a library error with its hint), in both languages.
    Refused(String, String),
}

impl CliError {
    /// The process exit code: 1 for bad input, 2 for usage errors.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(..) => 2,
            CliError::Hinted(e, ..) => e.exit_code(),
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
            CliError::CaseField(case_no, e) => match lang {
                Lang::Zh => format!("{case_no}：{}，未修改", e.localized(lang)),
                Lang::En => format!("{case_no}: {}; nothing changed", e.localized(lang)),
            },
            CliError::Merge(e) => e.localized(lang),
            CliError::Ledger(e) => e.localized(lang),
            CliError::Export(e) => e.localized(lang),
            CliError::Io(p, e) if let Some(media) = OutputError::media(p, e) => media.localized(lang),
            CliError::Io(p, e) => match lang {
                Lang::Zh => format!("读写 {} 失败：{e}", p.display()),
                Lang::En => format!("cannot read or write {}: {e}", p.display()),
            },
            CliError::Hinted(e, zh, en) => format!("{}\n{}", e.localized(lang), lang.pick(zh, en)),
            CliError::Usage(zh, en) | CliError::Refused(zh, en) => lang.pick(zh, en).to_owned(),
        }
    }
}

impl CliError {
    /// A 未定稿 refusal with the commands that settle the case.
    pub fn final_hint(e: CliError) -> CliError {
        CliError::Hinted(
            Box::new(e),
            "先用 pingcha final --from 姓名 或 --union 起草终评表",
            "start the final sheet first: pingcha final --from NAME or --union",
        )
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
