//! The round's progress (评查进度, `P`), for the group leader: one line per reviewer with the
//! figures of `pingcha progress` (computed by the same library function), coloured like the
//! ledger view: red nothing started, yellow 待议 or 未定稿 to settle, green every case done. The
//! colour's meaning is also written in the 状态 column, so it reads without colour.

use super::super::keymap::{self, PROGRESS_KEYS, ProgressAction};
use super::super::model::{Model, ProgressView};
use super::super::text::{truncate, width};
use super::{block, cut, dim, selected};
use crate::lang::Lang;
use crate::organise::progress::Line as ProgressLine;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Cells of each figure's column (a space, then the figure on the right).
const FIGURE_W: usize = 7;
/// Cells of the 评查人 column at most.
const NAME_W: usize = 16;

/// Where a reviewer stands, as the row's colour and the 状态 column say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// Something is 待议 or 未定稿: to settle in the meeting (yellow).
    ToSettle,
    /// Every assigned case done (green).
    Done,
    /// Nothing started (red).
    NotStarted,
    /// Under way (plain).
    UnderWay,
}

fn standing(l: &ProgressLine) -> Standing {
    if l.pending > 0 || l.unsettled > 0 {
        Standing::ToSettle
    } else if l.assigned > 0 && l.done == l.assigned {
        Standing::Done
    } else if l.not_started == l.assigned {
        Standing::NotStarted
    } else {
        Standing::UnderWay
    }
}

fn colour(s: Standing) -> Option<Color> {
    match s {
        Standing::ToSettle => Some(Color::Yellow),
        Standing::Done => Some(Color::Green),
        Standing::NotStarted => Some(Color::Red),
        Standing::UnderWay => None,
    }
}

fn words(s: Standing, lang: Lang) -> &'static str {
    match s {
        Standing::ToSettle => lang.pick("有待议/未定稿", "to settle"),
        Standing::Done => lang.pick("全部完成", "all done"),
        Standing::NotStarted => lang.pick("未开始", "not started"),
        Standing::UnderWay => lang.pick("进行中", "under way"),
    }
}

/// `text` cut and padded to `w` cells, on the left (`right`: on the right).
fn pad(text: &str, w: usize, right: bool) -> String {
    let text = truncate(text, w);
    let fill = " ".repeat(w.saturating_sub(width(&text)));
    if right {
        format!("{fill}{text}")
    } else {
        format!("{text}{fill}")
    }
}

pub(super) fn render(model: &Model, view: &ProgressView, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let title = lang.pick("评查进度（按评查人）", "round progress by reviewer");
    let block = block(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let hint = format!(
        "{}  {}  {}",
        keymap::hint(PROGRESS_KEYS, ProgressAction::Down, lang),
        keymap::hint(PROGRESS_KEYS, ProgressAction::Back, lang),
        lang.pick(
            "红 未开始  黄 有待议或未定稿  绿 全部完成",
            "red not started  yellow to settle  green all done"
        ),
    );
    let mut lines = vec![cut(&hint, inner.width, dim())];
    let Some(team) = &model.team else {
        lines.push(cut(lang.pick("正在统计…", "counting…"), inner.width, dim()));
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    };
    let name_w = team
        .iter()
        .map(|l| width(&l.name))
        .chain([width(lang.pick("评查人", "reviewer"))])
        .max()
        .unwrap_or(6)
        .min(NAME_W);
    let figures: [&str; 7] = [
        lang.pick("分配", "assign"),
        lang.pick("未开始", "new"),
        lang.pick("进行中", "going"),
        lang.pick("已完成", "done"),
        lang.pick("问题", "finds"),
        lang.pick("待议", "talk"),
        lang.pick("未定稿", "unset"),
    ];
    let mut header = pad(lang.pick("评查人", "reviewer"), name_w, false);
    for f in figures {
        header.push(' ');
        header.push_str(&pad(f, FIGURE_W - 1, true));
    }
    header.push_str("  ");
    header.push_str(lang.pick("状态", "state"));
    lines.push(Line::from(Span::styled(
        pad(&header, w, false),
        Style::default().add_modifier(Modifier::BOLD),
    )));
    if team.is_empty() {
        lines.push(cut(
            lang.pick(
                "（本轮没有分案，也还没有评查表）",
                "(nothing is assigned and no sheet is started)",
            ),
            inner.width,
            dim(),
        ));
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }
    let room = (inner.height as usize).saturating_sub(lines.len());
    let chosen = view.selected.min(team.len() - 1);
    let start = chosen.saturating_sub(room.saturating_sub(1));
    for (i, l) in team.iter().enumerate().skip(start).take(room) {
        let s = standing(l);
        let mut text = pad(&l.name, name_w, false);
        for n in [
            l.assigned,
            l.not_started,
            l.in_progress,
            l.done,
            l.findings,
            l.pending,
            l.unsettled,
        ] {
            text.push(' ');
            text.push_str(&pad(&n.to_string(), FIGURE_W - 1, true));
        }
        text.push_str("  ");
        text.push_str(words(s, lang));
        let style = match (colour(s), i == chosen) {
            (Some(c), true) => Style::default().fg(c).add_modifier(Modifier::REVERSED | Modifier::BOLD),
            (Some(c), false) => Style::default().fg(c),
            (None, true) => selected(),
            (None, false) => Style::default(),
        };
        lines.push(Line::from(Span::styled(pad(&text, w, false), style)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_red_before_anything_yellow_with_things_to_settle_green_when_all_done() {
        let line = |assigned, not_started, done, pending, unsettled| ProgressLine {
            name: "张明".into(),
            assigned,
            not_started,
            in_progress: assigned - not_started - done,
            done,
            findings: 0,
            pending,
            unsettled,
        };
        let of = |l: &ProgressLine| colour(standing(l));
        assert_eq!(of(&line(3, 3, 0, 0, 0)), Some(Color::Red));
        assert_eq!(of(&line(3, 1, 1, 0, 0)), None);
        assert_eq!(of(&line(3, 0, 3, 0, 0)), Some(Color::Green));
        assert_eq!(of(&line(3, 0, 3, 1, 0)), Some(Color::Yellow));
        assert_eq!(of(&line(3, 0, 3, 0, 1)), Some(Color::Yellow));
        assert_eq!(words(standing(&line(3, 0, 3, 0, 0)), Lang::Zh), "全部完成");
    }
}
