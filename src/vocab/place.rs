//! Where in the case file a finding was seen (卷 and 页), worded one way for every reader.

use crate::lang::Lang;

/// "第2卷第5页" / "vol. 2 p. 5"; just the volume or the page when only one is known; empty
/// when neither is.
pub fn place(volume: Option<u32>, page: Option<u32>, lang: Lang) -> String {
    let volume = volume.map(|v| match lang {
        Lang::Zh => format!("第{v}卷"),
        Lang::En => format!("vol. {v}"),
    });
    let page = page.map(|p| match lang {
        Lang::Zh => format!("第{p}页"),
        Lang::En => format!("p. {p}"),
    });
    let sep = if lang == Lang::Zh { "" } else { " " };
    [volume, page].into_iter().flatten().collect::<Vec<_>>().join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_word_every_combination() {
        assert_eq!(place(Some(2), Some(15), Lang::Zh), "第2卷第15页");
        assert_eq!(place(Some(2), None, Lang::Zh), "第2卷");
        assert_eq!(place(None, Some(3), Lang::En), "p. 3");
        assert_eq!(place(Some(1), Some(3), Lang::En), "vol. 1 p. 3");
        assert_eq!(place(None, None, Lang::Zh), "");
    }
}
