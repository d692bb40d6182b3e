//! Stored text: how long a note or field may be, and cleaning it for the terminal.
//!
//! A pasted note can be anything. Two things must hold whatever it is: every export of it
//! works (an XLSX cell holds at most 32,767 characters, so a longer note would make every
//! workbook of its case fail), and printing it cannot drive the terminal (an escape sequence
//! in a note can set a window title or clear the screen).

use crate::lang::{Lang, Localized};
use std::borrow::Cow;

/// The most characters a note, reason or case field may hold: far more than any real note,
/// and well inside an XLSX cell even where two texts share one.
pub const MAX_CHARS: usize = 8_000;

/// Which text was too long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// A finding's or mark's note (问题描述).
    Note,
    /// The reason of a decided grade.
    Reason,
    /// Who decided, or who acts on a ledger entry.
    Name,
    /// A case-list field, by its key.
    Field(String),
    /// A ledger entry's measures (整改措施).
    Measures,
    /// A ledger entry's evidence (佐证材料).
    Evidence,
}

impl What {
    fn label(&self, lang: Lang) -> String {
        match self {
            What::Note => lang.pick("问题描述", "the note").into(),
            What::Reason => lang.pick("理由", "the reason").into(),
            What::Name => lang.pick("姓名", "the name").into(),
            What::Field(key) => match lang {
                Lang::Zh => format!("字段「{key}」"),
                Lang::En => format!("field `{key}`"),
            },
            What::Measures => lang.pick("整改措施", "the measures").into(),
            What::Evidence => lang.pick("佐证材料", "the evidence").into(),
        }
    }
}

/// A text beyond [`MAX_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLong {
    /// Which text.
    pub what: What,
    /// How many characters it has.
    pub chars: usize,
}

impl Localized for TooLong {
    fn localized(&self, lang: Lang) -> String {
        let what = self.what.label(lang);
        match lang {
            Lang::Zh => format!(
                "{what}过长：共 {} 字，最多 {MAX_CHARS} 字；未保存。请精简，或把详细材料另附",
                self.chars
            ),
            Lang::En => format!(
                "{what} is too long: {} characters, at most {MAX_CHARS}; nothing was saved",
                self.chars
            ),
        }
    }
}

/// Refuses a text longer than [`MAX_CHARS`] characters.
pub fn check(what: What, text: &str) -> Result<(), TooLong> {
    let chars = text.chars().count();
    if chars > MAX_CHARS {
        return Err(TooLong { what, chars });
    }
    Ok(())
}

/// Characters that must not reach a terminal from stored text: control characters (escape,
/// carriage return, …) and the bidirectional overrides that make text read differently
/// from what it is.
fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Stored text for one line of terminal output: control characters removed, line breaks and
/// tabs turned into spaces.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter_map(|c| match c {
                '\n' | '\t' | '\r' => Some(' '),
                c if unsafe_char(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// Stored text for several lines of terminal output: as [`for_terminal`], keeping line breaks.
pub fn for_terminal_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && unsafe_char(c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.lines().map(for_terminal).collect::<Vec<_>>().join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_overrides_do_not_reach_the_terminal() {
        let hostile = "说理\x1b]0;owned\x07不足\x1b[2J\r\n第二行\u{202E}abc";
        let clean = for_terminal(hostile);
        assert!(!clean.chars().any(unsafe_char), "{clean:?}");
        assert_eq!(clean, "说理]0;owned不足[2J  第二行abc");
        assert_eq!(for_terminal_lines("一\n二\x1b[2J"), "一\n二[2J");
        assert!(matches!(for_terminal("平常的说明"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_limit_counts_characters_not_bytes() {
        assert!(check(What::Note, &"字".repeat(MAX_CHARS)).is_ok());
        let e = check(What::Note, &"字".repeat(MAX_CHARS + 1)).expect_err("too long");
        assert_eq!(e.chars, MAX_CHARS + 1);
        assert!(e.localized(Lang::Zh).contains("问题描述过长"));
    }
}
