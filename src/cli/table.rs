//! Plain-text tables whose columns line up with double-width Chinese text.

use pingcha::text::for_terminal;
use unicode_width::UnicodeWidthStr;

/// Column alignment.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Left.
    Left,
    /// Right (numbers).
    Right,
}

/// Renders rows under headers, padding by display width (a CJK character is two columns).
/// Cells hold stored text, so control characters are removed first ([`for_terminal`]).
pub fn render(headers: &[(&str, Align)], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| for_terminal(c).into_owned()).collect())
        .collect();
    let rows = rows.as_slice();
    let mut widths: Vec<usize> = headers.iter().map(|(h, _)| h.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut out = String::new();
        for (i, ((cell, w), (_, align))) in cells.iter().zip(&widths).zip(headers).enumerate() {
            let pad = " ".repeat(w.saturating_sub(cell.width()));
            if i > 0 {
                out.push_str("  ");
            }
            match align {
                Align::Left => {
                    out.push_str(cell);
                    out.push_str(&pad);
                }
                Align::Right => {
                    out.push_str(&pad);
                    out.push_str(cell);
                }
            }
        }
        out.trim_end().to_owned()
    };
    let mut out = vec![line(headers.iter().map(|(h, _)| *h).collect())];
    out.push(widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>().join("  "));
    out.extend(rows.iter().map(|r| line(r.iter().map(String::as_str).collect())));
    out.join("\n")
}

/// Renders "label  value" lines with the values lined up after labels of any width.
pub fn pairs(rows: &[(&str, String)]) -> String {
    let width = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    rows.iter()
        .map(|(k, v)| format!("{k}{}  {}", " ".repeat(width - k.width()), for_terminal(v)))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_columns_line_up() {
        let t = render(
            &[("项目", Align::Left), ("扣分", Align::Right)],
            &[vec!["事实证据".into(), "2.5".into()], vec!["ab".into(), "10".into()]],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[2], "事实证据   2.5");
        assert_eq!(lines[3], "ab          10");
        assert_eq!(lines[0].width(), lines[3].width());
    }
}
