//! One-line text fields that take committed CJK strings and pastes, and display-width helpers
//! so double-width text never breaks a border.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A one-line text field. The cursor sits on a char boundary, so backspace removes a whole
/// character, double-width or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextField {
    text: String,
    cursor: usize,
    pristine: bool,
}

impl TextField {
    /// A field holding `text`, cursor at the end.
    pub fn new(text: &str) -> TextField {
        TextField {
            text: text.to_owned(),
            cursor: text.len(),
            pristine: false,
        }
    }

    /// A field holding a remembered value that the first typed character replaces.
    pub fn prefilled(text: &str) -> TextField {
        TextField {
            pristine: !text.is_empty(),
            ..TextField::new(text)
        }
    }

    /// Selects the whole text (cursor at the end), so the next typed character replaces it:
    /// how a field is entered with ↑/↓ or shown with a remembered value.
    pub fn select(&mut self) {
        self.cursor = self.text.len();
        self.pristine = !self.text.is_empty();
    }

    /// Whether the whole text is selected (typing replaces it).
    pub fn selected(&self) -> bool {
        self.pristine
    }

    /// Whether the field holds text the reviewer typed (not just a remembered value).
    pub fn edited(&self) -> bool {
        !self.text.trim().is_empty() && !self.pristine
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text before the cursor (for placing the terminal cursor).
    pub fn before_cursor(&self) -> &str {
        &self.text[..self.cursor]
    }

    /// Replaces the whole text, cursor at the end.
    pub fn set(&mut self, text: &str) {
        *self = TextField::new(text);
    }

    /// Inserts typed or pasted text at the cursor; line breaks and tabs become spaces and other
    /// control characters are dropped.
    pub fn insert(&mut self, s: &str) {
        if self.pristine {
            self.set("");
        }
        let clean: String = s
            .chars()
            .filter_map(|c| match c {
                '\r' | '\n' | '\t' => Some(' '),
                c if c.is_control() => None,
                c => Some(c),
            })
            .collect();
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
    }

    /// Handles an editing key; returns true if the text changed.
    pub fn key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let before = self.text.clone();
        match key.code {
            KeyCode::Char('u') if ctrl => self.set(""),
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.text.len(),
            KeyCode::Char(c) if !ctrl => self.insert(c.encode_utf8(&mut [0; 4])),
            KeyCode::Backspace => {
                self.pristine = false;
                if let Some((i, _)) = self.text[..self.cursor].char_indices().next_back() {
                    self.text.replace_range(i..self.cursor, "");
                    self.cursor = i;
                }
            }
            KeyCode::Delete => {
                self.pristine = false;
                if let Some(c) = self.text[self.cursor..].chars().next() {
                    self.text.replace_range(self.cursor..self.cursor + c.len_utf8(), "");
                }
            }
            KeyCode::Left if ctrl => {
                self.pristine = false;
                self.cursor = word_start(&self.text, self.cursor);
            }
            KeyCode::Right if ctrl => {
                self.pristine = false;
                self.cursor = word_end(&self.text, self.cursor);
            }
            KeyCode::Left => {
                self.pristine = false;
                if let Some((i, _)) = self.text[..self.cursor].char_indices().next_back() {
                    self.cursor = i;
                }
            }
            KeyCode::Right => {
                self.pristine = false;
                if let Some(c) = self.text[self.cursor..].chars().next() {
                    self.cursor += c.len_utf8();
                }
            }
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.text.len(),
            _ => {}
        }
        self.text != before
    }
}

/// Whether `c` ends a word for Ctrl-←/→: a space or punctuation, Chinese or not (Chinese has
/// no spaces, so a clause is the unit one jumps over).
fn separator(c: char) -> bool {
    c.is_whitespace() || c.is_ascii_punctuation() || "，。；：、！？（）【】《》“”‘’…—".contains(c)
}

/// The start of the word before byte `at`.
fn word_start(text: &str, at: usize) -> usize {
    let before: Vec<(usize, char)> = text[..at].char_indices().collect();
    let mut i = before.len();
    while i > 0 && separator(before[i - 1].1) {
        i -= 1;
    }
    while i > 0 && !separator(before[i - 1].1) {
        i -= 1;
    }
    before.get(i).map_or(if i == 0 { 0 } else { at }, |&(b, _)| b)
}

/// The end of the word after byte `at`.
fn word_end(text: &str, at: usize) -> usize {
    let mut end = at;
    let mut chars = text[at..].chars().peekable();
    while let Some(&c) = chars.peek().filter(|&&c| separator(c)) {
        end += c.len_utf8();
        chars.next();
    }
    while let Some(&c) = chars.peek().filter(|&&c| !separator(c)) {
        end += c.len_utf8();
        chars.next();
    }
    end
}

/// `text` wrapped into lines of at most `max` cells, and the (line, cell) the cursor at byte
/// `cursor` stands on: a cursor at the very end of a full line goes to the start of the next.
pub fn wrap_at(text: &str, cursor: usize, max: usize) -> (Vec<String>, (usize, usize)) {
    let max = max.max(2);
    let mut lines = vec![String::new()];
    let mut used = 0;
    let mut at = (0, 0);
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > max {
            lines.push(String::new());
            used = 0;
        }
        if i == cursor {
            at = (lines.len() - 1, used);
        }
        if let Some(line) = lines.last_mut() {
            line.push(c);
        }
        used += w;
    }
    if cursor >= text.len() {
        if used >= max {
            lines.push(String::new());
            used = 0;
        }
        at = (lines.len() - 1, used);
    }
    (lines, at)
}

/// The display width of `s` in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` cells, ending in "…" when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    if max > 0 {
        out.push('…');
    }
    out
}

/// The last `max` cells of `s` (for a field whose cursor is at the end), starting with "…"
/// when cut.
pub fn tail(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_owned();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1;
    for c in s.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > max {
            break;
        }
        kept.push(c);
        used += w;
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// `s` broken into lines of at most `max` cells (at any character: Chinese has no spaces).
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        line.push(c);
        used += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backspace_removes_a_whole_double_width_char() {
        let mut f = TextField::new("");
        f.insert("未加盖公章");
        assert!(f.key(KeyEvent::from(KeyCode::Backspace)));
        assert_eq!(f.text(), "未加盖公");
        f.key(KeyEvent::from(KeyCode::Left));
        f.key(KeyEvent::from(KeyCode::Backspace));
        assert_eq!(f.text(), "未加公");
    }

    #[test]
    fn prefilled_text_is_replaced_by_typing_and_pastes_lose_line_breaks() {
        let mut f = TextField::prefilled("3");
        f.key(KeyEvent::from(KeyCode::Char('5')));
        assert_eq!(f.text(), "5");
        f.insert("卷\n宗");
        assert_eq!(f.text(), "5卷 宗");
    }

    #[test]
    fn ctrl_arrows_jump_over_clauses_and_wrapping_places_the_cursor() {
        let mut f = TextField::new("询问笔录，缺少签名。另有涂改");
        let ctrl = |code| KeyEvent::new(code, KeyModifiers::CONTROL);
        f.key(ctrl(KeyCode::Left));
        assert_eq!(f.before_cursor(), "询问笔录，缺少签名。");
        f.key(ctrl(KeyCode::Left));
        assert_eq!(f.before_cursor(), "询问笔录，");
        f.key(ctrl(KeyCode::Right));
        assert_eq!(f.before_cursor(), "询问笔录，缺少签名");
        f.key(KeyEvent::from(KeyCode::Delete));
        assert_eq!(f.text(), "询问笔录，缺少签名另有涂改");
        // Six cells a line: the cursor after 签名 (byte 27) is on line 2, cell 4.
        let (lines, at) = wrap_at(f.text(), "询问笔录，缺少签名".len(), 6);
        assert_eq!(lines, vec!["询问笔", "录，缺", "少签名", "另有涂", "改"]);
        assert_eq!(at, (3, 0));
        let (lines, at) = wrap_at("一二三", "一二三".len(), 6);
        assert_eq!(
            (lines.len(), at),
            (2, (1, 0)),
            "the cursor after a full line starts the next"
        );
        assert_eq!(wrap_at("", 0, 6), (vec![String::new()], (0, 0)));
    }

    #[test]
    fn truncation_counts_cells_not_chars() {
        assert_eq!(truncate("事实证据abc", 6), "事实…");
        assert_eq!(width(&truncate("事实证据abc", 6)), 5);
        assert_eq!(truncate("abc", 6), "abc");
        assert_eq!(tail("一二三四", 5), "…三四");
    }

    #[test]
    fn wrapping_counts_cells_and_keeps_every_char() {
        assert_eq!(wrap("从重扣分ab", 5), vec!["从重", "扣分a", "b"]);
        assert!(wrap("该问题上一轮已反馈", 7).iter().all(|l| width(l) <= 7));
        assert_eq!(wrap("该问题上一轮已反馈", 7).concat(), "该问题上一轮已反馈");
        assert!(wrap("", 4).is_empty());
    }
}
