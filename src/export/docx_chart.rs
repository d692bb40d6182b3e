//! Charts in the DOCX report as native Word charts (DrawingML `c:chartSpace` parts), drawn from
//! the same figures as the tables beside them.
//!
//! Why native charts rather than pictures: Word, WPS and LibreOffice draw them with the
//! reader's own fonts, so Chinese labels need no font inside pingcha (a CJK font subset for a
//! bitmap would add megabytes and still miss a unit's rarer characters); they stay sharp when
//! printed, and the reader can restyle them. The values are written as the chart's cached data
//! (no embedded workbook), which is what every one of those programs draws.

use super::docx::xml_escape;

/// What a chart shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    /// Shares of a whole, each slice labelled with its name and percentage (one decimal, as
    /// the table beside it).
    Pie,
    /// Horizontal bars, first category on top, the value axis from 0 (to `max` when given).
    Bar {
        /// The axis's upper end (100 for scores); `None`: the program chooses.
        max: Option<u32>,
    },
}

/// One chart: a title, and a value per category, written as the tables write them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Chart {
    /// Pie or bar.
    pub kind: Kind,
    /// The title above the chart.
    pub title: String,
    /// The series' name (the value's meaning: 案件数, 平均分 …).
    pub series: String,
    /// (category, value as a decimal number) in display order.
    pub points: Vec<(String, String)>,
}

/// The chart part's relationship type and content type.
pub(super) const REL_TYPE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart";
pub(super) const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";

/// Slice colours, in order (Office's default palette).
const PALETTE: [&str; 6] = ["4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47"];

/// Text width of the page (A4 less the margins) in EMU, and the charts' height.
const WIDTH_EMU: u64 = 5_600_000;
const HEIGHT_EMU: u64 = 3_000_000;

/// The run that places chart `n` (relationship `rel_id`) in a paragraph.
pub(super) fn inline_run(n: usize, rel_id: &str, title: &str) -> String {
    let name = xml_escape(title);
    format!(
        r#"<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{WIDTH_EMU}" cy="{HEIGHT_EMU}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{id}" name="图表 {n}" descr="{name}"/><wp:cNvGraphicFramePr/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rel_id}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#,
        id = 1000 + n
    )
}

/// A run of chart text in 宋体 at `size` hundredths of a point.
fn text_props(size: u32) -> String {
    format!(
        r#"<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}" b="0"><a:latin typeface="Times New Roman"/><a:ea typeface="宋体"/></a:defRPr></a:pPr><a:endParaRPr lang="zh-CN"/></a:p></c:txPr>"#
    )
}

/// The series' categories and values as cached data.
fn data(points: &[(String, String)]) -> String {
    let n = points.len();
    let cats: String = (0..)
        .zip(points)
        .map(|(i, (c, _))| format!(r#"<c:pt idx="{i}"><c:v>{}</c:v></c:pt>"#, xml_escape(c)))
        .collect();
    let vals: String = (0..)
        .zip(points)
        .map(|(i, (_, v))| format!(r#"<c:pt idx="{i}"><c:v>{}</c:v></c:pt>"#, xml_escape(v)))
        .collect();
    let last = n + 1;
    format!(
        r#"<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${last}</c:f><c:strCache><c:ptCount val="{n}"/>{cats}</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:f>Sheet1!$B$2:$B${last}</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="{n}"/>{vals}</c:numCache></c:numRef></c:val>"#
    )
}

/// Data labels: the value (bars) or name and percentage (pie).
fn labels(kind: &Kind) -> String {
    let (format, val, cat, pct) = match kind {
        Kind::Pie => ("0.0%", 0, 1, 1),
        Kind::Bar { .. } => ("General", 1, 0, 0),
    };
    format!(
        r#"<c:dLbls><c:numFmt formatCode="{format}" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>{}<c:showLegendKey val="0"/><c:showVal val="{val}"/><c:showCatName val="{cat}"/><c:showSerName val="0"/><c:showPercent val="{pct}"/><c:showBubbleSize val="0"/></c:dLbls>"#,
        text_props(1000)
    )
}

/// The chart part of `chart`.
pub(super) fn chart_xml(chart: &Chart) -> String {
    let series = format!(
        r#"<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{}</c:v></c:pt></c:strCache></c:strRef></c:tx>{}{}{}</c:ser>"#,
        xml_escape(&chart.series),
        match chart.kind {
            // Each slice its own colour: a document carries no chart theme to take them from.
            Kind::Pie => (0..chart.points.len())
                .map(|i| {
                    format!(
                        r#"<c:dPt><c:idx val="{i}"/><c:bubble3D val="0"/><c:spPr><a:solidFill><a:srgbClr val="{}"/></a:solidFill><a:ln><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:ln></c:spPr></c:dPt>"#,
                        PALETTE[i % PALETTE.len()]
                    )
                })
                .collect(),
            Kind::Bar { .. } => r#"<c:spPr><a:solidFill><a:srgbClr val="4472C4"/></a:solidFill></c:spPr><c:invertIfNegative val="0"/>"#.to_owned(),
        },
        labels(&chart.kind),
        data(&chart.points)
    );
    let plot = match &chart.kind {
        Kind::Pie => format!(r#"<c:pieChart><c:varyColors val="1"/>{series}<c:firstSliceAng val="0"/></c:pieChart>"#),
        Kind::Bar { max } => {
            let max = max.map(|m| format!(r#"<c:max val="{m}"/>"#)).unwrap_or_default();
            format!(
                r#"<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>{series}<c:gapWidth val="60"/><c:axId val="11"/><c:axId val="12"/></c:barChart><c:catAx><c:axId val="11"/><c:scaling><c:orientation val="maxMin"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{}<c:crossAx val="12"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx><c:valAx><c:axId val="12"/><c:scaling><c:orientation val="minMax"/>{max}<c:min val="0"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:majorGridlines/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{}<c:crossAx val="11"/><c:crosses val="max"/><c:crossBetween val="between"/></c:valAx>"#,
                text_props(1000),
                text_props(1000)
            )
        }
    };
    let legend = match chart.kind {
        Kind::Pie => format!(
            r#"<c:legend><c:legendPos val="r"/><c:overlay val="0"/>{}</c:legend>"#,
            text_props(1000)
        ),
        Kind::Bar { .. } => String::new(),
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><c:lang val="zh-CN"/><c:roundedCorners val="0"/><c:chart><c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1200" b="0"/></a:pPr><a:r><a:rPr lang="zh-CN" sz="1200" b="0"><a:latin typeface="Times New Roman"/><a:ea typeface="黑体"/></a:rPr><a:t>{title}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>{plot}</c:plotArea>{legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>{txpr}</c:chartSpace>"#,
        title = xml_escape(&chart.title),
        txpr = text_props(1000)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> Chart {
        Chart {
            kind: Kind::Bar { max: Some(100) },
            title: "各承办单位平均分".into(),
            series: "平均分".into(),
            points: vec![
                ("第一审查调查室".into(), "92.5".into()),
                ("A&B<室>".into(), "88".into()),
            ],
        }
    }

    #[test]
    fn a_bar_chart_starts_its_value_axis_at_zero_and_escapes_its_labels() {
        let xml = chart_xml(&bars());
        assert!(xml.contains(r#"<c:max val="100"/><c:min val="0"/>"#), "{xml}");
        assert!(xml.contains("A&amp;B&lt;室&gt;") && !xml.contains("A&B<"), "{xml}");
        assert!(xml.contains(r#"<c:ptCount val="2"/>"#));
        assert!(xml.contains("<c:v>92.5</c:v>"));
    }

    #[test]
    fn a_pie_labels_each_slice_with_one_decimal_percent() {
        let pie = Chart {
            kind: Kind::Pie,
            ..bars()
        };
        let xml = chart_xml(&pie);
        assert!(xml.contains(r#"<c:numFmt formatCode="0.0%" sourceLinked="0"/>"#));
        assert!(xml.contains(r#"<c:showPercent val="1"/>"#) && xml.contains("<c:legend>"));
        assert!(!xml.contains("<c:valAx>"));
    }
}
