//! The reviewer's keys, one numbered point of issue 13 per group: typed text survives every key,
//! undo names and shows its target, one Enter path, input-method keys, visible state.

use super::model::{Mode, Model, Status, Step};
use super::tests::{entry, model, press};
use super::update::{Effect, Event, update};
use crossterm::event::{KeyCode, KeyEvent};

fn key(m: &mut Model, code: KeyCode) -> Vec<Effect> {
    update(m, Event::Key(KeyEvent::from(code)))
}

fn common(m: &Model, i: usize) -> String {
    let e = entry(m);
    m.rubric
        .scorable(&e.node)
        .unwrap()
        .problems()
        .nth(i)
        .unwrap()
        .text
        .to_string()
}

// 1. Typed text is never lost by a key.

#[test]
fn tab_puts_the_phrase_in_front_of_typed_text_and_cycling_keeps_the_details() {
    let mut m = model();
    press(&mut m, "jj\n1我先写的说明文字\t");
    let first = common(&m, 0);
    assert_eq!(entry(&m).note.text(), format!("{first}，我先写的说明文字"));
    press(&mut m, "\t");
    let second = common(&m, 1);
    assert_eq!(entry(&m).note.text(), format!("{second}，我先写的说明文字"));
    // Details typed after the phrase stay when the phrase changes again.
    press(&mut m, "（第3页）");
    key(&mut m, KeyCode::BackTab);
    assert_eq!(entry(&m).note.text(), format!("{first}，我先写的说明文字（第3页）"));
    assert_eq!(entry(&m).problem, Some(0));
}

#[test]
fn tab_from_the_count_puts_the_phrase_in_front_of_a_note_typed_earlier() {
    let mut m = model();
    press(&mut m, "jj\n2笔录");
    key(&mut m, KeyCode::Up);
    press(&mut m, "\t");
    assert_eq!(entry(&m).note.text(), format!("{}，笔录", common(&m, 0)));
}

#[test]
fn a_lone_escape_costs_no_text_and_a_second_one_discards() {
    let mut m = model();
    press(&mut m, "jjjj\n1询问笔录缺少询问人签名");
    // The Esc an input method sends to cancel a composition: nothing is lost, no draft dropped.
    assert!(press(&mut m, "\u{1b}").is_empty());
    assert!(entry(&m).discard, "the form asks");
    // Any other key goes on editing, and is typed.
    press(&mut m, "。");
    assert_eq!(entry(&m).note.text(), "询问笔录缺少询问人签名。");
    assert!(!entry(&m).discard);
    // Esc twice discards, and says so.
    press(&mut m, "\u{1b}");
    assert_eq!(press(&mut m, "\u{1b}"), vec![Effect::ClearDraft]);
    assert!(matches!(m.mode, Mode::Browse));
    assert_eq!(m.status, Status::Info("已放弃所输入的内容".into()));
}

#[test]
fn escape_on_an_empty_form_cancels_at_once_even_with_remembered_volume_and_page() {
    let mut m = model();
    m.last_volume = "2".into();
    m.last_page = "5".into();
    press(&mut m, "jj\n");
    assert_eq!(press(&mut m, "\u{1b}"), vec![Effect::ClearDraft]);
    assert!(matches!(m.mode, Mode::Browse));
    let _ = Step::Note;
}

// 2. Undo says what it undoes and shows it.

fn record(id: &str, node: &str, note: &str, volume: u32, page: u32) -> crate::store::FindingRecord {
    crate::store::FindingRecord {
        id: id.into(),
        sheet_id: "s".into(),
        node: node.into(),
        quantity: crate::score::Quantity::Count(1),
        note: note.into(),
        volume: Some(volume),
        page: Some(page),
        problem: None,
        repeat: crate::vocab::Repeat::No,
        hlc: 1,
    }
}

/// The store's answer to the write the last key asked for.
fn answer(m: &mut Model, effects: Vec<Effect>, finding: Option<crate::store::FindingRecord>) {
    let Some(Effect::Write { write, undoable }) = effects.into_iter().find(|e| matches!(e, Effect::Write { .. }))
    else {
        panic!("no write")
    };
    update(
        m,
        Event::Saved {
            write,
            finding,
            undoable,
        },
    );
}

fn loaded_with(m: &mut Model, findings: Vec<crate::store::FindingRecord>) {
    let mut data = m.data.clone().unwrap();
    data.findings = findings;
    update(m, Event::CaseLoaded(Box::new(data)));
}

#[test]
fn undo_off_screen_first_goes_there_and_names_the_change_then_reverses_it() {
    let mut m = model();
    // A finding on item A (sszj.sfcl), confirmed by the store.
    press(&mut m, "jj\n1");
    let effects = press(&mut m, "询问笔录缺少签名\n2\n5\n");
    answer(
        &mut m,
        effects,
        Some(record("f1", "sszj.sfcl", "询问笔录缺少签名", 2, 5)),
    );
    assert_eq!(m.status, Status::Saved("已记录 第2卷第5页 询问笔录缺少签名".into()));
    loaded_with(&mut m, vec![record("f1", "sszj.sfcl", "询问笔录缺少签名", 2, 5)]);
    // Elsewhere, u does not reverse anything: it goes to the finding and says what u would undo.
    press(&mut m, "jjjj");
    assert_ne!(m.selected_row().unwrap().id, "sszj.sfcl");
    assert!(press(&mut m, "u").iter().all(|e| !matches!(e, Effect::Write { .. })));
    assert_eq!(m.selected_row().unwrap().id, "sszj.sfcl");
    assert_eq!(
        m.status,
        Status::Info("再按 u 撤销：记录 第2卷第5页 询问笔录缺少签名".into())
    );
    // Now it does, and says so.
    let effects = press(&mut m, "u");
    assert!(effects.contains(&Effect::Write {
        write: super::model::Write::DeleteFinding {
            case_id: "case-1".into(),
            id: "f1".into()
        },
        undoable: false
    }));
    answer(
        &mut m,
        effects,
        Some(record("f1", "sszj.sfcl", "询问笔录缺少签名", 2, 5)),
    );
    assert_eq!(
        m.status,
        Status::Saved("已撤销：记录 第2卷第5页 询问笔录缺少签名".into())
    );
    assert_eq!(m.selected_row().unwrap().id, "sszj.sfcl");
}

#[test]
fn undoing_a_delete_restores_the_same_finding_so_the_chain_goes_on() {
    let mut m = model();
    press(&mut m, "jj\n1");
    let effects = press(&mut m, "缺签名\n1\n3\n");
    answer(&mut m, effects, Some(record("f1", "sszj.sfcl", "缺签名", 1, 3)));
    loaded_with(&mut m, vec![record("f1", "sszj.sfcl", "缺签名", 1, 3)]);
    let effects = press(&mut m, "x");
    answer(&mut m, effects, Some(record("f1", "sszj.sfcl", "缺签名", 1, 3)));
    assert_eq!(m.status, Status::Saved("已删除 第1卷第3页 缺签名".into()));
    loaded_with(&mut m, Vec::new());
    // u brings back f1 itself (not a copy under a new id) …
    let effects = press(&mut m, "u");
    assert!(effects.iter().any(|e| matches!(e,
        Effect::Write { write: super::model::Write::RestoreFinding { id, .. }, undoable: false } if id == "f1")));
    answer(&mut m, effects, Some(record("f1", "sszj.sfcl", "缺签名", 1, 3)));
    assert_eq!(m.status, Status::Saved("已撤销：删除 第1卷第3页 缺签名".into()));
    loaded_with(&mut m, vec![record("f1", "sszj.sfcl", "缺签名", 1, 3)]);
    // … so the next u still finds the finding the first write added.
    let effects = press(&mut m, "u");
    assert!(effects.iter().any(|e| matches!(e,
        Effect::Write { write: super::model::Write::DeleteFinding { id, .. }, undoable: false } if id == "f1")));
}

// 5. One fixed field order.

fn saved_place(effects: &[Effect]) -> (Option<u32>, Option<u32>, String) {
    match effects.iter().find(|e| matches!(e, Effect::Write { .. })) {
        Some(Effect::Write {
            write: super::model::Write::AddFinding { finding, .. },
            ..
        }) => (finding.volume, finding.page, finding.note.clone()),
        other => panic!("no finding written: {other:?}"),
    }
}

#[test]
fn the_enter_path_is_the_same_with_and_without_remembered_volume_and_page() {
    let keys = "jj\n1缺签名\n5\n3\n";
    let mut fresh = model();
    let without = saved_place(&press(&mut fresh, keys));
    let mut remembered = model();
    remembered.last_volume = "2".into();
    remembered.last_page = "7".into();
    let with = saved_place(&press(&mut remembered, keys));
    assert_eq!(without, (Some(5), Some(3), "缺签名".into()));
    assert_eq!(with, without, "typing replaces the remembered 卷/页");
    // Enter over remembered values keeps them.
    let mut kept = model();
    kept.last_volume = "2".into();
    kept.last_page = "7".into();
    assert_eq!(saved_place(&press(&mut kept, "jj\n1缺签名\n\n\n")).0, Some(2));
}

#[test]
fn moving_back_into_a_field_selects_it_so_typing_replaces() {
    let mut m = model();
    press(&mut m, "jj\n1说明\n2");
    assert_eq!(entry(&m).step, Step::Volume);
    press(&mut m, "\n");
    key(&mut m, KeyCode::Up);
    assert!(entry(&m).volume.selected());
    press(&mut m, "1");
    assert_eq!(entry(&m).volume.text(), "1", "卷：2 → ↑ 1 reads 1, not 21");
    // The note is never selected: a key cannot replace a typed note.
    key(&mut m, KeyCode::Up);
    press(&mut m, "。");
    assert_eq!(entry(&m).note.text(), "说明。");
}

#[test]
fn after_a_refusal_the_cursor_is_on_the_field_at_fault() {
    let mut m = model();
    // A 卷 beyond any number, found when 页 is confirmed: the 卷 is at fault, not the 页.
    press(&mut m, "jj\n1说明\n99999999999\n3");
    let effects = press(&mut m, "\n");
    assert!(effects.iter().all(|e| !matches!(e, Effect::Write { .. })));
    assert_eq!(entry(&m).step, Step::Volume);
    assert!(entry(&m).volume.selected(), "typing replaces the wrong 卷");
    assert!(entry(&m).error.as_deref().unwrap().contains("卷"));
    // A refusal from the store names its field too.
    press(&mut m, "9\n");
    assert!(press(&mut m, "\n").iter().any(|e| matches!(e, Effect::Write { .. })));
    update(
        &mut m,
        Event::Refused {
            message: "卷号超出卷册数".into(),
            field: Step::Volume,
        },
    );
    assert_eq!(entry(&m).step, Step::Volume);
    assert!(!entry(&m).saving);
}

// 6. Input-method keys.

#[test]
fn full_width_keys_are_commands_and_full_width_digits_are_digits() {
    let mut m = model();
    // 】 as an input method in Chinese mode sends it for ]: the next case.
    let effects = press(&mut m, "】");
    assert!(effects.contains(&Effect::LoadCase("case-2".into())), "{effects:?}");
    // ｊｊ moves down twice, ２ is a count of 2 and goes on to the note.
    let mut m = model();
    press(&mut m, "ｊｊ\n２");
    assert_eq!((entry(&m).quantity.text(), entry(&m).step), ("2", Step::Note));
    // In the note, full-width text stays as typed.
    press(&mut m, "缺１处。\n３");
    assert_eq!(entry(&m).note.text(), "缺１处。");
    assert_eq!(entry(&m).volume.text(), "3");
}

#[test]
fn a_digit_field_refuses_other_text_as_it_is_typed_and_says_why() {
    let mut m = model();
    press(&mut m, "jj\n");
    press(&mut m, "说");
    assert_eq!(entry(&m).quantity.text(), "");
    assert_eq!(entry(&m).step, Step::Quantity);
    let why = entry(&m).error.clone().unwrap();
    assert!(why.contains("处数只能填数字") && why.contains("「说」"), "{why}");
    // A paste into 卷 is refused whole when it is not a number, taken when it is (全角 too).
    press(&mut m, "1说明\n");
    update(&mut m, Event::Paste("第二卷".into()));
    assert_eq!(entry(&m).volume.text(), "");
    assert!(entry(&m).error.as_deref().unwrap().contains("卷号只能填数字"));
    update(&mut m, Event::Paste("１２".into()));
    assert_eq!(entry(&m).volume.text(), "12");
    assert_eq!(entry(&m).error, None);
}

// 4. State you can see.

/// The screen's rows, without spaces (a double-width character leaves one after it).
fn screen(m: &Model, w: u16, h: u16) -> Vec<String> {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| super::view::render(m, f)).unwrap();
    let buf = terminal.backend().buffer().clone();
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buf[(x, y)].symbol().to_owned())
                .collect::<String>()
                .replace(' ', "")
        })
        .collect()
}

fn done(m: &mut Model) {
    let mut data = m.data.clone().unwrap();
    data.progress = crate::store::Progress::Done;
    update(m, Event::CaseLoaded(Box::new(data)));
}

#[test]
fn a_done_case_says_so_and_f_asks_before_unmarking_it() {
    let mut m = model();
    done(&mut m);
    let shown = screen(&m, 120, 40);
    assert!(shown.last().unwrap().contains("已完成"), "{:?}", shown.last());
    assert!(shown.iter().any(|l| l.contains("案件1/3✓已完成")));
    // f asks; another key keeps the case done; f f un-marks it.
    assert!(press(&mut m, "f").iter().all(|e| !matches!(e, Effect::Write { .. })));
    assert!(matches!(&m.status, Status::Info(s) if s.contains("再按 f")));
    press(&mut m, "j");
    assert!(press(&mut m, "f").iter().all(|e| !matches!(e, Effect::Write { .. })));
    let effects = press(&mut m, "f");
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::Write {
            write: super::model::Write::SetMark {
                kind: crate::store::MarkKind::Done,
                on: false,
                ..
            },
            ..
        }
    )));
}

#[test]
fn a_message_names_what_happened_and_goes_at_the_next_key() {
    let mut m = model();
    press(&mut m, "!");
    let effects = press(&mut m, "\n");
    answer(&mut m, effects, None);
    assert_eq!(m.status, Status::Saved("已标记待议 全案".into()));
    press(&mut m, "j");
    assert_eq!(m.status, Status::Idle);
}

#[test]
fn at_80_columns_a_message_keeps_its_words_and_the_bar_gives_way() {
    let mut m = model();
    let mut data = m.data.clone().unwrap();
    data.score.decision = Some(crate::score::Decision {
        grade: "合格".into(),
        reason: "评查组集体讨论".into(),
        decider: "组长".into(),
    });
    update(&mut m, Event::CaseLoaded(Box::new(data)));
    done(&mut m);
    m.status = Status::Info("请在小项或细则上记录问题".into());
    let bar = screen(&m, 80, 24).pop().unwrap();
    assert!(bar.contains("请在小项或细则上记录问题"), "{bar}");
    assert!(bar.contains("已完成"), "{bar}");
}

// 3. Correcting a finding.

#[test]
fn r_opens_the_selected_finding_for_correction_and_saves_a_new_version_of_it() {
    let mut m = model();
    press(&mut m, "jj");
    loaded_with(&mut m, vec![record("f1", "sszj.sfcl", "询问笔录缺少签名", 2, 5)]);
    press(&mut m, "r");
    let e = entry(&m);
    assert_eq!(e.correcting.as_ref().map(|id| id.as_str()), Some("f1"));
    assert_eq!(
        (e.note.text(), e.volume.text(), e.page.text()),
        ("询问笔录缺少签名", "2", "5")
    );
    // No draft for a correction: it would come back as a new finding.
    let effects = press(&mut m, "和日期");
    assert!(effects.is_empty(), "{effects:?}");
    let effects = press(&mut m, "\n\n6\n");
    let Some(Effect::Write {
        write: super::model::Write::CorrectFinding { id, finding, .. },
        undoable: true,
    }) = effects.first()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(id, "f1");
    assert_eq!(
        (finding.note.as_str(), finding.volume, finding.page),
        ("询问笔录缺少签名和日期", Some(2), Some(6))
    );
    // The store answers with the version it replaced; undo writes that one back, same id.
    answer(
        &mut m,
        effects,
        Some(record("f1", "sszj.sfcl", "询问笔录缺少签名", 2, 5)),
    );
    assert_eq!(
        m.status,
        Status::Saved("已更正 第2卷第6页 询问笔录缺少签名和日期".into())
    );
    let effects = press(&mut m, "u");
    assert!(effects.iter().any(|e| matches!(e,
        Effect::Write { write: super::model::Write::CorrectFinding { id, finding, .. }, undoable: false }
            if id == "f1" && finding.note == "询问笔录缺少签名" && finding.page == Some(5))));
}

#[test]
fn the_note_field_wraps_with_the_cursor_where_the_text_cursor_is() {
    let mut m = model();
    press(&mut m, "jj\n1");
    let note = "询问笔录缺少询问人签名，且第三页有涂改未按手印确认，另缺少被询问人对笔录内容的确认意见";
    update(&mut m, Event::Paste(note.into()));
    // Back to the middle of the note: before 另缺少…, seventeen characters from the end.
    for _ in 0..17 {
        key(&mut m, KeyCode::Left);
    }
    press(&mut m, "新");
    assert!(entry(&m).note.text().contains("新另缺少"), "{}", entry(&m).note.text());
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| super::view::render(&m, f)).unwrap();
    let rows = screen(&m, 80, 24);
    let shown: String = rows.iter().map(|r| r.split('│').nth(3).unwrap_or("")).collect();
    assert!(
        shown.contains("询问笔录缺少询问人签名，且第三页有涂改未按手印确认，新另缺少被询问人对笔录内容的确认意见"),
        "every part of the note is on screen: {shown}"
    );
    // The terminal cursor stands right after 新, on a continuation row of the note.
    let at = terminal.get_cursor_position().unwrap();
    let buf = terminal.backend().buffer().clone();
    assert_eq!(buf[(at.x - 2, at.y)].symbol(), "新");
    assert_eq!(buf[(at.x, at.y)].symbol(), "另");
}

// 9. 卷/页 expected.

#[test]
fn saving_without_volume_and_page_asks_once_unless_the_item_is_not_page_tied() {
    let mut m = model();
    press(&mut m, "jj\n1缺签名");
    assert!(
        press(&mut m, "\n\n\n")
            .iter()
            .all(|e| !matches!(e, Effect::Write { .. }))
    );
    assert!(
        entry(&m)
            .error
            .as_deref()
            .unwrap()
            .starts_with("未填写卷页，确认保存？")
    );
    assert!(
        press(&mut m, "\n").iter().any(|e| matches!(e, Effect::Write { .. })),
        "asked once"
    );
    // An item the rubric marks `paged = false` saves at once.
    let mut m = model();
    m.rubric.categories[0].items[0].paged = false;
    press(&mut m, "jj\n1缺签名");
    assert!(
        press(&mut m, "\n\n\n")
            .iter()
            .any(|e| matches!(e, Effect::Write { .. }))
    );
}

// 10. Smaller items.

#[test]
fn an_empty_note_search_says_why_and_places_read_as_volume_and_page() {
    let mut m = model();
    press(&mut m, "s");
    assert!(
        screen(&m, 120, 40)
            .iter()
            .any(|l| l.contains("输入文字，搜索本轮所有评查人的问题描述"))
    );
    press(&mut m, "签名");
    update(&mut m, Event::Hits(Vec::new()));
    assert!(screen(&m, 120, 40).iter().any(|l| l.contains("没有问题描述含有此文字")));
    // Marking the case done says so in words of its own.
    let mut m = model();
    let effects = press(&mut m, "f");
    answer(&mut m, effects, None);
    assert_eq!(m.status, Status::Saved("已完成本案".into()));
}

// 8. Use the space.

#[test]
fn i_collapses_the_case_panel_to_one_line_that_still_names_the_volumes() {
    let mut m = model();
    press(&mut m, "i");
    assert!(m.meta_collapsed);
    let rows = screen(&m, 80, 24);
    let panel = rows[1].split('│').nth(3).unwrap_or_default().to_owned();
    assert!(panel.starts_with("卷册数4·被审查调查人张1"), "{panel}");
    // The findings panel starts on the fourth row, right under the one-line case panel.
    assert!(rows[3].contains("┌全案"), "{}", rows[3]);
    press(&mut m, "i");
    assert!(!m.meta_collapsed);
}

// The organiser's side: 我的案件 in the case list, the progress view.

fn ctrl(m: &mut Model, c: char) -> Vec<Effect> {
    update(
        m,
        Event::Key(KeyEvent::new(KeyCode::Char(c), crossterm::event::KeyModifiers::CONTROL)),
    )
}

#[test]
fn ctrl_o_in_the_case_list_shows_only_my_cases_and_again_all_of_them() {
    let mut m = model();
    // Without an assignment, ^O says so and changes nothing.
    press(&mut m, "c");
    assert!(ctrl(&mut m, 'o').is_empty());
    assert!(!m.mine_only);
    assert!(matches!(&m.status, Status::Info(s) if s.contains("没有分给您的案件")));
    press(&mut m, "\u{1b}");
    m.mine = [crate::vocab::CaseId::from("case-2")].into();
    press(&mut m, "c");
    ctrl(&mut m, 'o');
    assert!(m.mine_only);
    assert_eq!(super::forms::case_matches(&m.session(), ""), [1]);
    // Enter opens the only case listed.
    let effects = press(&mut m, "\n");
    assert_eq!(effects.first(), Some(&Effect::LoadCase("case-2".into())));
    assert_eq!(m.case_index, 1);
    // Reopened, the list selects the case on screen among those it shows; ^O lists all again.
    press(&mut m, "c");
    assert!(matches!(&m.mode, Mode::Cases(p) if p.selected == 0));
    ctrl(&mut m, 'o');
    assert!(!m.mine_only);
    assert_eq!(super::forms::case_matches(&m.session(), ""), [0, 1, 2]);
    // In the other lists ^O does nothing.
    press(&mut m, "\u{1b}p");
    assert!(ctrl(&mut m, 'o').is_empty());
    assert!(!m.mine_only && matches!(m.mode, Mode::Pending(_)));
}

#[test]
fn p_opens_the_progress_view_loads_it_moves_within_it_and_esc_returns() {
    use crate::organise::progress::Line;
    let mut m = model();
    assert_eq!(press(&mut m, "P"), [Effect::LoadTeamProgress]);
    assert!(matches!(m.mode, Mode::Progress(_)));
    let line = |name: &str| Line {
        name: name.into(),
        assigned: 2,
        ..Line::default()
    };
    update(&mut m, Event::TeamProgress(vec![line("张明"), line("李华")]));
    assert_eq!(m.team.as_ref().map(Vec::len), Some(2));
    press(&mut m, "jjj");
    assert!(
        matches!(&m.mode, Mode::Progress(v) if v.selected == 1),
        "stops at the last line"
    );
    press(&mut m, "k");
    assert!(matches!(&m.mode, Mode::Progress(v) if v.selected == 0));
    // Keys that mean something elsewhere do nothing here.
    assert!(press(&mut m, "f").is_empty());
    press(&mut m, "\u{1b}");
    assert!(matches!(m.mode, Mode::Browse));
    press(&mut m, "Pq");
    assert!(
        matches!(m.mode, Mode::Browse) && !m.quit,
        "q leaves the view, not the program"
    );
}
