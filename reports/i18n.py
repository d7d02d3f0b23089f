"""The report's own words, Vietnamese first, English second.

``t(key, lang, **values)`` returns plain text (never markup): callers escape it before
it goes into a Paragraph.
"""

from __future__ import annotations

LANGUAGES = ("vi", "en")

_STRINGS: dict[str, tuple[str, str]] = {
    # cover
    "nation": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
    "motto": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    "title": ("BÁO CÁO KẾT QUẢ KHẢO SÁT", "SURVEY REPORT"),
    "subtitle": ("Sự hài lòng của người dân đối với chính quyền địa phương",
                 "Residents' satisfaction with their local government"),
    "unit": ("Đơn vị", "Unit"),
    "round": ("Đợt khảo sát", "Survey round"),
    "period": ("Thời gian", "Period"),
    "form": ("Phiếu khảo sát", "Questionnaire"),
    "form_version": ("phiên bản {version}", "version {version}"),
    "previous_round": ("Đợt so sánh", "Compared with"),
    "issued_by": ("Đơn vị thực hiện", "Issued by"),
    "generated": ("Lập lúc {when} (giờ Việt Nam)", "Generated {when} (Viet Nam time)"),
    "status_open": ("đang diễn ra", "in progress"),
    "status_closed": ("đã kết thúc", "closed"),
    "status_planned": ("chưa bắt đầu", "not started"),
    "in_progress_note": ("Đợt khảo sát chưa kết thúc: số liệu có thể còn thay đổi.",
                         "The round is still open: figures may still change."),
    # header / footer
    "page_of": ("Trang {page}/{pages}", "Page {page} of {pages}"),
    "app": ("Lắng Nghe", "Lắng Nghe"),
    # summary page
    "summary": ("Tóm tắt kết quả", "Summary"),
    "responses": ("Số phiếu thu được", "Responses"),
    "target": ("Chỉ tiêu", "Target"),
    "coverage": ("Tỷ lệ hoàn thành", "Coverage"),
    "overall_index": ("Chỉ số hài lòng chung", "Overall satisfaction index"),
    "change_since": ("So với {round}", "Since {round}"),
    "no_previous": ("Chưa có đợt khảo sát trước cùng mẫu phiếu để so sánh.",
                    "There is no earlier round of the same questionnaire to compare with."),
    "group_indices": ("Chỉ số theo nhóm tiêu chí", "Index by group of criteria"),
    "largest_rises": ("Tăng nhiều nhất", "Largest rises"),
    "largest_falls": ("Giảm nhiều nhất", "Largest falls"),
    "none": ("Không có", "None"),
    "clear_change": ("rõ rệt", "clear"),
    "figure": ("Chỉ tiêu đánh giá", "Item"),
    "this_round": ("Đợt này", "This round"),
    "previous": ("Đợt trước", "Previous"),
    "change": ("Thay đổi", "Change"),
    "share_n": ("{share} (N={n})", "{share} (N={n})"),
    "n_equals": ("N={n}", "N={n}"),
    # progress
    "progress": ("Tiến độ thu phiếu", "Progress of data collection"),
    "sub_unit": ("Đơn vị", "Unit"),
    "total": ("Tổng cộng", "Total"),
    # groups
    "groups_section": ("Mức độ hài lòng theo nhóm tiêu chí",
                       "Satisfaction by group of criteria"),
    "group_heading": ("{label}: {share}", "{label}: {share}"),
    "group_chart_note": ("Tỷ lệ hài lòng (Hài lòng + Rất hài lòng) trên số câu trả lời hợp lệ N; "
                         "vạch mảnh là khoảng tin cậy 95%.",
                         "Share satisfied (Satisfied + Very satisfied) of N valid answers; "
                         "the thin line is the 95% confidence interval."),
    # likert
    "likert_section": ("Phân bố câu trả lời theo mức độ", "Distribution of answers"),
    "likert_note": ("Mỗi thanh là 100% câu trả lời hợp lệ (không tính “Không áp dụng”).",
                    "Each bar is 100% of valid answers (“not applicable” excluded)."),
    "other_questions": ("Các câu hỏi khác", "Other questions"),
    "answer": ("Câu trả lời", "Answer"),
    "count": ("Số phiếu", "Count"),
    "share": ("Tỷ lệ", "Share"),
    "question_counts": ("Hợp lệ: {valid} · Không áp dụng: {na} · Bỏ qua theo logic: {skipped} "
                        "· Không trả lời: {missing}",
                        "Valid: {valid} · Not applicable: {na} · Skipped by logic: {skipped} "
                        "· Missing: {missing}"),
    # breakdowns
    "breakdowns_section": ("Kết quả theo địa bàn và nhóm người trả lời",
                           "Results by area and respondent group"),
    "suppressed": ("ẩn", "hidden"),
    "suppressed_note": ("“ẩn”: ô (hoặc số người của một nhóm) dựa trên dưới {k} phiếu, hoặc ô được "
                        "ẩn thêm để không thể suy ra ô kia bằng phép trừ; không công bố để bảo "
                        "vệ người trả lời.",
                        "“hidden”: the cell (or a group's head count) rests on fewer than {k} "
                        "responses, or is hidden as well so that the other cannot be worked out "
                        "by subtraction; not shown, to protect respondents."),
    "not_surveyed": ("chưa khảo sát", "not surveyed"),
    "n_col": ("Số phiếu", "N"),
    # comparison
    "comparison_section": ("So sánh với đợt trước", "Comparison with the previous round"),
    "comparison_intro": ("So sánh với {round} ({period}). Thay đổi tính bằng điểm phần trăm; "
                         "“rõ rệt” khi kiểm định hai tỷ lệ cho p < {alpha}.",
                         "Compared with {round} ({period}). Changes are in percentage points; "
                         "“clear” when a two-proportion test gives p < {alpha}."),
    "p_value": ("p", "p"),
    "significant": ("Rõ rệt", "Clear"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    # children
    "children_section": ("Xếp hạng các đơn vị trực thuộc", "Ranking of units"),
    "rank": ("Hạng", "Rank"),
    "index": ("Chỉ số", "Index"),
    "children_note": ("Đơn vị có dưới {k} phiếu (và khi chỉ một đơn vị như vậy, thêm đơn vị có ít "
                      "phiếu nhất kế tiếp) không được xếp hạng; “chưa khảo sát”: đơn vị không "
                      "thuộc đợt này.",
                      "Units with fewer than {k} responses (and, when only one is, the next "
                      "smallest too) are not ranked; “not surveyed”: the unit is not in this "
                      "round."),
    # incidents
    "incidents_section": ("Phản ánh về “3 không”", "Reported “3 không” incidents"),
    "incidents_intro": ("Tỷ lệ người trả lời cho biết đã gặp tình huống dưới đây "
                        "(càng thấp càng tốt).",
                        "Share of respondents who reported the situation below "
                        "(lower is better)."),
    "reported": ("Số người gặp", "Reported"),
    # comments
    "comments_section": ("Ý kiến, kiến nghị của người dân", "Residents' comments"),
    "no_comments": ("Không có ý kiến nào.", "No comments."),
    "comments_truncated": ("Hiển thị {shown} trên {total} ý kiến (cách chọn: xem phần Phương "
                           "pháp); bản xuất dữ liệu có đủ tất cả.",
                           "Showing {shown} of {total} comments (how they are chosen: see "
                           "Methodology); the data export has them all."),
    "comments_grouped": ("Các ý kiến giống hệt nhau được gộp, kèm số lần (× 3).",
                         "Identical comments are listed once with their count (× 3)."),
    "comments_masked": ("Thông tin cá nhân trong ý kiến đã được che (xem phần Phương pháp).",
                        "Personal details in comments have been masked (see Methodology)."),
    "comment_repeats": ("× {count}", "× {count}"),
    # methodology
    "method_section": ("Phương pháp", "Methodology"),
    "method_share": ("Tỷ lệ hài lòng của một tiêu chí = số câu trả lời {satisfied} chia cho số câu "
                     "trả lời hợp lệ (N). Câu trả lời hợp lệ là câu đã được trả lời, không phải "
                     "“Không áp dụng” và không bị bỏ qua theo logic của phiếu.",
                     "An item's satisfaction share = answers {satisfied} divided by valid answers "
                     "(N). Valid answers are those given, not “not applicable” and not skipped "
                     "by the questionnaire's logic."),
    "method_index": ("Chỉ số của mỗi nhóm tiêu chí là trung bình cộng tỷ lệ hài lòng các tiêu chí "
                     "trong nhóm; chỉ số hài lòng chung là trung bình cộng chỉ số của các nhóm "
                     "(theo Chỉ số SIPAS của Bộ Nội vụ).",
                     "A group's index is the mean of its items' shares; the overall index is the "
                     "mean of the group indices (after the SIPAS index of the Ministry of Home "
                     "Affairs)."),
    "method_ci": ("Khoảng tin cậy {confidence} theo phương pháp Wilson. So sánh giữa hai đợt bằng "
                  "kiểm định hai tỷ lệ (xấp xỉ chuẩn); thay đổi được coi là rõ rệt khi p < {alpha}.",
                  "{confidence} confidence intervals by the Wilson method. Rounds are compared "
                  "with a two-proportion z-test; a change is clear when p < {alpha}."),
    "method_suppression": ("Để bảo vệ người trả lời (ngưỡng k = {k}): đơn vị có dưới {k} phiếu "
                           "không được lập báo cáo, không công bố số liệu nào, kể cả số phiếu. "
                           "Trong báo cáo, bị ẩn: tiêu chí, câu hỏi và tình huống “3 không” có "
                           "dưới {k} câu trả lời hợp lệ; nhóm tiêu chí mà mọi tiêu chí đều dưới "
                           "{k}; ô của bảng phân tổ dựa trên dưới {k} phiếu; số người của một "
                           "nhóm người trả lời (độ tuổi, giới tính…) dưới {k}; đơn vị trực thuộc "
                           "có dưới {k} phiếu. Khi trong một cột, một nhóm hay một danh sách đơn "
                           "vị chỉ có một số liệu bị ẩn, số liệu nhỏ nhất kế tiếp cũng bị ẩn để "
                           "không thể suy ra bằng phép trừ. Số liệu đợt trước dựa trên dưới {k} "
                           "phiếu không được dùng để so sánh. Số phiếu thu được của từng đơn vị "
                           "(tiến độ) vẫn được công bố. Báo cáo này ẩn {count} số liệu.",
                           "To protect respondents (threshold k = {k}): no report is made for a "
                           "unit with fewer than {k} responses, and no figure is published for "
                           "it, not even its count. Within a report, hidden are: items, "
                           "questions and “3 không” incidents with fewer than {k} valid answers; "
                           "a group of criteria whose every item has fewer than {k}; breakdown "
                           "cells resting on fewer than {k} responses; the head count of a "
                           "respondent group (age band, sex…) below {k}; child units with fewer "
                           "than {k} responses. Where only one figure of a column, a group or a "
                           "list of units is hidden, the next smallest is hidden too, so that it "
                           "cannot be worked out by subtraction. Previous-round figures resting "
                           "on fewer than {k} responses are not compared with. Each unit's number "
                           "of responses (progress) is published. This report hides {count} "
                           "figures."),
    # one-page notices in place of a report
    "notice_too_few_title": ("CHƯA ĐỦ PHIẾU ĐỂ LẬP BÁO CÁO", "TOO FEW RESPONSES TO REPORT"),
    "notice_too_few": ("{unit} có dưới {k} phiếu trong {round}. Để bảo vệ người trả lời, báo cáo "
                       "không được lập và không công bố số liệu nào, kể cả số phiếu.",
                       "{unit} has fewer than {k} responses in {round}. To protect "
                       "respondents, no report is made and no figure is published, not even "
                       "the number of responses."),
    "notice_no_data_title": ("CHƯA CÓ SỐ LIỆU", "NO DATA YET"),
    "notice_no_data": ("{round} chưa có phiếu nào của {unit}.",
                       "{round} has no responses for {unit} yet."),
    "notice_threshold": ("Ngưỡng công bố: k = {k} phiếu.", "Publication threshold: k = {k} "
                         "responses."),
    "method_comments": (
        "Ý kiến của người dân được in sau khi che: số điện thoại (di động và cố định, kể cả "
        "dạng +84), số CMND (9 chữ số), CCCD (12 chữ số) và số tài khoản (10–19 chữ số, trừ số "
        "đứng sau chữ “mã”) được thay bằng dấu *; địa chỉ e-mail thay bằng [email]; số nhà, "
        "ngõ, ngách, hẻm, kiệt kèm số thay bằng [địa chỉ]; các từ viết hoa ngay sau anh, chị, "
        "ông, bà, cô, chú, bác, em, cháu, cán bộ, đồng chí thay bằng [tên] (trừ chức danh, tên "
        "cơ quan và địa danh như “ông Chủ tịch”, “xã Bà Điểm”). Tên viết theo cách khác (không "
        "có từ xưng hô đứng trước) không được nhận ra và không bị che. Các ý kiến giống hệt "
        "nhau (không kể hoa thường, khoảng trắng) được gộp và ghi số lần. Khi có hơn {limit} ý "
        "kiến khác nhau, báo cáo lấy lần lượt từng ý kiến của mỗi đơn vị trực thuộc (ý kiến lặp"
        " lại nhiều nhất, rồi cũ nhất trước) cho đến đủ {limit}; ý kiến chỉ ghi tên tổ/thôn khi"
        " nơi đó có từ {k} phiếu trở lên.",
        "Residents' comments are printed masked: phone numbers (mobile and landline, including "
        "+84 forms), 9-digit CMND and 12-digit CCCD numbers and bank account numbers (10–19 "
        "digits, except after the word “mã”) have their digits replaced by *; e-mail addresses "
        "by [email]; house numbers and ngõ, ngách, hẻm, kiệt with a number by [địa chỉ]; the "
        "capitalised words right after anh, chị, ông, bà, cô, chú, bác, em, cháu, cán bộ or "
        "đồng chí by [tên] (except titles, offices and place names such as “ông Chủ tịch”, “xã "
        "Bà Điểm”). A name written any other way (with no such word before it) is not "
        "recognised and not masked. Identical comments (ignoring case and spacing) are listed "
        "once with their count. When there are more than {limit} distinct comments, the report "
        "takes them in turn from each child unit (most repeated, then oldest first) up to "
        "{limit}; a comment names its residential group only when that group has at least {k} "
        "responses."),
    "method_or": ("hoặc", "or"),
}


def t(key: str, lang: str, **values: object) -> str:
    vi, en = _STRINGS[key]
    text = en if lang == "en" else vi
    return text.format(**values) if values else text


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported report language: {lang!r}")
    return lang
