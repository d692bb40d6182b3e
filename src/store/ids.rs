//! Stable record ids, so two laptops that import the same case list agree on every case.

use crate::vocab::{CaseId, EntryId, FindingId, SheetId};
use uuid::Uuid;

/// pingcha's UUID namespace for name-based (v5) ids.
const NAMESPACE: Uuid = Uuid::from_u128(0x7069_6e67_6368_6100_8000_0000_0000_0001);

/// A case number in canonical form: full-width ASCII folded to half-width, the bracket
/// variants 〔〕［］【】（） folded to (), white space removed.
///
/// "（2024）京0105刑初123号" and "(2024) 京0105刑初123号" name the same case.
pub fn normalise_case_no(case_no: &str) -> String {
    case_no
        .chars()
        .filter_map(|c| match c {
            c if c.is_whitespace() => None,
            '〔' | '［' | '【' | '（' | '[' => Some('('),
            '〕' | '］' | '】' | '）' | ']' => Some(')'),
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
            c => Some(c),
        })
        .collect()
}

/// The id of a case: derived from the round and the normalised case number.
pub fn case_id(round_id: &str, case_no: &str) -> CaseId {
    let name = format!("case\u{0}{round_id}\u{0}{}", normalise_case_no(case_no));
    Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string().into()
}

/// The id of a reviewer's sheet for a case at a stage.
pub fn sheet_id(case_id: &CaseId, reviewer: &str, stage: &str) -> SheetId {
    let name = format!("sheet\u{0}{case_id}\u{0}{}\u{0}{stage}", reviewer.trim());
    Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string().into()
}

/// The id of a reviewer in a round.
pub fn reviewer_id(round_id: &str, name: &str) -> String {
    Uuid::new_v5(
        &NAMESPACE,
        format!("reviewer\u{0}{round_id}\u{0}{}", name.trim()).as_bytes(),
    )
    .to_string()
}

/// The id of the rectification-ledger entry of a finding: derived from the finding's id, so
/// every laptop that syncs the ledger gives the entry the same id.
pub fn ledger_entry_id(finding_id: &FindingId) -> EntryId {
    Uuid::new_v5(&NAMESPACE, format!("ledger\u{0}{finding_id}").as_bytes())
        .to_string()
        .into()
}

/// A fresh random id (findings, rounds, replicas).
pub fn random_id() -> String {
    Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_in_either_width_agree() {
        assert_eq!(normalise_case_no("（2024）京0105刑初１２３号"), "(2024)京0105刑初123号");
        assert_eq!(case_id("r", "〔2024〕 纪审 12 号"), case_id("r", "(2024)纪审12号"),);
        assert_ne!(case_id("r1", "A1"), case_id("r2", "A1"));
    }
}
