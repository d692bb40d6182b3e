"""Writes the round report workbook's sheets with openpyxl, for comparison with rust_xlsxwriter.

Usage: python3 benches/openpyxl_report.py target/report-bench-tables.json
(the JSON is written by `cargo bench --bench report`, which also runs this script).
Same sheets, formats, frozen headers, column widths, A4 print setup and charts as
src/export/xlsx.rs; prints the median of 5 runs. Not used by CI.
"""

import io
import json
import statistics
import sys
import time

from openpyxl import Workbook
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

FONT = "宋体"
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


def table(ws, titles, rows, points_cols=()):
    widths = [len(t) * 2 for t in titles]
    for col, title in enumerate(titles, 1):
        c = ws.cell(row=1, column=col, value=title)
        c.font = Font(name=FONT, bold=True)
        c.fill = HEADER_FILL
        c.border = BORDER
        c.alignment = Alignment(horizontal="center")
    for r, row in enumerate(rows, 2):
        for col, value in enumerate(row, 1):
            c = ws.cell(row=r, column=col, value=value)
            c.font = Font(name=FONT)
            c.border = BORDER
            if col - 1 in points_cols:
                c.number_format = "0.0#"
            widths[col - 1] = max(widths[col - 1], len(str(value)) * 2)
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = min(max(width + 2, 6), 60)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def write(t):
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    table(ws, ["指标", "数值"], t["summary"], points_cols=(1,))
    start = len(t["summary"]) + 3
    for i, (grade, n) in enumerate(zip(t["grades"], t["grade_counts"])):
        ws.cell(row=start + i, column=1, value=grade)
        ws.cell(row=start + i, column=2, value=n)
        ws.cell(row=start + i, column=3, value=n / max(sum(t["grade_counts"]), 1)).number_format = "0.0%"
    pie = PieChart()
    pie.title = "等次分布"
    end = start + len(t["grades"]) - 1
    pie.add_data(Reference(ws, min_col=2, min_row=start, max_row=end))
    pie.set_categories(Reference(ws, min_col=1, min_row=start, max_row=end))
    ws.add_chart(pie, "E2")
    for name, key in (("承办部门", "units"), ("承办人", "handlers")):
        ws = wb.create_sheet(name)
        rows = [[rank, g[0], g[1], g[2], *g[3], g[4], g[4] / max(g[1], 1)] for rank, g in enumerate(t[key], 1)]
        table(ws, ["排名", name, "案件数", "平均分", *t["grades"], "问题数", "案均问题数"], rows, points_cols=(3,))
        bar = BarChart()
        bar.type = "bar"
        bar.title = name + "平均分排名"
        bar.add_data(Reference(ws, min_col=4, min_row=2, max_row=len(rows) + 1))
        bar.set_categories(Reference(ws, min_col=2, min_row=2, max_row=len(rows) + 1))
        ws.add_chart(bar, f"B{len(rows) + 3}")
    ws = wb.create_sheet("共性问题")
    rows = [[rank, *p] for rank, p in enumerate(t["common"], 1)]
    table(ws, ["排名", "问题编码", "问题表述", "类别", "项目", "涉及案件数", "出现次数"], rows)
    ws = wb.create_sheet("类别")
    rows = [[c[0], c[1], c[2], c[2] / max(len(t["cases"]), 1), c[3], c[4]] for c in t["categories"]]
    table(ws, ["类别", "分值", "扣分合计", "案均扣分", "问题数", "涉及案件数"], rows, points_cols=(1, 2, 3))
    bar = BarChart()
    bar.title = "各类别问题数"
    bar.add_data(Reference(ws, min_col=5, min_row=2, max_row=len(rows) + 1))
    bar.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(rows) + 1))
    ws.add_chart(bar, f"A{len(rows) + 3}")
    ws = wb.create_sheet("案件明细")
    titles = ["案号", "案件名称", "承办部门", "承办人", "评查人", "阶段", "得分", "等次", "问题数"]
    table(ws, titles, t["cases"], points_cols=(6,))
    out = io.BytesIO()
    wb.save(out)
    return len(out.getvalue())


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        t = json.load(f)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        size = write(t)
        times.append(time.perf_counter() - start)
    print(f"openpyxl: same sheets, {size} bytes, median {statistics.median(times) * 1e3:.1f} ms of 5 runs")


if __name__ == "__main__":
    main()
