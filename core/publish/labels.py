"""Every word a published report shows, in Vietnamese and in English, and how numbers look.

One flat dict per language (:data:`VI`, :data:`EN`, the same keys in both;
a test holds them so), and :class:`Locale`, which looks labels up and formats
numbers, percentages, dates and periods as each language writes them:

=========  ============  ============
           ``vi``        ``en``
=========  ============  ============
number     1.234,5       1,234.5
percent    32,9%         32.9%
date       12/03/2024    2024-03-12
period     Quý I/2024    Q1 2024
=========  ============  ============

The plan's own names (agencies, units, items) are not translated here: they
come from the plan, in Vietnamese as written, with the plan's ``name_en``
shown for ``en``.
"""

from __future__ import annotations

from datetime import date

import attrs

LANGS = ("vi", "en")

VI: dict[str, str] = {
    # statuses and kinds
    "status.met": "Đạt",
    "status.not_met": "Không đạt",
    "status.pending": "Chưa đến hạn",
    "status.no_data": "Chưa có số liệu",
    "kind.target": "Chỉ tiêu",
    "kind.task": "Nhiệm vụ",
    "kind.obligation": "Chế độ báo cáo",
    "kind.consistency": "Kiểm tra số liệu",
    "kinds.target": "Các chỉ tiêu",
    "kinds.task": "Các nhiệm vụ",
    "kinds.obligation": "Thực hiện chế độ báo cáo",
    "kinds.consistency": "Kiểm tra tính nhất quán của số liệu",
    # reasons
    "reason.late": "Trễ hạn {days} ngày",
    "reason.missing": "Chưa thực hiện, quá hạn {days} ngày",
    "reason.missing_report": "Chưa gửi báo cáo, quá hạn {days} ngày",
    "reason.below_target": "Thấp hơn chỉ tiêu",
    "reason.above_limit": "Vượt mức cho phép",
    "reason.growth_too_low": "Mức tăng thấp hơn chỉ tiêu",
    "reason.growth_too_high": "Mức tăng vượt mức cho phép",
    "reason.not_increased": "Không tăng",
    "reason.not_decreased": "Không giảm",
    "reason.not_in_class": "Chưa đạt tiêu chí",
    "reason.no_deadline": "Kế hoạch không nêu thời hạn",
    "reason.inconsistent": "Số liệu không nhất quán",
    "reason.unit_reorganised": "Đơn vị hành chính đã được sắp xếp lại",
    "waived": "được miễn trừ",
    # expected / actual
    "expected.by": "Hạn {date}",
    "expected.no_deadline": "Kế hoạch không nêu thời hạn",
    "expected.of": "{count}/{of}",
    "expected.in_class": "Đạt tiêu chí: {rule}",
    "expected.growth": "Mức tăng {cmp} {value} so với {previous}",
    "expected.change": "Thay đổi {cmp} {value} so với {previous}",
    "actual.in_class": "Đạt tiêu chí",
    "actual.not_in_class": "Chưa đạt tiêu chí",
    "actual.none": "—",
    # reporting timeliness
    "timely.on_time": "Đúng hạn",
    "timely.late": "Trễ hạn",
    "timely.missing": "Chưa gửi",
    "timely.pending": "Chưa đến hạn",
    # notices
    "notice.heading": "Lưu ý trước khi đọc",
    "notice.example": "SỐ LIỆU MINH HỌA: số liệu giả định đi kèm plugin, không phải báo cáo thực tế.",
    "notice.incomplete": "Kế hoạch {plan} KHÔNG ĐẦY ĐỦ: {why}",
    "notice.press_summary": "Kế hoạch {plan} được mã hóa từ bản tin tóm tắt, không phải từ văn bản kế hoạch.",
    # columns
    "col.status": "Đánh giá",
    "col.reason": "Lý do",
    "col.kind": "Loại",
    "col.name": "Nội dung",
    "col.name_original": "Nội dung (nguyên văn)",
    "col.agency": "Cơ quan thực hiện",
    "col.unit": "Địa bàn",
    "col.period": "Kỳ",
    "col.due": "Hạn",
    "col.expected": "Yêu cầu",
    "col.actual": "Kết quả",
    "col.days_late": "Số ngày trễ",
    "col.source": "Căn cứ (mục KH)",
    "col.assumed": "Giả định",
    "col.item": "Mã nội dung",
    "col.plan": "Mã kế hoạch",
    "col.no": "TT",
    "col.count": "Số lượng",
    "col.total": "Tổng",
    # the HTML page
    "page.title": "Kết quả thực hiện kế hoạch — {province} — {date}",
    "page.as_of": "Số liệu tính đến ngày {date}",
    "page.province": "Tỉnh",
    "page.generated": "Tạo bởi plancheck từ dữ liệu kế hoạch và số liệu báo cáo; mỗi dòng dẫn mục của kế hoạch.",
    "page.summary": "Tổng hợp",
    "page.total": "Tổng số nội dung theo dõi",
    "page.charts": "Biểu đồ",
    "page.chart_kind": "Đánh giá theo loại nội dung",
    "page.chart_timely": "Thực hiện chế độ báo cáo theo cơ quan",
    "page.chart_targets": "Chỉ tiêu và kết quả thực hiện",
    "page.chart_target": "Chỉ tiêu",
    "page.chart_actual": "Kết quả",
    "page.findings": "Chi tiết đánh giá",
    "page.filter_status": "Đánh giá",
    "page.filter_agency": "Cơ quan",
    "page.filter_kind": "Loại",
    "page.filter_all": "Tất cả",
    "page.showing": "Đang hiển thị {shown}/{total} dòng",
    "page.no_charts": "Không có chỉ tiêu định lượng nào có kết quả để vẽ biểu đồ.",
    "page.no_obligations": "Kế hoạch không có chế độ báo cáo nào.",
    "page.assumed": "giả định",
    # the spreadsheet
    "sheet.summary": "Tổng hợp",
    "sheet.target": "Chỉ tiêu",
    "sheet.task": "Nhiệm vụ",
    "sheet.obligation": "Chế độ báo cáo",
    "sheet.consistency": "Kiểm tra số liệu",
    "sheet.title": "Kết quả thực hiện kế hoạch",
    "sheet.by_status": "Theo đánh giá",
    "sheet.by_kind": "Theo loại nội dung",
    "sheet.timely": "Thực hiện chế độ báo cáo theo cơ quan",
    # the Word draft (Decree 30/2020/NĐ-CP layout)
    "doc.number": "Số: ......../BC-.........",
    "doc.nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "doc.motto": "Độc lập - Tự do - Hạnh phúc",
    "doc.place_date": "............, ngày ...... tháng ...... năm ......",
    "doc.draft": "DỰ THẢO",
    "doc.title": "BÁO CÁO",
    "doc.subject": "Kết quả thực hiện {title}",
    "doc.subject_document": "(Kế hoạch số {document})",
    "doc.as_of": "(Số liệu tính đến ngày {date})",
    "doc.section_summary": "I. KẾT QUẢ CHUNG",
    "doc.summary_text": ("Tính đến ngày {date}, kế hoạch có {total} nội dung được theo dõi "
                         "(chỉ tiêu, nhiệm vụ, chế độ báo cáo): {met} nội dung đạt, {not_met} nội dung "
                         "không đạt, {pending} nội dung chưa đến hạn, {no_data} nội dung chưa có số liệu."),
    "doc.section_findings": "II. KẾT QUẢ CỤ THỂ",
    "doc.subsection": "{n}. {title}",
    "doc.none": "Không có nội dung nào.",
    "doc.section_proposals": "III. ĐỀ XUẤT, KIẾN NGHỊ",
    "doc.proposals_placeholder": ("[Nêu các đề xuất, kiến nghị đối với các chỉ tiêu, nhiệm vụ chưa đạt và "
                                  "các cơ quan chưa thực hiện đúng chế độ báo cáo.]"),
    "doc.closing": "Trên đây là báo cáo kết quả thực hiện kế hoạch./.",
    "doc.recipients": "Nơi nhận:",
    "doc.recipients_list": "- ............;\n- ............;\n- Lưu: VT, .......",
    "doc.signer_authority": "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ",
    "doc.signature": "(Chữ ký của người có thẩm quyền, dấu của cơ quan)",
    "doc.signer_name": "Họ và tên",
    # periods
    "period.year": "Năm {year}",
    "period.half1": "6 tháng đầu năm {year}",
    "period.half2": "6 tháng cuối năm {year}",
    "period.quarter": "Quý {roman}/{year}",
    "period.month": "Tháng {month}/{year}",
    # the national dashboard (plancheck compare --format html)
    "cmp.title": "So sánh các tỉnh — {programme} — {date}",
    "cmp.heading": "So sánh kết quả thực hiện giữa các tỉnh",
    "cmp.programme": "Chương trình",
    "cmp.periods": "Kỳ so sánh",
    "cmp.period_shared": "so sánh trên các năm mà mọi kế hoạch được so sánh đều bao gồm: {years}",
    "cmp.period_requested": "so sánh kỳ {period} theo yêu cầu",
    "cmp.period_not_covered": "; kỳ này KHÔNG nằm trong mọi kế hoạch được so sánh",
    "cmp.period_none": ("không có năm nào nằm trong mọi kế hoạch được so sánh; mỗi tỉnh được thể hiện "
                        "theo các năm của mình"),
    "cmp.original": "nguyên văn",
    "cmp.notice_example": "SỐ LIỆU MINH HỌA: số liệu giả định đi kèm các plugin, không phải báo cáo thực tế.",
    "cmp.notice_province": "{province}: {notice}",
    "cmp.notice_failed": "Không đánh giá được: {provinces}. Lý do ghi ở dòng “Lỗi” của từng tỉnh.",
    "cmp.notice_unconfirmed": ("Ngưỡng quốc gia có dấu * chưa được đối chiếu với văn bản chính thức của "
                               "chương trình."),
    "cmp.heatmap": "Mức độ đạt theo tỉnh và chỉ tiêu quốc gia",
    "cmp.heatmap_help": ("Mỗi ô so sánh kết quả với chỉ tiêu của chính tỉnh đó: mức đạt = kết quả / chỉ tiêu "
                         "(với chỉ tiêu càng thấp càng tốt: chỉ tiêu / kết quả). Di chuột hoặc bấm vào ô để "
                         "xem căn cứ. Ô có nhiều kỳ hoặc địa bàn hiển thị mức đạt thấp nhất."),
    "cmp.col_province": "Tỉnh",
    "cmp.national": "Quốc gia: {cmp} {value}",
    "cmp.lower_better": "càng thấp càng tốt",
    "cmp.unconfirmed": "chưa đối chiếu văn bản chính thức",
    "cmp.legend": "Chú giải",
    "cmp.state.met": "Đạt (mức đạt ≥ 100%)",
    "cmp.state.a3": "Không đạt, mức đạt 90–100%",
    "cmp.state.a2": "Không đạt, mức đạt 75–90%",
    "cmp.state.a1": "Không đạt, mức đạt 50–75%",
    "cmp.state.a0": "Không đạt, mức đạt dưới 50%",
    "cmp.state.unknown": "Không đạt, không tính được mức đạt",
    "cmp.state.pending": "Chưa đến hạn",
    "cmp.state.no_data": "Chưa có số liệu",
    "cmp.state.no_period": "Không có kết quả trong kỳ so sánh",
    "cmp.state.not_in_plan": "Không có trong kế hoạch",
    "cmp.state.skipped": "Kế hoạch loại trừ",
    "cmp.state.failed": "Lỗi, không đánh giá được",
    "cmp.rows": "{n} kỳ/địa bàn",
    "cmp.details": "Căn cứ của ô đã chọn",
    "cmp.details_hint": "Bấm vào một ô của bảng để xem căn cứ tại đây.",
    "cmp.ev.indicator": "Chỉ tiêu quốc gia",
    "cmp.ev.province": "Tỉnh",
    "cmp.ev.target": "Chỉ tiêu của tỉnh",
    "cmp.ev.national": "Ngưỡng quốc gia",
    "cmp.ev.actual": "Kết quả",
    "cmp.ev.attainment": "Mức đạt",
    "cmp.ev.period": "Kỳ",
    "cmp.ev.unit": "Địa bàn",
    "cmp.ev.status": "Đánh giá",
    "cmp.ev.item": "Mã chỉ tiêu trong kế hoạch",
    "cmp.ev.plan": "Mã kế hoạch",
    "cmp.ev.source": "Căn cứ (mục KH)",
    "cmp.ev.adoption": "Cách áp dụng",
    "cmp.ev.reason": "Lý do",
    "cmp.adoption.included": "Áp dụng nguyên chỉ tiêu của chương trình",
    "cmp.adoption.restated": "Kế hoạch nêu lại chỉ tiêu",
    "cmp.adoption.not_in_plan": "Kế hoạch không có chỉ tiêu này",
    "cmp.adoption.skipped": "Kế hoạch ghi rõ không áp dụng chỉ tiêu này",
    "cmp.adoption.failed": "Không đánh giá được tỉnh này",
    "cmp.status.no_period_shared": "Không có kết quả trong kỳ so sánh",
    "cmp.reporting": "Chế độ báo cáo và độ phủ số liệu",
    "cmp.chart_reporting": "Báo cáo đến hạn theo tỉnh",
    "cmp.chart_coverage": "Độ phủ số liệu: tỷ lệ nội dung kế hoạch đến hạn có số liệu",
    "cmp.coverage_rule": "Tỉnh có độ phủ dưới 50% không được xếp hạng.",
    "cmp.coverage_share": "Tỷ lệ có số liệu",
    "cmp.no_reporting": "Không có tỉnh nào có báo cáo đến hạn.",
    "cmp.col.expected": "Báo cáo đến hạn",
    "cmp.col.received": "Đã nhận",
    "cmp.col.on_time_rate": "Tỷ lệ đúng hạn",
    "cmp.col.mean_days_late": "Số ngày trễ bình quân",
    "cmp.col.items_due": "Nội dung đến hạn",
    "cmp.col.with_data": "Có số liệu",
    "cmp.col.coverage": "Độ phủ",
    "cmp.ranking": "Xếp hạng",
    "cmp.ranking_rule_label": "Quy tắc xếp hạng",
    "cmp.ranking_rule": ("Các tỉnh được xếp hạng theo tỷ lệ đánh giá đạt trên các chỉ tiêu quốc gia "
                         "(đạt / (đạt + không đạt)) trong các kỳ so sánh chung; nếu bằng nhau thì xét tỷ lệ "
                         "báo cáo đúng hạn, sau đó đến mã tỉnh. Tỉnh không có chỉ tiêu quốc gia nào được đánh "
                         "giá, hoặc có số liệu cho dưới một nửa số nội dung kế hoạch đã đến hạn (độ phủ < 50%), "
                         "được liệt kê nhưng không xếp hạng, để tỉnh có ít số liệu không thể đứng đầu."),
    "cmp.col.rank": "Hạng",
    "cmp.col.met": "Đạt / được đánh giá",
    "cmp.col.score": "Tỷ lệ đạt",
    "cmp.col.note": "Ghi chú",
    "cmp.unranked": "Không xếp hạng: thiếu số liệu",
    "cmp.failed": "Lỗi",
    "cmp.failed_reason": "Không đánh giá được: {reason}",
    "cmp.generated": ("Tạo bởi plancheck từ kế hoạch của từng tỉnh và số liệu báo cáo; mỗi ô dẫn mã chỉ tiêu "
                      "và mục của kế hoạch."),
}

EN: dict[str, str] = {
    "status.met": "Met",
    "status.not_met": "Not met",
    "status.pending": "Pending",
    "status.no_data": "No data",
    "kind.target": "Target",
    "kind.task": "Task",
    "kind.obligation": "Reporting obligation",
    "kind.consistency": "Data check",
    "kinds.target": "Targets",
    "kinds.task": "Tasks",
    "kinds.obligation": "Reporting obligations",
    "kinds.consistency": "Data consistency checks",
    "reason.late": "{days} days late",
    "reason.missing": "Not done, {days} days overdue",
    "reason.missing_report": "Report not sent, {days} days overdue",
    "reason.below_target": "Below target",
    "reason.above_limit": "Above the limit",
    "reason.growth_too_low": "Growth below target",
    "reason.growth_too_high": "Growth above the limit",
    "reason.not_increased": "Did not increase",
    "reason.not_decreased": "Did not decrease",
    "reason.not_in_class": "Does not meet the criteria",
    "reason.no_deadline": "No deadline in the plan",
    "reason.inconsistent": "Inconsistent data",
    "reason.unit_reorganised": "Administrative unit reorganised",
    "waived": "waived",
    "expected.by": "By {date}",
    "expected.no_deadline": "No deadline in the plan",
    "expected.of": "{count} of {of}",
    "expected.in_class": "Meets: {rule}",
    "expected.growth": "Growth {cmp} {value} vs {previous}",
    "expected.change": "Change {cmp} {value} vs {previous}",
    "actual.in_class": "Meets the criteria",
    "actual.not_in_class": "Does not meet the criteria",
    "actual.none": "—",
    "timely.on_time": "On time",
    "timely.late": "Late",
    "timely.missing": "Missing",
    "timely.pending": "Not yet due",
    "notice.heading": "Read this first",
    "notice.example": "EXAMPLE DATA: illustrative figures shipped with the plugin, not real reports.",
    "notice.incomplete": "Plan {plan} is INCOMPLETE: {why}",
    "notice.press_summary": "Plan {plan} is encoded from a press summary, not the plan itself.",
    "col.status": "Status",
    "col.reason": "Reason",
    "col.kind": "Kind",
    "col.name": "Item",
    "col.name_original": "Item (as written, Vietnamese)",
    "col.agency": "Agency",
    "col.unit": "Unit",
    "col.period": "Period",
    "col.due": "Due",
    "col.expected": "Expected",
    "col.actual": "Actual",
    "col.days_late": "Days late",
    "col.source": "Plan clause",
    "col.assumed": "Assumption",
    "col.item": "Item id",
    "col.plan": "Plan id",
    "col.no": "No.",
    "col.count": "Count",
    "col.total": "Total",
    "page.title": "Plan implementation — {province} — {date}",
    "page.as_of": "Data as of {date}",
    "page.province": "Province",
    "page.generated": "Made by plancheck from the encoded plan and the reported data; every row cites its clause.",
    "page.summary": "Summary",
    "page.total": "Items followed",
    "page.charts": "Charts",
    "page.chart_kind": "Status by kind of item",
    "page.chart_timely": "Reporting timeliness by agency",
    "page.chart_targets": "Targets against actuals",
    "page.chart_target": "Target",
    "page.chart_actual": "Actual",
    "page.findings": "Findings",
    "page.filter_status": "Status",
    "page.filter_agency": "Agency",
    "page.filter_kind": "Kind",
    "page.filter_all": "All",
    "page.showing": "Showing {shown} of {total} rows",
    "page.no_charts": "No numeric target has a result to chart.",
    "page.no_obligations": "The plan has no reporting obligations.",
    "page.assumed": "assumed",
    "sheet.summary": "Summary",
    "sheet.target": "Targets",
    "sheet.task": "Tasks",
    "sheet.obligation": "Reporting obligations",
    "sheet.consistency": "Data checks",
    "sheet.title": "Plan implementation report",
    "sheet.by_status": "By status",
    "sheet.by_kind": "By kind of item",
    "sheet.timely": "Reporting timeliness by agency",
    "doc.number": "No.: ......../BC-.........",
    "doc.nation": "SOCIALIST REPUBLIC OF VIETNAM",
    "doc.motto": "Independence - Freedom - Happiness",
    "doc.place_date": "............, (day) ...... (month) ...... (year) ......",
    "doc.draft": "DRAFT",
    "doc.title": "REPORT",
    "doc.subject": "Results of implementing the {title}",
    "doc.subject_document": "(Plan No. {document})",
    "doc.as_of": "(Data as of {date})",
    "doc.section_summary": "I. OVERALL RESULTS",
    "doc.summary_text": ("As of {date}, the plan has {total} items followed (targets, tasks, reporting "
                         "obligations): {met} met, {not_met} not met, {pending} not yet due, {no_data} "
                         "with no data."),
    "doc.section_findings": "II. DETAILED RESULTS",
    "doc.subsection": "{n}. {title}",
    "doc.none": "None.",
    "doc.section_proposals": "III. PROPOSALS AND RECOMMENDATIONS",
    "doc.proposals_placeholder": ("[State the proposals for the targets and tasks not met and for the "
                                  "agencies that did not report as required.]"),
    "doc.closing": "This concludes the report on the implementation of the plan./.",
    "doc.recipients": "Recipients:",
    "doc.recipients_list": "- ............;\n- ............;\n- Archived: VT, .......",
    "doc.signer_authority": "AUTHORITY AND TITLE OF THE SIGNER",
    "doc.signature": "(Signature of the competent person, seal of the agency)",
    "doc.signer_name": "Full name",
    "period.year": "{year}",
    "period.half1": "H1 {year}",
    "period.half2": "H2 {year}",
    "period.quarter": "Q{quarter} {year}",
    "period.month": "{year}-{month:02d}",
    "cmp.title": "Provinces compared — {programme} — {date}",
    "cmp.heading": "Provinces compared",
    "cmp.programme": "Programme",
    "cmp.periods": "Periods compared",
    "cmp.period_shared": "compared on the years every compared plan covers: {years}",
    "cmp.period_requested": "period {period} requested",
    "cmp.period_not_covered": "; it is NOT covered by every compared plan",
    "cmp.period_none": "no year is covered by every compared plan; each province is shown on its own years",
    "cmp.original": "as written",
    "cmp.notice_example": "EXAMPLE DATA: illustrative figures shipped with the plugins, not real reports.",
    "cmp.notice_province": "{province}: {notice}",
    "cmp.notice_failed": "Could not be assessed: {provinces}. The reason is in each province's failed row.",
    "cmp.notice_unconfirmed": ("National thresholds marked * have not been checked against the programme's "
                               "official text."),
    "cmp.heatmap": "Attainment by province and national indicator",
    "cmp.heatmap_help": ("Each cell compares the actual with the province's own target: attainment = actual / "
                         "target (for lower-is-better indicators: target / actual). Hover over or click a cell "
                         "for its evidence. A cell with several periods or units shows the lowest attainment."),
    "cmp.col_province": "Province",
    "cmp.national": "National: {cmp} {value}",
    "cmp.lower_better": "lower is better",
    "cmp.unconfirmed": "not checked against the official text",
    "cmp.legend": "Legend",
    "cmp.state.met": "Met (attainment ≥ 100%)",
    "cmp.state.a3": "Not met, attainment 90–100%",
    "cmp.state.a2": "Not met, attainment 75–90%",
    "cmp.state.a1": "Not met, attainment 50–75%",
    "cmp.state.a0": "Not met, attainment under 50%",
    "cmp.state.unknown": "Not met, attainment not computable",
    "cmp.state.pending": "Pending",
    "cmp.state.no_data": "No data",
    "cmp.state.no_period": "No result in the compared period",
    "cmp.state.not_in_plan": "Not in plan",
    "cmp.state.skipped": "Skipped by the plan",
    "cmp.state.failed": "Failed: not assessed",
    "cmp.rows": "{n} periods/units",
    "cmp.details": "Evidence for the selected cell",
    "cmp.details_hint": "Click a cell of the table to see its evidence here.",
    "cmp.ev.indicator": "National indicator",
    "cmp.ev.province": "Province",
    "cmp.ev.target": "Province's target",
    "cmp.ev.national": "National threshold",
    "cmp.ev.actual": "Actual",
    "cmp.ev.attainment": "Attainment",
    "cmp.ev.period": "Period",
    "cmp.ev.unit": "Unit",
    "cmp.ev.status": "Status",
    "cmp.ev.item": "Plan target id",
    "cmp.ev.plan": "Plan id",
    "cmp.ev.source": "Plan clause",
    "cmp.ev.adoption": "Adoption",
    "cmp.ev.reason": "Reason",
    "cmp.adoption.included": "Included from the programme as is",
    "cmp.adoption.restated": "Restated in the plan",
    "cmp.adoption.not_in_plan": "The plan does not adopt this indicator",
    "cmp.adoption.skipped": "The plan states it leaves this indicator out",
    "cmp.adoption.failed": "The province could not be assessed",
    "cmp.status.no_period_shared": "No result in the compared period",
    "cmp.reporting": "Reporting discipline and coverage",
    "cmp.chart_reporting": "Reports due, by province",
    "cmp.chart_coverage": "Coverage: share of the plan items due that have data",
    "cmp.coverage_rule": "A province under 50% is not ranked.",
    "cmp.coverage_share": "Share with data",
    "cmp.no_reporting": "No province has a report due.",
    "cmp.col.expected": "Reports due",
    "cmp.col.received": "Received",
    "cmp.col.on_time_rate": "On-time rate",
    "cmp.col.mean_days_late": "Mean days late",
    "cmp.col.items_due": "Plan items due",
    "cmp.col.with_data": "With data",
    "cmp.col.coverage": "Coverage",
    "cmp.ranking": "Ranking",
    "cmp.ranking_rule_label": "Ranking rule",
    "cmp.ranking_rule": ("Provinces are ranked by the share of their national-indicator verdicts that are met "
                         "(met / (met + not met)) over the shared periods; ties are broken by the on-time "
                         "reporting rate, then by province id. A province with no judged indicator, or with data "
                         "for under half of its due plan items (coverage < 50%), is listed unranked, so little "
                         "data cannot rank first."),
    "cmp.col.rank": "Rank",
    "cmp.col.met": "Met / judged",
    "cmp.col.score": "Share met",
    "cmp.col.note": "Note",
    "cmp.unranked": "Unranked: insufficient data",
    "cmp.failed": "Failed",
    "cmp.failed_reason": "Not assessed: {reason}",
    "cmp.generated": ("Made by plancheck from each province's encoded plan and reported data; every cell cites "
                      "its plan target and clause."),
}

LABELS: dict[str, dict[str, str]] = {"vi": VI, "en": EN}

_COMPARATORS = {">=": "≥", "<=": "≤", "==": "=", ">": ">", "<": "<"}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_VI_SEPARATORS = str.maketrans(",.", ".,")  # 1,234.5 -> 1.234,5


@attrs.frozen
class Locale:
    """Labels and number/date formats of one language (``vi`` or ``en``)."""

    lang: str = attrs.field(validator=attrs.validators.in_(LANGS))

    def t(self, key: str, **values: object) -> str:
        """The label ``key`` in this language, with ``values`` filled in."""
        text = LABELS[self.lang][key]
        return text.format(**values) if values else text

    def number(self, x: float, decimals: int = 2) -> str:
        """1.234,5 (vi) or 1,234.5 (en): at most ``decimals`` decimals, no trailing zeros."""
        s = f"{x:,.{decimals}f}"
        if "." in s:
            s = s.rstrip("0").rstrip(".")
        if s in ("-0", ""):
            s = "0"
        if self.lang == "vi":
            s = s.translate(_VI_SEPARATORS)
        return s

    def percent(self, x: float, decimals: int = 2) -> str:
        """32,9% (vi) or 32.9% (en); ``x`` is already in percent."""
        return f"{self.number(x, decimals)}%"

    def day(self, d: date | None) -> str:
        """12/03/2024 (vi) or 2024-03-12 (en); empty for no date."""
        if d is None:
            return ""
        return d.strftime("%d/%m/%Y") if self.lang == "vi" else d.isoformat()

    def excel_date_format(self) -> str:
        return "dd/mm/yyyy" if self.lang == "vi" else "yyyy-mm-dd"

    def period(self, period_id: str) -> str:
        """A DHIS2 period id as a reader says it: 2024Q1 is Quý I/2024 (vi), Q1 2024 (en)."""
        from plancheck.plans.calendar import Period

        try:
            p = Period.parse(period_id)
        except ValueError:
            return period_id
        year = p.start.year
        if p.type == "yearly":
            return self.t("period.year", year=year)
        if p.type == "semiannual":
            return self.t("period.half1" if p.start.month == 1 else "period.half2", year=year)
        if p.type == "quarterly":
            q = (p.start.month - 1) // 3 + 1
            return self.t("period.quarter", year=year, quarter=q, roman=_ROMAN[q])
        return self.t("period.month", year=year, month=p.start.month)

    @staticmethod
    def comparator(cmp: str) -> str:
        """>= as ≥, <= as ≤."""
        return _COMPARATORS.get(cmp, cmp)
