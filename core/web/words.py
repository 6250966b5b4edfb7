"""Every word the portal's pages show, in one place: English message ids and their Vietnamese.

Templates write ``{{ _("English text") }}`` (with ``{name}`` placeholders
filled by keyword), as gettext's ``_`` is written, so Babel's extractor
finds them and the translations issue can move :data:`VI` into a catalog
(``.po``) without touching a template. Vietnamese is the default language.
The plan's own names (agencies, units, items) are data, not messages: shown
as the plan writes them, with its ``name_en`` in English.
"""

from __future__ import annotations

from collections.abc import Callable

LANGS = ("vi", "en")

VI: dict[str, str] = {
    # roles and row changes, shown from data
    "agency": "Cơ quan, đơn vị",
    "province": "Văn phòng tỉnh",
    "national": "Trung ương",
    "admin": "Quản trị",
    "new": "mới",
    "updated": "cập nhật",
    "unchanged": "không đổi",
    # the frame
    "Main": "Chính",
    "Home": "Trang chủ",
    "Findings": "Kết quả đánh giá",
    "Completeness": "Tình hình báo cáo",
    "Downloads": "Tải về",
    "File a form": "Nộp biểu mẫu",
    "Waivers": "Gia hạn, miễn trừ",
    "National dashboard": "Bảng tổng hợp toàn quốc",
    "Users": "Người dùng",
    "Audit log": "Nhật ký hệ thống",
    "Signed in as {name} ({role})": "Đăng nhập: {name} ({role})",
    "Sign out": "Đăng xuất",
    "DEMONSTRATION: illustrative example data and demo accounts, not real reports. Do not enter real data here.":
        "BẢN TRÌNH DIỄN: số liệu minh họa và tài khoản thử, không phải báo cáo thật. Không nhập số liệu thật vào đây.",
    "Verdicts come from the plan's own clauses; every finding cites its clause.":
        "Kết quả đánh giá theo đúng điều khoản của Kế hoạch; mỗi kết quả dẫn điều khoản của nó.",
    # signing in
    "Sign in": "Đăng nhập",
    "Where agencies file their reporting forms and each office sees its plan carried out.":
        "Nơi các cơ quan, đơn vị nộp biểu mẫu báo cáo và mỗi cơ quan theo dõi việc thực hiện Kế hoạch.",
    "Wrong user name or password.": "Sai tên đăng nhập hoặc mật khẩu.",
    "Too many failed attempts: signing in is locked for 15 minutes.":
        "Đăng nhập sai quá nhiều lần: tạm khóa đăng nhập trong 15 phút.",
    "User name": "Tên đăng nhập",
    "Password": "Mật khẩu",
    # errors
    "Not allowed": "Không được phép",
    "Not found": "Không tìm thấy",
    "File too large": "Tệp quá lớn",
    "Something went wrong": "Đã xảy ra lỗi",
    "Cannot do that": "Không thực hiện được",
    "The error was logged on the server as incident {incident}; tell your administrator this number.":
        "Lỗi đã được ghi trên máy chủ với mã {incident}; hãy báo mã này cho quản trị viên.",
    "Back to the home page": "Về trang chủ",
    # why a page was refused (other reasons, naming ids, are shown as the server words them)
    "sign in first": "hãy đăng nhập trước",
    "this form has expired or did not come from this site: reload the page and try again":
        "biểu mẫu này đã hết hạn hoặc không gửi từ trang này: hãy tải lại trang rồi thử lại",
    "this province is not yours to see": "bạn không có quyền xem tỉnh này",
    "waivers are the provincial office's": "gia hạn, miễn trừ do văn phòng tỉnh quản lý",
    "your role does not allow this": "vai trò của bạn không được làm việc này",
    "your role does not file forms": "vai trò của bạn không nộp biểu mẫu",
    "a form is .csv or .xlsx": "biểu mẫu là tệp .csv hoặc .xlsx",
    "no such change": "không có thao tác này",
    "no such province": "không có tỉnh này",
    "no such waiver in force": "không có gia hạn, miễn trừ này đang có hiệu lực",
    "you cannot disable yourself": "bạn không thể tự khóa tài khoản của mình",
    # home
    "As of {day}.": "Tính đến ngày {day}.",
    "Your agency's obligations, deadlines and verdicts.": "Nhiệm vụ, thời hạn và kết quả của cơ quan, đơn vị bạn.",
    "Every agency of the province.": "Tất cả cơ quan, đơn vị của tỉnh.",
    "Download the blank form (.xlsx)": "Tải biểu mẫu trống (.xlsx)",
    "All findings": "Tất cả kết quả",
    "Late or missing": "Trễ hạn hoặc chưa thực hiện",
    "Item": "Nội dung",
    "Agency": "Cơ quan",
    "Due": "Hạn",
    "Verdict": "Kết quả",
    "Nothing late.": "Không có việc trễ hạn.",
    "Due next": "Sắp đến hạn",
    "Nothing due in the plan's remaining time.": "Không còn việc nào đến hạn trong thời gian còn lại của Kế hoạch.",
    "Who has not reported": "Đơn vị chưa báo cáo",
    "Reports expected": "Số báo cáo phải gửi",
    "Missing": "Chưa gửi",
    "Late": "Trễ hạn",
    "Every expected report has been received.": "Đã nhận đủ các báo cáo phải gửi.",
    "Last filed": "Nộp gần đây",
    "When": "Thời gian",
    "Who": "Người thực hiện",
    "File": "Tệp",
    "New": "Mới",
    "Updated": "Cập nhật",
    "Unchanged": "Không đổi",
    "Nothing filed through the portal yet.": "Chưa có biểu mẫu nào được nộp qua cổng.",
    "Provinces": "Các tỉnh",
    "Province": "Tỉnh",
    "Not met": "Không đạt",
    "No data": "Chưa có số liệu",
    "Pending": "Chưa đến hạn",
    "Met": "Đạt",
    "Total": "Tổng",
    "Recent activity": "Hoạt động gần đây",
    "What": "Việc",
    # filing
    "Choose a filled form (.xlsx or .csv) first.": "Hãy chọn biểu mẫu đã điền (.xlsx hoặc .csv) trước.",
    "This upload was already filed or has expired: upload the form again.":
        "Tệp này đã được nộp hoặc đã hết hạn chờ xác nhận: hãy tải biểu mẫu lên lại.",
    "Download your blank form, fill the Value column (measures) or the Date column (tasks and reports).":
        "Tải biểu mẫu trống, điền cột Giá trị (số liệu) hoặc cột Ngày thực hiện/gửi (nhiệm vụ và báo cáo).",
    "Blank form (.xlsx)": "Biểu mẫu trống (.xlsx)",
    "Choose the filled file: you will see what it would change before anything is stored.":
        "Chọn tệp đã điền: bạn sẽ thấy những gì thay đổi trước khi lưu.",
    "Confirm: the whole file is stored, or nothing of it.": "Xác nhận: cả tệp được lưu, hoặc không lưu gì.",
    "Filled form (.xlsx or .csv, at most {mb} MiB)": "Biểu mẫu đã điền (.xlsx hoặc .csv, tối đa {mb} MiB)",
    "Check the form": "Kiểm tra biểu mẫu",
    "Form refused": "Biểu mẫu bị từ chối",
    "Form refused: nothing was stored": "Biểu mẫu bị từ chối: chưa lưu gì",
    "{file} has rows you may not file. Remove them (or ask the provincial office) and upload it again.":
        "{file} có dòng bạn không được nộp. Hãy bỏ các dòng đó (hoặc đề nghị văn phòng tỉnh) rồi tải lên lại.",
    "{file} has {n} problem(s). Correct every cell listed and upload it again.":
        "{file} có {n} lỗi. Hãy sửa mọi ô được nêu rồi tải lên lại.",
    "Row": "Dòng",
    "Cell": "Ô",
    "Column": "Cột",
    "Problem": "Lỗi",
    "Upload a corrected form": "Tải lên biểu mẫu đã sửa",
    "Check before storing": "Kiểm tra trước khi lưu",
    "Check before storing: {file}": "Kiểm tra trước khi lưu: {file}",
    "Nothing is stored yet. Every row was checked; this is what storing the form would do.":
        "Chưa lưu gì. Mọi dòng đã được kiểm tra; đây là những gì sẽ thay đổi khi lưu.",
    "updated (the old value stays in history)": "cập nhật (giá trị cũ vẫn được lưu vết)",
    "ignored (nothing filled in)": "bỏ qua (không điền)",
    "Confirm and store": "Xác nhận và lưu",
    "Cancel": "Hủy",
    "Rows": "Các dòng",
    "Change": "Thay đổi",
    "Unit": "Đơn vị hành chính",
    "Period": "Kỳ",
    "Value or date": "Giá trị hoặc ngày",
    "Before": "Trước đây",
    "… and {n} more rows.": "… và {n} dòng nữa.",
    "Form stored": "Đã lưu biểu mẫu",
    "Form stored: {file}": "Đã lưu biểu mẫu: {file}",
    "{new} new, {updated} updated, {unchanged} unchanged, {ignored} ignored. "
    "The verdicts below are judged on the data as now stored.":
        "{new} mới, {updated} cập nhật, {unchanged} không đổi, {ignored} bỏ qua. "
        "Kết quả đánh giá được tính trên số liệu vừa lưu.",
    "See the findings": "Xem kết quả đánh giá",
    "File another form": "Nộp biểu mẫu khác",
    # findings and explain
    "Your agency's findings only.": "Chỉ các kết quả của cơ quan, đơn vị bạn.",
    "Kind": "Loại",
    "all": "tất cả",
    "As of": "Tính đến ngày",
    "Filter": "Lọc",
    "{shown} of {total} findings shown.": "Hiển thị {shown}/{total} kết quả.",
    "Expected": "Yêu cầu",
    "Actual": "Thực tế",
    "Why": "Lý do",
    "Clause": "Căn cứ",
    "How the verdict was reached": "Căn cứ đánh giá",
    "due {day}": "hạn {day}",
    "Comparison": "So sánh",
    "Assumed": "Giả định",
    "Doubt": "Nghi vấn",
    "Waiver": "Gia hạn/miễn",
    "expires {day}": "hết hiệu lực {day}",
    "Data": "Số liệu",
    "Source": "Nguồn",
    "derived from other data": "tính từ số liệu khác",
    "file {file}, row {row}": "tệp {file}, dòng {row}",
    # completeness
    "Completeness of reporting": "Tình hình thực hiện chế độ báo cáo",
    "Reports due by {day}, per agency: expected, received, on time, late, missing (as DHIS2 counts them).":
        "Báo cáo đến hạn tính đến {day}, theo cơ quan: phải gửi, đã nhận, đúng hạn, trễ hạn, chưa gửi "
        "(theo cách tính của DHIS2).",
    "Received": "Đã nhận",
    "On time": "Đúng hạn",
    "Received rate": "Tỷ lệ đã nhận",
    "On-time rate": "Tỷ lệ đúng hạn",
    "Tasks due": "Nhiệm vụ đến hạn",
    "Tasks late or missing": "Nhiệm vụ trễ hoặc chưa làm",
    "No agency has reports due yet.": "Chưa có cơ quan nào có báo cáo đến hạn.",
    # downloads
    "The blank reporting form": "Biểu mẫu báo cáo trống",
    "Your agency's rows only.": "Chỉ các dòng của cơ quan, đơn vị bạn.",
    "The whole province:": "Toàn tỉnh:",
    "One agency's rows": "Các dòng của một cơ quan",
    "Download (.xlsx)": "Tải về (.xlsx)",
    "Reports": "Báo cáo",
    "The findings as of today, as plancheck run writes them.": "Kết quả đánh giá tính đến hôm nay.",
    "Web page (.html, works offline)": "Trang web (.html, xem được khi không có mạng)",
    "Excel workbook (.xlsx)": "Bảng tính Excel (.xlsx)",
    "Word draft of the report (.docx)": "Dự thảo báo cáo Word (.docx)",
    "Findings as CSV": "Kết quả dạng CSV",
    "Findings as JSON (plancheck run --format json)": "Kết quả dạng JSON (plancheck run --format json)",
    # waivers
    "Approved extensions (new due date) and exemptions. A waived finding keeps its real verdict, is marked "
    "waived, and no longer counts as failing.":
        "Các trường hợp được gia hạn (hạn mới) hoặc miễn trừ đã được phê duyệt. Kết quả được miễn trừ giữ "
        "nguyên đánh giá thực tế, được đánh dấu và không còn tính là không đạt.",
    "New due date": "Hạn mới",
    "Exempt": "Miễn",
    "Justification": "Lý do",
    "Approved by": "Người phê duyệt",
    "Document": "Văn bản",
    "Expires": "Hết hiệu lực",
    "Recorded by": "Người ghi",
    "Revoke": "Thu hồi",
    "No waiver in force.": "Không có gia hạn, miễn trừ nào đang có hiệu lực.",
    "Record a waiver": "Ghi nhận gia hạn, miễn trừ",
    "Agency (empty: every agency)": "Cơ quan (để trống: mọi cơ quan)",
    "Unit (empty: every unit)": "Đơn vị hành chính (để trống: mọi đơn vị)",
    "Period (empty: every period)": "Kỳ (để trống: mọi kỳ)",
    "Record the waiver": "Ghi nhận",
    "yes": "có",
    # the nation
    "The full dashboard, with charts (.html, works offline)": "Bảng tổng hợp đầy đủ, có biểu đồ (.html)",
    "Ranking": "Xếp hạng",
    "Rank": "Hạng",
    "Met / judged": "Đạt / đã đánh giá",
    "Share met": "Tỷ lệ đạt",
    "Coverage": "Mức độ có số liệu",
    "Note": "Ghi chú",
    "Reporting discipline": "Chấp hành chế độ báo cáo",
    "Not assessed": "Không đánh giá được",
    # users, audit, API
    "Role": "Vai trò",
    "API tokens": "Mã truy cập API",
    "State": "Trạng thái",
    "active": "đang hoạt động",
    "disabled": "đã khóa",
    "Enable": "Mở khóa",
    "Disable": "Khóa",
    "Add a user": "Thêm người dùng",
    "API tokens are issued on the server: plancheck user token NAME.":
        "Mã truy cập API được cấp trên máy chủ: plancheck user token TÊN.",
    "Agency id": "Mã cơ quan",
    "Password again": "Nhập lại mật khẩu",
    "Add the user": "Thêm",
    "Who signed in, who filed which file (with its sha256), who changed a waiver or a user. Newest first.":
        "Ai đăng nhập, ai nộp tệp nào (kèm sha256), ai thay đổi gia hạn, miễn trừ hay người dùng. Mới nhất trước.",
    "From": "Từ địa chỉ",
    "Details": "Chi tiết",
    "The OpenAPI document:": "Tài liệu OpenAPI:",
    "Parameter": "Tham số",
    "In": "Vị trí",
    "Required": "Bắt buộc",
    "Description": "Mô tả",
    "Body: multipart/form-data with the field file.": "Nội dung: multipart/form-data với trường file.",
}


def translator(lang: str) -> Callable[..., str]:
    """``_`` for the templates of one language: the message in ``lang``, placeholders filled."""
    table = VI if lang == "vi" else {}

    def _(message: str, **values: object) -> str:
        text = table.get(message, message)
        return text.format(**values) if values else text

    return _
