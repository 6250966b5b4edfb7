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
        from plancheck.calendar import Period

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
