//! Words read from people or files that are not one of the accepted ones, and the one way the
//! text-stored enums go to and come from SQLite.

use crate::lang::{Lang, Localized};
use std::fmt;

/// Which vocabulary a word was expected from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// A review stage (自评 / 初评 / 复核 / 终评).
    Stage,
    /// A ledger state (待整改 … 已撤销).
    LedgerState,
    /// A round's review kind (日常 / 全面 / 专项).
    RoundKind,
    /// A round's review method (自查 / 交叉 / 抽查 / 协审).
    Method,
    /// A calendar date.
    Date,
}

impl Word {
    /// What the word names, for messages.
    fn what(self, lang: Lang) -> &'static str {
        match self {
            Word::Stage => lang.pick("评查阶段", "stage"),
            Word::LedgerState => lang.pick("台账状态", "ledger state"),
            Word::RoundKind => lang.pick("评查类型", "review kind"),
            Word::Method => lang.pick("评查方式", "review method"),
            Word::Date => lang.pick("日期", "date"),
        }
    }

    /// The accepted values, as a person would type them.
    fn accepted(self, lang: Lang) -> String {
        let names = |zh: Vec<&str>, en: Vec<&str>| match lang {
            Lang::Zh => zh.join("、"),
            Lang::En => en.join(", "),
        };
        match self {
            Word::Stage => names(
                super::Stage::ALL.iter().map(|s| s.name()).collect(),
                super::Stage::ALL.iter().map(|s| s.key()).collect(),
            ),
            Word::LedgerState => names(
                super::State::ALL.iter().map(|s| s.name()).collect(),
                super::State::ALL.iter().map(|s| s.key()).collect(),
            ),
            Word::RoundKind => names(
                super::RoundKind::ALL.iter().map(|k| k.name()).collect(),
                super::RoundKind::ALL.iter().map(|k| k.name()).collect(),
            ),
            Word::Method => names(
                super::Method::ALL.iter().map(|m| m.name()).collect(),
                super::Method::ALL.iter().map(|m| m.name()).collect(),
            ),
            Word::Date => lang
                .pick(" YYYY-MM-DD，如 2026-12-02", "YYYY-MM-DD, e.g. 2026-12-02")
                .to_owned(),
        }
    }
}

/// A word that is not one of its vocabulary's: what was expected and what was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownWord {
    /// The vocabulary.
    pub word: Word,
    /// What was given, trimmed.
    pub given: String,
}

impl UnknownWord {
    /// A refusal of `given` as a `word`.
    pub fn new(word: Word, given: &str) -> UnknownWord {
        UnknownWord {
            word,
            given: given.trim().to_owned(),
        }
    }
}

impl Localized for UnknownWord {
    fn localized(&self, lang: Lang) -> String {
        let what = self.word.what(lang);
        let accepted = self.word.accepted(lang);
        match (lang, self.word) {
            (Lang::Zh, Word::Date) => format!("日期「{}」无效，应写成{accepted}", self.given),
            (Lang::En, Word::Date) => format!("invalid date `{}`; write it as {accepted}", self.given),
            (Lang::Zh, _) => format!("未知的{what}「{}」，应为：{accepted}", self.given),
            (Lang::En, _) => format!("unknown {what} `{}`; expected one of: {accepted}", self.given),
        }
    }
}

impl fmt::Display for UnknownWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localized(Lang::Zh))
    }
}

impl std::error::Error for UnknownWord {}

/// Stores an enum as its Chinese name (what older files hold too) and reads it back through
/// its `parse`, so a row carries the enum and a stray value is a read error, not a string.
macro_rules! stored_as_name {
    ($t:ty) => {
        impl rusqlite::ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.name()))
            }
        }

        impl rusqlite::types::FromSql for $t {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let text = value.as_str()?;
                <$t>::parse(text).map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }
    };
}

pub(super) use stored_as_name;
