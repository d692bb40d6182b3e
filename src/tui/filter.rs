//! Matching what the reviewer types against Chinese names: plain text, ids, and pinyin
//! initials ("sszj" finds 事实证据).

use pinyin::ToPinyin;

/// The pinyin initials of `s`, lower case: hanzi give their first letter, ASCII letters and
/// digits stay, everything else is dropped.
pub fn initials(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c.to_pinyin() {
            Some(p) => p.first_letter().chars().next(),
            None if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            None => None,
        })
        .collect()
}

/// Whether `query` (already trimmed and lower-cased) matches a name, its initials or an id.
pub fn matches(query: &str, name: &str, initials: &str, id: &str) -> bool {
    query.is_empty() || name.to_lowercase().contains(query) || initials.contains(query) || id.contains(query)
}

/// A fuzzy match: every character of `query` appears in order in `name` or in `initials`.
pub fn fuzzy(query: &str, name: &str, initials: &str) -> bool {
    let subsequence = |hay: &str| {
        let mut hay = hay.chars();
        query.chars().all(|q| hay.any(|h| h == q))
    };
    query.is_empty() || subsequence(&name.to_lowercase()) || subsequence(initials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_find_chinese_names() {
        assert_eq!(initials("事实证据"), "sszj");
        assert!(matches("sszj", "事实证据", &initials("事实证据"), "sszj"));
        assert!(matches("证据", "事实证据", "sszj", "x"));
        assert!(!matches("cxsx", "事实证据", "sszj", "x"));
    }

    #[test]
    fn fuzzy_takes_characters_in_order() {
        assert!(fuzzy("003", "〔2026〕纪审字第003号 张伟", ""));
        assert!(fuzzy("zw", "张伟", &initials("张伟")));
        assert!(!fuzzy("wz", "张伟", &initials("张伟")));
    }
}
