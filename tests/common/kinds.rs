//! A small rubric with every kind of finding, for the tests of the round's result.

/// A small rubric with every kind of finding: per-occurrence and pass/fail problems, a range,
/// a veto, a grade cap and a bonus.
pub const RUBRIC: &str = r#"
[rubric]
id = "t"
name = "测试标准"
version = "1"
total = 100
bonus_cap = 5
na_policy = "full_marks"

[[grade]]
name = "优秀"
min = 90
[[grade]]
name = "合格"
min = 60
[[grade]]
name = "不合格"
min = 0

[[field]]
key = "case_no"
label = "案号"
kind = "text"
required = true
[[field]]
key = "unit"
label = "承办单位"
kind = "text"
[[field]]
key = "handler"
label = "承办人"
kind = "text"
[[field]]
key = "volumes"
label = "卷册数"
kind = "number"

[[category]]
id = "cx"
name = "程序"
points = 60
[[category.item]]
id = "cx.sd"
name = "送达合法"
points = 30
rule = { kind = "per_occurrence", amount = 2 }
problems = [
  { code = "SD-01", text = "送达回证缺签名" },
  { code = "SD-02", text = "公告送达无依据" },
]
[[category.item]]
id = "cx.gz"
name = "权利告知"
points = 30
rule = { kind = "pass_fail" }
problems = [
  { code = "GZ-01", text = "未告知诉讼权利" },
]

[[category]]
id = "st"
name = "实体"
points = 40
[[category.item]]
id = "st.zj"
name = "证据确实充分"
points = 40
rule = { kind = "range", min = 1, max = 10, step = 1 }
problems = [
  { code = "ZJ-01", text = "关键证据未查证" },
]

[[category]]
id = "fj"
name = "否决项"
points = 0
[[category.item]]
id = "fj.hb"
name = "违反回避规定"
points = 0
rule = { kind = "veto" }

[[category]]
id = "xd"
name = "限等项"
points = 0
[[category.item]]
id = "xd.wzg"
name = "前次问题未整改"
points = 0
rule = { kind = "grade_cap", grade = "合格" }

[[category]]
id = "jf"
name = "加分项"
points = 0
[[category.item]]
id = "jf.jp"
name = "案件被评为精品案件"
points = 0
rule = { kind = "bonus", amount = 3 }
"#;
