//! The status line: case k of n, total, grades, the last write, reviewer and stage. In the
//! ledger view, which is about no case, the case part gives way to the message.

use super::super::model::{Mode, Model, Status};
use super::super::text::{truncate, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(super) fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let mut left = format!(
        "{} {}/{}",
        lang.pick("案", "case"),
        model.case_index + 1,
        model.cases.len()
    );
    if let Some(c) = model.case() {
        left.push(' ');
        left.push_str(&c.case_no);
    }
    if matches!(model.mode, Mode::Ledger(_)) {
        left = lang.pick("整改台账", "ledger").to_owned();
    } else if let Some(d) = &model.data {
        left.push_str(&format!(
            " │ {} {} {}",
            lang.pick("得分", "total"),
            d.score.total,
            d.score.grade
        ));
        if let Some(x) = &d.score.decision {
            left.push_str(&format!(" ({} {})", lang.pick("认定", "decided"), x.grade));
        }
    }
    let done = if !matches!(model.mode, Mode::Ledger(_)) && model.case_done() {
        format!(" │ {}", lang.pick("✓ 已完成", "✓ done"))
    } else {
        String::new()
    };
    let (word, colour) = match &model.status {
        Status::Idle => (String::new(), Color::Reset),
        Status::Saved(s) => (s.clone(), Color::Green),
        Status::Info(s) => (s.clone(), Color::Cyan),
        Status::Error(s) => (s.clone(), Color::Red),
    };
    let total = area.width as usize;
    // The message comes first: the case part and the reviewer give way to it.
    let mut right = format!(
        "{}·{}  ? {}",
        model.opts.reviewer,
        model.opts.stage,
        lang.pick("帮助", "help")
    );
    let needed = width(&left) + width(&done) + width(&word) + width(&right) + 4;
    if needed > total {
        right = "?".to_owned();
    }
    let fixed = width(&done) + width(&right) + 4;
    let left_room = total.saturating_sub(fixed + width(&word)).max(total.min(12));
    let left_room = left_room.min(total.saturating_sub(fixed));
    // The score part goes whole before the case number is cut.
    let left = match left.split_once(" │ ") {
        Some((case, _)) if width(&left) > left_room => truncate(case, left_room),
        _ => truncate(&left, left_room),
    };
    let room = total.saturating_sub(width(&left) + fixed);
    let word = truncate(&word, room);
    let gap = total.saturating_sub(width(&left) + width(&done) + width(&word) + width(&right) + 3);
    let line = Line::from(vec![
        Span::styled(left, Style::default().add_modifier(Modifier::BOLD)),
        Span::styled(done, Style::default().fg(Color::Green).add_modifier(Modifier::BOLD)),
        Span::raw(" │ "),
        Span::styled(word, Style::default().fg(colour)),
        Span::raw(" ".repeat(gap)),
        Span::styled(right, Style::default().fg(Color::DarkGray)),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
