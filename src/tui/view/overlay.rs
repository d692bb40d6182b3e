//! Pop-ups over the main screen: help, case list, 待议 list, note search, metadata and grade
//! forms, the reason of a 待议 or 不适用 mark.

use super::super::forms::{case_matches, pending_matches};
use super::super::keymap::{
    self, ENTRY_KEYS, GLOBAL_KEYS, GRADE_KEYS, GradeAction, KEYMAP, LEDGER_KEYS, MARK_REASON_KEYS, META_KEYS,
    MarkReasonAction, MetaAction, PICKER_KEYS, PickerAction,
};
use super::super::model::{MarkReason, Mode, Model, Picker};
use super::super::text::{TextField, tail, truncate, width, wrap_at};
use super::{block, centred, cut, dim, selected};
use crate::lang::Lang;
use crate::store::{MarkKind, Progress};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

pub(super) fn render(model: &Model, frame: &mut Frame, area: Rect) {
    match &model.mode {
        Mode::Help => help(model, frame, area),
        Mode::Cases(p) => cases(model, p, frame, area),
        Mode::Pending(p) => pending(model, p, frame, area),
        Mode::Search(p) => search(model, p, frame, area),
        Mode::Meta(_) => meta(model, frame, area),
        Mode::Grade(_) => grade(model, frame, area),
        Mode::MarkReason(form) => mark_reason(model, form, frame, area),
        Mode::Filter(f) => {
            let title = format!("{} /", model.opts.lang.pick("评分表", "rubric"));
            let x = area.x + 2 + width(&title) as u16 + width(f.before_cursor()) as u16;
            if x < area.right() {
                frame.set_cursor_position(Position::new(x, area.y));
            }
        }
        Mode::Browse | Mode::Entry(_) | Mode::Compare(_) | Mode::Ledger(_) | Mode::Progress(_) => {}
    }
}

/// A cleared, bordered pop-up of at most `w`×`h`; returns its inside.
pub(super) fn popup(frame: &mut Frame, area: Rect, w: u16, h: u16, title: &str) -> Rect {
    let rect = centred(area, w, h);
    // A double-width character just left of the pop-up would spill over its border: blank it.
    if rect.x > area.x {
        let buf = frame.buffer_mut();
        for y in rect.top()..rect.bottom() {
            let cell = &mut buf[(rect.x - 1, y)];
            if width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    frame.render_widget(Clear, rect);
    let block = block(title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

fn help(model: &Model, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let mut entries: Vec<(&str, &str)> = KEYMAP
        .iter()
        .filter(|b| !b.label.is_empty())
        .map(|b| (b.label, b.help(lang)))
        .collect();
    entries.push(("", lang.pick("── 整改台账（L）中 ──", "── in the ledger (L) ──")));
    entries.extend(
        LEDGER_KEYS
            .iter()
            .filter(|b| !b.label.is_empty())
            .map(|b| (b.label, b.help(lang))),
    );
    entries.push(("", lang.pick("── 表单与列表中 ──", "── in forms and lists ──")));
    entries.extend(
        ENTRY_KEYS
            .iter()
            .filter(|b| !b.label.is_empty())
            .map(|b| (b.label, b.help(lang))),
    );
    entries.extend(
        PICKER_KEYS
            .iter()
            .filter(|b| b.action == PickerAction::Mine)
            .map(|b| (b.label, b.help(lang))),
    );
    entries.extend(GLOBAL_KEYS.iter().map(|b| (b.label, b.help(lang))));
    // One column when it fits, else two side by side.
    let columns = if entries.len() as u16 + 2 <= area.height { 1 } else { 2 };
    let per_column = entries.len().div_ceil(columns);
    let w = if columns == 1 { 60 } else { area.width };
    let title = lang.pick("按键（任意键关闭）", "keys (any key closes)");
    let inner = popup(frame, area, w, per_column as u16 + 2, title);
    let column_width = (inner.width as usize + 1) / columns;
    let key_width = entries
        .iter()
        .map(|(k, _)| width(k))
        .max()
        .unwrap_or(8)
        .min(column_width / 3);
    let cell = |(keys, text): (&str, &str)| {
        let keys = truncate(keys, key_width);
        let pad = " ".repeat(key_width - width(&keys));
        let text = truncate(text, column_width.saturating_sub(key_width + 3));
        let text_pad = " ".repeat(column_width.saturating_sub(key_width + 2 + width(&text)));
        vec![
            Span::styled(format!("{keys}{pad}  "), Style::default().fg(Color::Yellow)),
            Span::raw(format!("{text}{text_pad}")),
        ]
    };
    let lines: Vec<Line> = (0..per_column)
        .map(|row| {
            let spans = (0..columns)
                .filter_map(|c| entries.get(c * per_column + row))
                .flat_map(|&e| cell(e))
                .collect::<Vec<_>>();
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The query line of a list, with the terminal cursor on it.
fn query_line(frame: &mut Frame, inner: Rect, prompt: &str, query: &TextField) -> Line<'static> {
    let room = (inner.width as usize).saturating_sub(width(prompt) + 1);
    let x = inner.x + (width(prompt) + width(&tail(query.before_cursor(), room))) as u16;
    if x < inner.right() {
        frame.set_cursor_position(Position::new(x, inner.y));
    }
    Line::from(vec![
        Span::styled(prompt.to_owned(), Style::default().fg(Color::Yellow)),
        Span::raw(tail(query.text(), room)),
    ])
}

/// Renders rows as a list scrolled to keep `selected` visible.
fn list(frame: &mut Frame, inner: Rect, head: Vec<Line<'static>>, rows: Vec<String>, selected_row: usize) {
    let rows = rows.into_iter().map(|r| (r, false)).collect();
    headed_list(frame, inner, head, rows, selected_row);
}

/// [`list`] with heading rows among the rows (`true`: a heading, drawn bold, never selected);
/// `selected_row` counts the headings too.
fn headed_list(
    frame: &mut Frame,
    inner: Rect,
    head: Vec<Line<'static>>,
    rows: Vec<(String, bool)>,
    selected_row: usize,
) {
    let room = (inner.height as usize).saturating_sub(head.len());
    let start = selected_row.saturating_sub(room.saturating_sub(1));
    let mut lines = head;
    for (i, (text, heading)) in rows.into_iter().enumerate().skip(start).take(room) {
        let style = if heading {
            Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD)
        } else if i == selected_row {
            selected()
        } else {
            Style::default()
        };
        lines.push(cut(&text, inner.width, style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The case list: the reviewer's assigned cases first under 我的案件, then the others under
/// 其他案件 (no headings in a round that assigns them nothing).
fn cases(model: &Model, p: &Picker, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let title = if model.mine_only {
        lang.pick("案件列表 · 只看我的案件", "cases · mine only")
    } else {
        lang.pick("案件列表", "cases")
    };
    let inner = popup(frame, area, 100, 30, title);
    let matches = case_matches(&model.session(), p.query.text());
    let done = model.progress.iter().filter(|&&x| x == Progress::Done).count();
    let headed = !model.mine.is_empty();
    let mut keys = vec![PickerAction::Open, PickerAction::Compare];
    if headed {
        keys.push(PickerAction::Mine);
    }
    keys.push(PickerAction::Close);
    let head = vec![
        query_line(frame, inner, lang.pick("查找：", "find: "), &p.query),
        cut(
            &format!(
                "{} {done}/{}  {}",
                lang.pick("已完成", "done"),
                model.cases.len(),
                keys.iter()
                    .map(|&a| keymap::hint(PICKER_KEYS, a, lang))
                    .collect::<Vec<_>>()
                    .join("  ")
            ),
            inner.width,
            dim(),
        ),
    ];
    let grade_w = model.rubric.grades.iter().map(|g| width(&g.name)).max().unwrap_or(2);
    let is_mine = |i: usize| model.mine.contains(&model.cases[i].id);
    let (mine, others) = (
        matches.iter().filter(|&&i| is_mine(i)).count(),
        matches.iter().filter(|&&i| !is_mine(i)).count(),
    );
    let chosen = p.selected.min(matches.len().saturating_sub(1));
    let mut rows: Vec<(String, bool)> = Vec::new();
    let mut selected_row = 0;
    for (k, &i) in matches.iter().enumerate() {
        if headed && (k == 0 || is_mine(matches[k - 1]) != is_mine(i)) {
            rows.push((
                match (is_mine(i), lang) {
                    (true, Lang::Zh) => format!("── 我的案件（{mine} 件）──"),
                    (true, Lang::En) => format!("── my cases ({mine}) ──"),
                    (false, Lang::Zh) => format!("── 其他案件（{others} 件）──"),
                    (false, Lang::En) => format!("── other cases ({others}) ──"),
                },
                true,
            ));
        }
        if k == chosen {
            selected_row = rows.len();
        }
        let c = &model.cases[i];
        let progress = match model.progress.get(i) {
            Some(Progress::Done) => lang.pick("✓ 已完成", "✓ done   "),
            Some(Progress::InProgress) => lang.pick("… 进行中", "… started"),
            _ => lang.pick("  未开始", "  new    "),
        };
        let here = if i == model.case_index { "▶" } else { " " };
        rows.push((
            format!(
                "{here}{progress} {}  {}  {}  {}",
                figures(model, i, grade_w),
                c.case_no,
                c.field("title"),
                c.field("unit")
            ),
            false,
        ));
    }
    headed_list(frame, inner, head, rows, selected_row);
}

/// The figures column of a case-list row: total, grade (`grade_w` cells) and findings, blank for
/// a case without a sheet; the case on screen from its loaded data, the others as last loaded.
fn figures(model: &Model, i: usize, grade_w: usize) -> String {
    let here = model
        .data
        .as_ref()
        .filter(|d| i == model.case_index && d.progress != Progress::NotStarted)
        .map(|d| (d.score.total, d.score.final_grade().to_owned(), d.findings.len()));
    let figures = here.or_else(|| {
        model
            .figures
            .get(i)?
            .as_ref()
            .map(|f| (f.total, f.grade.clone(), f.findings))
    });
    match figures {
        Some((total, grade, n)) => {
            let pad = " ".repeat(grade_w.saturating_sub(width(&grade)));
            format!("{total:>5} {grade}{pad} ●{n:<3}")
        }
        None => " ".repeat(5 + 1 + grade_w + 5),
    }
}

fn node_name(model: &Model, node: &str) -> String {
    if node.is_empty() {
        return model.opts.lang.pick("全案", "whole case").to_owned();
    }
    model
        .rubric
        .scorable(node)
        .map(|s| s.name().to_owned())
        .or_else(|| model.rubric.item(node).map(|(_, i)| i.name.to_string()))
        .or_else(|| {
            model
                .rubric
                .categories
                .iter()
                .find(|c| c.id == node)
                .map(|c| c.name.to_string())
        })
        .unwrap_or_else(|| node.to_owned())
}

fn pending(model: &Model, p: &Picker, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let inner = popup(frame, area, 100, 30, lang.pick("本轮待议事项", "marked for discussion"));
    let matches = pending_matches(&model.session(), p.query.text());
    let head = vec![query_line(frame, inner, lang.pick("查找：", "find: "), &p.query)];
    let rows = matches
        .iter()
        .map(|&i| {
            let m = &model.pending[i];
            format!(
                "{}  {}·{}  {}  {}",
                m.case_no,
                m.reviewer,
                m.stage,
                node_name(model, &m.node),
                m.note
            )
        })
        .collect::<Vec<_>>();
    let rows = if rows.is_empty() {
        vec![lang.pick("（无）", "(none)").to_owned()]
    } else {
        rows
    };
    list(
        frame,
        inner,
        head,
        rows,
        p.selected.min(matches.len().saturating_sub(1)),
    );
}

fn search(model: &Model, p: &Picker, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let inner = popup(frame, area, 100, 30, lang.pick("搜索问题描述", "search notes"));
    let mut head = vec![query_line(frame, inner, lang.pick("搜索：", "search: "), &p.query)];
    // An empty list says why it is empty.
    if model.hits.is_empty() {
        let why = if p.query.text().trim().is_empty() {
            lang.pick(
                "输入文字，搜索本轮所有评查人的问题描述",
                "type to search every reviewer's notes in the round",
            )
        } else {
            lang.pick("没有问题描述含有此文字", "no note contains this text")
        };
        head.push(cut(why, inner.width, dim()));
    }
    let rows = model
        .hits
        .iter()
        .map(|h| {
            let place = crate::tui::describe::place(h.volume, h.page, lang);
            format!(
                "{}  {}  {place}  {}  ← {}",
                h.case_no,
                h.reviewer,
                h.note,
                node_name(model, &h.node)
            )
        })
        .collect();
    list(
        frame,
        inner,
        head,
        rows,
        p.selected.min(model.hits.len().saturating_sub(1)),
    );
}

fn meta(model: &Model, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let Mode::Meta(form) = &model.mode else { return };
    let Some(case) = model.case() else { return };
    let h = model.rubric.fields.len() as u16 + 5;
    let inner = popup(
        frame,
        area,
        80,
        h,
        &match lang {
            Lang::Zh => format!(
                "案件信息（{}  {}）",
                keymap::hint(META_KEYS, MetaAction::Edit, lang),
                keymap::hint(META_KEYS, MetaAction::Close, lang)
            ),
            Lang::En => format!(
                "case metadata ({}, {})",
                keymap::hint(META_KEYS, MetaAction::Edit, lang),
                keymap::hint(META_KEYS, MetaAction::Close, lang)
            ),
        },
    );
    let label_width = model
        .rubric
        .fields
        .iter()
        .map(|f| width(&f.label))
        .max()
        .unwrap_or(4)
        .min(inner.width as usize / 3);
    let mut lines = Vec::new();
    for (i, f) in model.rubric.fields.iter().enumerate() {
        let label = truncate(&f.label, label_width);
        let pad = " ".repeat(label_width - width(&label));
        let room = (inner.width as usize).saturating_sub(label_width + 1);
        let editing = form.editing.as_ref().filter(|_| i == form.selected);
        let value = match editing {
            Some(edit) => {
                let x = inner.x + (label_width + 1 + width(&tail(edit.before_cursor(), room))) as u16;
                let y = inner.y + lines.len() as u16;
                if x < inner.right() && y < inner.bottom() {
                    frame.set_cursor_position(Position::new(x, y));
                }
                tail(edit.text(), room)
            }
            None => truncate(case.field(&f.key), room),
        };
        let style = match (i == form.selected, editing.is_some()) {
            (true, true) => Style::default().add_modifier(Modifier::UNDERLINED),
            (true, false) => selected(),
            _ => Style::default(),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{label}{pad} "), dim()),
            Span::styled(value, style),
        ]));
    }
    if let Some(e) = &form.error {
        lines.push(cut(e, inner.width, Style::default().fg(Color::Red)));
    }
    lines.push(cut(
        lang.pick("选项字段按 Tab 轮换", "Tab cycles the choices of a choice field"),
        inner.width,
        dim(),
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The optional reason of a 待议 or 不适用 mark, wrapped over as many rows as it needs.
fn mark_reason(model: &Model, form: &MarkReason, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let title = match form.kind {
        MarkKind::NotApplicable => lang.pick("标记不适用", "mark not applicable"),
        _ => lang.pick("标记待议", "mark for discussion"),
    };
    let inner = popup(frame, area, 70, 8, title);
    let w = inner.width;
    let mut lines = vec![cut(
        &node_name(model, &form.node),
        w,
        Style::default().add_modifier(Modifier::BOLD),
    )];
    let prompt = lang.pick("理由（可不填）：", "reason (optional): ");
    let indent = width(prompt).min(w as usize / 2);
    let (rows, (row, col)) = wrap_at(
        form.reason.text(),
        form.reason.before_cursor().len(),
        (w as usize).saturating_sub(indent + 1),
    );
    let cursor = Position::new(inner.x + (indent + col) as u16, inner.y + (lines.len() + row) as u16);
    for (i, part) in rows.into_iter().enumerate() {
        let head = if i == 0 {
            Span::styled(prompt, Style::default().fg(Color::Yellow))
        } else {
            Span::raw(" ".repeat(indent))
        };
        lines.push(Line::from(vec![head, Span::raw(part)]));
    }
    let keys = [MarkReasonAction::Save, MarkReasonAction::Cancel].map(|a| keymap::hint(MARK_REASON_KEYS, a, lang));
    lines.push(cut(&keys.join("  "), w, dim()));
    if form.discard {
        lines.push(cut(
            lang.pick(
                "再按 Esc 放弃理由、不标记；其他键继续输入",
                "Esc again drops the reason, unmarked; any other key goes on",
            ),
            w,
            Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        ));
    }
    if cursor.y < inner.bottom() && cursor.x < inner.right() {
        frame.set_cursor_position(cursor);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn grade(model: &Model, frame: &mut Frame, area: Rect) {
    let lang = model.opts.lang;
    let Mode::Grade(form) = &model.mode else { return };
    let inner = popup(frame, area, 70, 9, lang.pick("认定等次", "decide the grade"));
    let computed = model
        .data
        .as_ref()
        .map(|d| format!("{} {}", d.score.total, d.score.grade))
        .unwrap_or_default();
    let grades: Vec<Span> = model
        .rubric
        .grades
        .iter()
        .enumerate()
        .flat_map(|(i, g)| {
            let style = if i == form.grade { selected() } else { Style::default() };
            [Span::styled(format!(" {} ", g.name), style), Span::raw(" ")]
        })
        .collect();
    let prompt = lang.pick("理由：", "reason: ");
    let room = (inner.width as usize).saturating_sub(width(prompt) + 1);
    let x = inner.x + (width(prompt) + width(&tail(form.reason.before_cursor(), room))) as u16;
    if x < inner.right() && inner.height > 3 {
        frame.set_cursor_position(Position::new(x, inner.y + 3));
    }
    let mut lines = vec![
        cut(
            &format!("{} {computed}", lang.pick("计算结果", "computed")),
            inner.width,
            dim(),
        ),
        Line::from(grades),
        cut(
            &format!(
                "{}{}{}",
                keymap::hint(GRADE_KEYS, GradeAction::Next, lang),
                lang.pick("，理由必填，", "; reason required; "),
                keymap::hint(GRADE_KEYS, GradeAction::Save, lang)
            ),
            inner.width,
            dim(),
        ),
        Line::from(vec![
            Span::styled(prompt, Style::default().fg(Color::Yellow)),
            Span::raw(tail(form.reason.text(), room)),
        ]),
    ];
    if let Some(e) = &form.error {
        lines.push(cut(e, inner.width, Style::default().fg(Color::Red)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
