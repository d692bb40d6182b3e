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
    m.rubric.scorable(&e.node).unwrap().problems().nth(i).unwrap().text.clone()
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
