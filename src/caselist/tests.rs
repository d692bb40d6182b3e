use super::*;
use crate::lang::Localized;
use crate::rubric::load;

const RUBRIC: &str = r#"
[rubric]
id = "t"
name = "t"
version = "1"
total = 10
[[grade]]
name = "合格"
min = 0
[[field]]
key = "case_no"
label = "案号"
kind = "text"
required = true
[[field]]
key = "closed_on"
label = "审结日期"
kind = "date"
[[field]]
key = "volumes"
label = "卷册数"
kind = "number"
[[field]]
key = "case_type"
label = "案件类型"
kind = "choice"
choices = ["违纪", "职务违法"]
required = true
[[category]]
id = "a"
name = "a"
points = 10
[[category.item]]
id = "a1"
name = "a1"
points = 10
rule = { kind = "pass_fail" }
"#;

fn t(s: &str) -> Cell {
    Cell::Text(s.into())
}

fn table(rows: &[&[&str]]) -> Vec<Vec<Cell>> {
    rows.iter().map(|r| r.iter().map(|s| t(s)).collect()).collect()
}

#[test]
fn maps_columns_by_label_and_normalises_values() {
    let r = load(RUBRIC, "t").unwrap();
    let list = parse(
        &table(&[
            &["序号", "案号*", "审结日期", "卷册数", "案件类型"],
            &["1", "（2024）纪审1号", "2024年3月5日", "3册", "违纪"],
            &["2", "(2024)纪审2号", "2024/3/6", "", "职务违法"],
        ]),
        &r,
    )
    .unwrap();
    assert_eq!(list.ignored_columns, vec!["序号".to_string()]);
    assert_eq!(list.rows.len(), 2);
    assert_eq!(list.rows[0].fields["closed_on"], "2024-03-05");
    assert_eq!(list.rows[0].fields["volumes"], "3");
    assert!(!list.rows[1].fields.contains_key("volumes"));
}

#[test]
fn reports_every_bad_row_by_number() {
    let r = load(RUBRIC, "t").unwrap();
    let errors = parse(
        &table(&[
            &["案号", "审结日期", "卷册数", "案件类型"],
            &["A1", "2024-02-30", "3", "违纪"],
            &["", "2024-01-01", "x", "违纪"],
            &["A3", "2024-01-01", "1", "受贿"],
            &["A1", "", "", "违纪"],
        ]),
        &r,
    )
    .unwrap_err();
    let got: Vec<(usize, &str)> = errors
        .iter()
        .map(|e| (e.row, e.column.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, "审结日期"),
            (3, "卷册数"),
            (3, "案号"),
            (4, "案件类型"),
            (5, "案号")
        ]
    );
    let msg = errors[4].localized(crate::lang::Lang::Zh);
    assert_eq!(msg, "第 5 行：案号「A1」与第 2 行重复");
}

#[test]
fn a_missing_required_column_is_reported_once() {
    let r = load(RUBRIC, "t").unwrap();
    let errors = parse(&table(&[&["案号"], &["A1"]]), &r).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind, CaseListErrorKind::MissingColumn);
    assert_eq!(errors[0].column.as_deref(), Some("案件类型"));
}

#[test]
fn spreadsheet_dates_and_numbers_convert() {
    assert_eq!(Cell::Date(days_from(2024, 3, 5)).date().as_deref(), Some("2024-03-05"));
    assert_eq!(Cell::Number(20240305.0).date().as_deref(), Some("2024-03-05"));
    assert_eq!(Cell::Number(3.0).number().as_deref(), Some("3"));
    assert_eq!(Cell::Number(3.5).number(), None);
}

fn days_from(y: i64, m: u32, d: u32) -> i64 {
    crate::vocab::days_from_civil(y, m, d)
}

#[test]
fn gbk_csv_as_excel_saves_it_on_chinese_windows_reads_like_utf8() {
    let text = "案号,审结日期,卷册数,案件类型\n（2024）纪审1号,2024年3月5日,3,违纪\n";
    let (gbk, _, lossy) = encoding_rs::GBK.encode(text);
    assert!(!lossy && std::str::from_utf8(&gbk).is_err());
    assert_eq!(parse_csv(&gbk).unwrap(), parse_csv(text.as_bytes()).unwrap());
    let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    assert_eq!(parse_csv(&bom).unwrap(), parse_csv(text.as_bytes()).unwrap());
    assert_eq!(parse_csv(b"\x80\xff\xfe"), Err(CaseListErrorKind::UnknownEncoding));
}

const ORDERED: &str = "[[field]]\nkey = \"filed_on\"\nlabel = \"立案日期\"\nkind = \"date\"\n[[field]]\nkey = \"closed_on\"\nlabel = \"审结日期\"\nkind = \"date\"\nnot_before = \"filed_on\"\n";

fn ordered() -> Rubric {
    let src = RUBRIC.replacen(
        "[[field]]\nkey = \"closed_on\"\nlabel = \"审结日期\"\nkind = \"date\"\n",
        ORDERED,
        1,
    );
    load(&src, "t").unwrap()
}

#[test]
fn a_case_list_with_a_date_before_the_one_it_may_not_precede_is_refused() {
    let r = ordered();
    let errors = parse(
        &table(&[
            &["案号", "立案日期", "审结日期", "案件类型"],
            &["A1", "2024-03-05", "2024-03-04", "违纪"],
            &["A2", "2024-03-05", "2024-03-05", "违纪"],
            &["A3", "", "2024-01-01", "违纪"],
        ]),
        &r,
    )
    .unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].row, errors[0].column.as_deref()), (2, Some("审结日期")));
    assert_eq!(
        errors[0].localized(crate::lang::Lang::Zh),
        "第 2 行：「审结日期」（2024-03-04）早于「立案日期」（2024-03-05），应不早于后者"
    );
}

#[test]
fn a_field_update_is_checked_by_kind_label_and_order() {
    let r = ordered();
    let fields: BTreeMap<String, String> = [("filed_on", "2024-03-05"), ("closed_on", "2024-04-01")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let ok = |name: &str, text: &str| field_update(&r, &fields, name, text).map(|(f, v)| (f.key.clone(), v));
    assert_eq!(ok("卷册数", "3册").unwrap(), ("volumes".to_owned(), "3".to_owned()));
    assert_eq!(ok("volumes", " 4 ").unwrap(), ("volumes".to_owned(), "4".to_owned()));
    assert_eq!(ok("审结日期", "2024年3月5日").unwrap().1, "2024-03-05");
    let kind = |name: &str, text: &str| field_update(&r, &fields, name, text).unwrap_err().kind;
    assert_eq!(kind("volumes", "abc"), CaseListErrorKind::BadNumber("abc".into()));
    assert_eq!(
        kind("立案日期", "2024-02-30"),
        CaseListErrorKind::BadDate("2024-02-30".into())
    );
    assert!(matches!(kind("案件类型", "受贿"), CaseListErrorKind::NotAChoice { .. }));
    assert_eq!(kind("案件类型", ""), CaseListErrorKind::Required);
    assert_eq!(kind("nosuch", "x"), CaseListErrorKind::UnknownField("nosuch".into()));
    assert!(matches!(
        kind("closed_on", "2024-03-04"),
        CaseListErrorKind::OutOfOrder(_)
    ));
    // Moving the earlier date past the later one is refused the same way.
    let e = field_update(&r, &fields, "filed_on", "2024-05-01").unwrap_err();
    assert_eq!(e.column.as_deref(), Some("立案日期"));
    assert!(matches!(e.kind, CaseListErrorKind::OutOfOrder(ref o) if o.later.0 == "审结日期"));
}
