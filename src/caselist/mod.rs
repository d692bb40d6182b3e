//! Reading a case list (案件清单) from CSV or XLSX against a rubric's metadata fields.
//!
//! The first row holds column names, matched to the rubric's fields by their Chinese label
//! (or key). Every bad row is reported by its row number as the spreadsheet shows it (the
//! header is row 1); if any row is bad, nothing is imported.

mod cell;
mod error;
mod roster;

pub use cell::{Cell, parse_csv};
pub use error::{CaseListError, CaseListErrorKind, CaseListErrors, DateOrder};
pub use roster::read_roster;

use crate::rubric::{CASE_NO, Field, FieldKind, Rubric};
use crate::store::CaseRow;
use crate::store::ids::normalise_case_no;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A parsed case list: the rows, and the columns that matched no field (not imported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseList {
    /// One row per case, in file order.
    pub rows: Vec<CaseRow>,
    /// Column headers that are not fields of the rubric.
    pub ignored_columns: Vec<String>,
}

/// Reads a `.csv` or `.xlsx` (`.xls`, `.ods`) case list.
pub fn read(path: &Path, rubric: &Rubric) -> Result<CaseList, CaseListErrors> {
    let file = path.display().to_string();
    let fail = |kind| CaseListErrors {
        file: file.clone(),
        errors: vec![CaseListError {
            row: 0,
            column: None,
            kind,
        }],
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let table = match ext.as_str() {
        "csv" | "txt" => cell::read_csv(path),
        "xlsx" | "xlsm" | "xls" | "ods" => {
            // The case list may sit below an instructions sheet: the first sheet with the
            // required columns is taken; with several sheets and none, each is named.
            let (table, found, sheets) =
                cell::read_chosen_sheet(path, &|t| has_required_header(t, rubric)).map_err(fail)?;
            if !found && sheets.len() > 1 {
                return Err(fail(CaseListErrorKind::NoCaseSheet {
                    sheets,
                    columns: rubric
                        .fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| f.label.clone())
                        .collect(),
                }));
            }
            Ok(table)
        }
        _ => Err(CaseListErrorKind::UnsupportedFormat(ext)),
    }
    .map_err(fail)?;
    parse(&table, rubric).map_err(|errors| CaseListErrors { file, errors })
}

/// Whether the header row [`header_row`] finds names every required field (by label or key).
fn has_required_header(table: &[Vec<Cell>], rubric: &Rubric) -> bool {
    let Some(header) = table.get(header_row(table, rubric)) else {
        return false;
    };
    let names: Vec<String> = header.iter().map(|c| clean_header(&c.text())).collect();
    rubric
        .fields
        .iter()
        .filter(|f| f.required)
        .all(|f| names.iter().any(|n| *n == clean_header(&f.label) || *n == f.key))
}

/// The index of the header row: the first of the top ten rows with a cell naming the
/// case-number field (by label or key), else 0.
fn header_row(table: &[Vec<Cell>], rubric: &Rubric) -> usize {
    let Some(case_no) = rubric.fields.iter().find(|f| f.key == CASE_NO) else {
        return 0;
    };
    let label = clean_header(&case_no.label);
    table
        .iter()
        .take(10)
        .position(|row| {
            row.iter().any(|c| {
                let name = clean_header(&c.text());
                name == label || name == CASE_NO
            })
        })
        .unwrap_or(0)
}

/// Whether a field's value is checked against something: the volume count (卷/页 of
/// findings) or a date another date may not precede, or that must not precede another.
fn drives_check(rubric: &Rubric, field: &Field) -> bool {
    field.key == crate::rubric::VOLUMES
        || field.not_before.is_some()
        || rubric
            .fields
            .iter()
            .any(|f| f.not_before.as_deref() == Some(field.key.as_str()))
}

/// Whether a header is probably the label misspelled: one contains the other (卷册数（册）),
/// or they differ in one character.
fn close(header: &str, label: &str) -> bool {
    let label = clean_header(label);
    if label.is_empty() {
        return false;
    }
    if header.contains(&label) || label.contains(header) {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (header.chars().collect(), label.chars().collect());
    let same = a.len() == b.len() && a.iter().zip(&b).filter(|(x, y)| x != y).count() == 1;
    let dropped = |long: &[char], short: &[char]| {
        long.len() == short.len() + 1 && (0..long.len()).any(|k| long[..k] == short[..k] && long[k + 1..] == short[k..])
    };
    same || dropped(&a, &b) || dropped(&b, &a)
}

fn clean_header(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '＊' | ':' | '：'))
        .collect()
}

/// Validates a table (header row first) against the rubric's fields.
pub fn parse(table: &[Vec<Cell>], rubric: &Rubric) -> Result<CaseList, Vec<CaseListError>> {
    let err = |row, column: Option<&str>, kind| CaseListError {
        row,
        column: column.map(str::to_owned),
        kind,
    };
    // A title row (or a few) above the header is common in hand-made lists: the header is the
    // first of the top rows naming the case-number field, else the first row.
    let at = header_row(table, rubric);
    let Some(header) = table.get(at) else {
        return Err(vec![err(1, None, CaseListErrorKind::Empty)]);
    };
    let mut columns: Vec<Option<usize>> = Vec::new();
    let mut ignored_columns = Vec::new();
    let mut duplicates = Vec::new();
    for cell in header {
        let name = clean_header(&cell.text());
        let field = rubric
            .fields
            .iter()
            .position(|f| clean_header(&f.label) == name || f.key == name);
        if field.is_none() && !name.is_empty() {
            ignored_columns.push(name);
        } else if field.is_some() && columns.contains(&field) {
            // Two columns for one field: whichever won would silently drop the other.
            duplicates.push(err(
                at + 1,
                Some(&name),
                CaseListErrorKind::DuplicateColumn(name.clone()),
            ));
        }
        columns.push(field);
    }
    if !duplicates.is_empty() {
        return Err(duplicates);
    }
    let misspelled: Vec<CaseListError> = ignored_columns
        .iter()
        .filter_map(|name| {
            let (_, f) = rubric
                .fields
                .iter()
                .enumerate()
                .find(|(i, f)| !columns.contains(&Some(*i)) && drives_check(rubric, f) && close(name, &f.label))?;
            Some(err(
                1,
                Some(name),
                CaseListErrorKind::Misspelled {
                    header: name.clone(),
                    label: f.label.clone(),
                },
            ))
        })
        .collect();
    if !misspelled.is_empty() {
        return Err(misspelled);
    }
    let mut errors = Vec::new();
    for (i, f) in rubric.fields.iter().enumerate() {
        if f.required && !columns.contains(&Some(i)) {
            errors.push(err(at + 1, Some(&f.label), CaseListErrorKind::MissingColumn));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut rows = Vec::new();
    let mut first_row_of: HashMap<String, usize> = HashMap::new();
    for (i, cells) in table.iter().enumerate().skip(at + 1) {
        let row_no = i + 1;
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        let mut fields = std::collections::BTreeMap::new();
        for (c, cell) in cells.iter().enumerate() {
            let Some(Some(fi)) = columns.get(c) else {
                continue;
            };
            let field = &rubric.fields[*fi];
            if cell.is_blank() {
                continue;
            }
            let value = cell_value(field, cell);
            match value {
                Ok(v) if v.chars().count() > crate::text::MAX_CHARS => errors.push(err(
                    row_no,
                    Some(&field.label),
                    CaseListErrorKind::TooLong(v.chars().count()),
                )),
                Ok(v) => {
                    fields.insert(field.key.clone(), v);
                }
                Err(kind) => errors.push(err(row_no, Some(&field.label), kind)),
            }
        }
        for f in rubric.fields.iter().filter(|f| f.required) {
            if !fields.contains_key(&f.key)
                && !errors
                    .iter()
                    .any(|e| e.row == row_no && e.column.as_deref() == Some(&f.label))
            {
                errors.push(err(row_no, Some(&f.label), CaseListErrorKind::Required));
            }
        }
        errors.extend(
            out_of_order(rubric, &fields)
                .into_iter()
                .map(|(field, kind)| err(row_no, Some(&field.label), kind)),
        );
        let Some(case_no) = fields.get(CASE_NO).cloned() else {
            continue;
        };
        match first_row_of.get(&normalise_case_no(&case_no)) {
            Some(&first) => errors.push(err(
                row_no,
                rubric.field(CASE_NO).map(|f| f.label.as_str()),
                CaseListErrorKind::DuplicateCase {
                    case_no: case_no.clone(),
                    first_row: first,
                },
            )),
            None => {
                first_row_of.insert(normalise_case_no(&case_no), row_no);
            }
        }
        rows.push(CaseRow { case_no, fields });
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(err(2, None, CaseListErrorKind::Empty));
    }
    if errors.is_empty() {
        Ok(CaseList { rows, ignored_columns })
    } else {
        Err(errors)
    }
}

/// A field's value from one non-blank cell, normalised (dates as `YYYY-MM-DD`, whole numbers),
/// or what is wrong with it.
fn cell_value(field: &Field, cell: &Cell) -> Result<String, CaseListErrorKind> {
    match &field.kind {
        FieldKind::Text => Ok(cell.text().trim().to_owned()),
        FieldKind::Date => cell.date().ok_or(CaseListErrorKind::BadDate(cell.text())),
        FieldKind::Number => cell.number().ok_or(CaseListErrorKind::BadNumber(cell.text())),
        FieldKind::Choice(choices) => {
            let v = cell.text().trim().to_owned();
            if choices.contains(&v) {
                Ok(v)
            } else {
                Err(CaseListErrorKind::NotAChoice {
                    value: v,
                    choices: choices.join("、"),
                })
            }
        }
    }
}

/// Checks one metadata value typed by a person (the metadata form) the way a case list's cell is
/// checked, and returns it normalised. Empty is refused only for a required field.
pub fn field_value(field: &Field, text: &str) -> Result<String, CaseListError> {
    let cell = Cell::Text(text.trim().to_owned());
    let result = if cell.is_blank() {
        if field.required {
            Err(CaseListErrorKind::Required)
        } else {
            Ok(String::new())
        }
    } else {
        cell_value(field, &cell)
    };
    result.map_err(|kind| CaseListError {
        row: 0,
        column: Some(field.label.clone()),
        kind,
    })
}

/// The field a person names by its key or by its label as a case list or the screen shows it
/// (`承办人` as well as `handler`).
pub fn field_named<'r>(rubric: &'r Rubric, name: &str) -> Option<&'r Field> {
    let name = clean_header(name);
    rubric
        .fields
        .iter()
        .find(|f| f.key == name || clean_header(&f.label) == name)
}

/// Checks one field of a stored case set to `text` exactly as a case list's cell is checked,
/// and against the orders the rubric declares among the case's other fields; returns the
/// field and the normalised value. `name` is the field's key or label.
pub fn field_update<'r>(
    rubric: &'r Rubric,
    fields: &BTreeMap<String, String>,
    name: &str,
    text: &str,
) -> Result<(&'r Field, String), CaseListError> {
    let field = field_named(rubric, name).ok_or_else(|| CaseListError {
        row: 0,
        column: None,
        kind: CaseListErrorKind::UnknownField(name.trim().to_owned()),
    })?;
    let value = field_value(field, text)?;
    let mut after = fields.clone();
    after.insert(field.key.clone(), value.clone());
    match out_of_order(rubric, &after).into_iter().next() {
        Some((_, kind)) => Err(CaseListError {
            row: 0,
            column: Some(field.label.clone()),
            kind,
        }),
        None => Ok((field, value)),
    }
}

/// Every date of `fields` earlier than the date its field may not precede
/// ([`Field::not_before`]), with the later field.
fn out_of_order<'r>(rubric: &'r Rubric, fields: &BTreeMap<String, String>) -> Vec<(&'r Field, CaseListErrorKind)> {
    let date = |key: &str| fields.get(key).and_then(|v| Cell::Text(v.trim().to_owned()).date());
    rubric
        .fields
        .iter()
        .filter_map(|later| {
            let earlier = rubric.field(later.not_before.as_deref()?)?;
            let (l, e) = (date(&later.key)?, date(&earlier.key)?);
            (l < e).then(|| {
                (
                    later,
                    CaseListErrorKind::OutOfOrder(Box::new(DateOrder {
                        later: (later.label.clone(), l),
                        earlier: (earlier.label.clone(), e),
                    })),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
