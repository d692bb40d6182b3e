//! Rendering what a round file holds for people and other programs: the canonical JSON dump,
//! and the report models of [`crate::report`] as XLSX, DOCX and CSV.

pub mod assignment;
pub mod csv;
pub mod docx;
mod docx_chart;
mod error;
pub mod json;
pub mod template;
pub mod xlsx;

pub use error::ExportError;

/// A file name stem made from a case number: characters Windows or Unix refuse in file names
/// (`\ / : * ? " < > |` and control characters) become `_`, and trailing dots and spaces go.
pub fn file_stem(case_no: &str) -> String {
    let stem: String = case_no
        .trim()
        .chars()
        .map(|c| match c {
            '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let stem = stem.trim_end_matches(['.', ' ']);
    if stem.is_empty() {
        "_".to_owned()
    } else {
        stem.to_owned()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn case_numbers_become_safe_file_names() {
        assert_eq!(super::file_stem("（2026）京01民初123号"), "（2026）京01民初123号");
        assert_eq!(super::file_stem("A/B:C*?\"<>|"), "A_B_C______");
        assert_eq!(super::file_stem(" x.. "), "x");
        assert_eq!(super::file_stem(".."), "_");
    }
}
