"""The report's own words, Vietnamese first, English second; Khmer in reports.i18n_km.

``t(key, lang, **values)`` returns plain text (never markup): callers escape it before
it goes into a Paragraph.
"""

from __future__ import annotations

from reports.i18n_km import KHMER

LANGUAGES = ("vi", "en", "km")

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
    "method_ci": ("Khoảng tin cậy {confidence} của một tỷ lệ theo phương pháp Wilson; của chỉ số "
                  "nhóm và chỉ số chung theo phương pháp delta, lấy cận trên của phương sai (coi "
                  "các tiêu chí tương quan hoàn toàn), nên khoảng này không hẹp hơn khoảng thực. "
                  "So sánh hai đợt: kiểm định hai tỷ lệ, hoặc kiểm định chính xác Fisher khi một "
                  "ô của bảng 2×2 có giá trị kỳ vọng dưới {exact_test_below}; khoảng tin cậy của "
                  "thay đổi theo Newcombe (phương pháp 10). Thay đổi là “rõ rệt” khi p < {alpha} "
                  "và mỗi đợt có ít nhất {min_n_per_side} câu trả lời hợp lệ. Mỗi đơn vị được so "
                  "với đợt gần nhất đã kết thúc, cùng mẫu phiếu, mà đơn vị có từ {k} phiếu; chỉ "
                  "số được so trên cùng các tiêu chí có câu trả lời ở cả hai đợt (*). Làm tròn "
                  "nửa lên (xa số 0), thống nhất trong PDF, trang web và dữ liệu xuất.",
                  "{confidence} intervals: Wilson for a share; for group and overall indices the "
                  "delta method at the variance's upper bound (items taken as perfectly "
                  "correlated), so never narrower than the true interval. Rounds are compared "
                  "with a two-proportion z-test, or Fisher's exact test when a 2×2 cell expects "
                  "fewer than {exact_test_below}; the change's interval is Newcombe's method 10. "
                  "A change is clear when p < {alpha} and each round has at least "
                  "{min_n_per_side} valid answers. Each unit is compared with its latest earlier "
                  "closed round of the same form with at least {k} responses; indices on the "
                  "items answered in both rounds (*). Rounding is half away from zero, the same "
                  "in the PDF, the web pages and the exports."),
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
    # suggestion box (issue 14, area "suggestions")
    "sb_section": ("Hòm thư góp ý", "Suggestion box"),
    "sb_intro": ("Ý kiến người dân gửi qua hòm thư góp ý điện tử của {unit} từ {start} đến {end}.",
                 "Messages residents left in the electronic suggestion boxes of {unit} from "
                 "{start} to {end}."),
    "sb_no_data": ("Chưa có ý kiến nào trong thời gian này.",
                   "No message was received in this period."),
    "sb_too_few": ("Có ít hơn {k} ý kiến trong thời gian này: số liệu không được công bố để bảo "
                   "vệ người gửi.",
                   "Fewer than {k} messages were received in this period: no figures are shown, "
                   "to protect the senders."),
    "sb_messages": ("Số ý kiến", "Messages"),
    "sb_topic": ("Chủ đề", "Topic"),
    "sb_no_topic": ("Không chọn chủ đề", "No topic chosen"),
    "sb_status_new": ("Mới", "New"),
    "sb_status_assigned": ("Đang xử lý", "Being handled"),
    "sb_status_answered": ("Đã trả lời", "Answered"),
    "sb_status_closed": ("Đã đóng", "Closed"),
    "sb_median_reply": ("Thời gian trả lời lần đầu (trung vị)", "Median time to first reply"),
    "sb_answered_7": ("Trả lời trong 7 ngày", "Answered within 7 days"),
    "sb_hours": ("{value} giờ", "{value} hours"),
    "sb_days": ("{value} ngày", "{value} days"),
    "sb_note": ("Ô “ẩn”: ít hơn {k} ý kiến (hoặc ẩn thêm để không suy ra được ô đã ẩn). Tỷ lệ "
                "trả lời trong 7 ngày tính trên các ý kiến đã nhận từ 7 ngày trở lên hoặc đã "
                "được trả lời (N={n}). Nội dung ý kiến không in trong báo cáo.",
                "“hidden”: fewer than {k} messages (or hidden as well so that a hidden cell "
                "cannot be worked out). The share answered within 7 days counts messages "
                "received at least 7 days ago or already answered (N={n}). The messages' text "
                "is not printed in the report."),
    # --- "document" area (issue 10): the administrative document, provisional marks, key
    # findings, plain methodology and its technical annex (reports.document,
    # sections/narrative.py, sections/closing.py)
    "document_number": ("Số: {number}", "No. {number}"),
    "signer_default": ("TM. BAN THƯỜNG TRỰC\nCHỦ TỊCH",
                       "ON BEHALF OF THE STANDING BOARD\nCHAIR"),
    "recipient_default": ("Lưu: VT.", "Filed: Office."),
    "recipients_label": ("Nơi nhận:", "Recipients:"),
    "provisional": ("TẠM THỜI", "PROVISIONAL"),
    "provisional_band": ("Đợt khảo sát chưa kết thúc: số liệu có thể còn thay đổi, chưa phải "
                         "báo cáo chính thức.",
                         "The round is still open: figures may change; this is not the final "
                         "report."),
    "findings_section": ("Những điểm chính", "Key findings"),
    "finding_responses": ("{unit} thu được {responses} phiếu trả lời trong {round}.",
                          "{unit} received {responses} responses in {round}."),
    "finding_responses_target": ("{unit} thu được {responses} phiếu trả lời trong {round}, "
                                 "bằng {coverage} chỉ tiêu ({target} phiếu).",
                                 "{unit} received {responses} responses in {round}, "
                                 "{coverage} of the target of {target}."),
    "finding_direct": ("Khi được hỏi trực tiếp, {share} người trả lời hài lòng hoặc rất hài "
                       "lòng với chính quyền địa phương{change}.",
                       "Asked directly, {share} of respondents are satisfied or very "
                       "satisfied with their local government{change}."),
    "finding_overall": ("Chỉ số hài lòng theo SIPAS (trung bình các nhóm tiêu chí) là "
                        "{share}{change}.",
                        "The SIPAS-style index (the mean of the groups of criteria) is "
                        "{share}{change}."),
    "finding_change_since": (", {change} so với đợt trước{judged}",
                             ", {change} on the previous round{judged}"),
    "finding_clear": (" (rõ rệt)", " (a clear change)"),
    "finding_not_clear": (" (chưa rõ rệt, có thể chỉ do ngẫu nhiên)",
                          " (not clear: it may be chance)"),
    "finding_up": ("tăng {pp} điểm phần trăm", "up {pp} percentage points"),
    "finding_down": ("giảm {pp} điểm phần trăm", "down {pp} percentage points"),
    "finding_same": ("không đổi", "unchanged"),
    "finding_strongest": ("Người dân hài lòng nhất với: {items}.",
                          "Residents are most satisfied with: {items}."),
    "finding_weakest": ("Hài lòng thấp nhất ở: {items}.",
                        "Satisfaction is lowest for: {items}."),
    "finding_item": ("{label} ({share})", "{label} ({share})"),
    "finding_rises": ("Tăng rõ rệt so với đợt trước: {items}.",
                      "Clear rises since the previous round: {items}."),
    "finding_falls": ("Giảm rõ rệt so với đợt trước: {items}.",
                      "Clear falls since the previous round: {items}."),
    "finding_change_item": ("{label} ({change})", "{label} ({change})"),
    "finding_no_clear_change": ("Không tiêu chí nào thay đổi rõ rệt so với đợt trước; các "
                                "chênh lệch nhỏ có thể chỉ do ngẫu nhiên.",
                                "No item changed clearly since the previous round; small "
                                "differences may be chance."),
    "finding_no_previous": ("Chưa có đợt khảo sát trước để so sánh.",
                            "There is no earlier round to compare with yet."),
    "finding_incidents": ("Về “3 không”: {items}.", "On the “3 không” incidents: {items}."),
    "finding_incident": ("{share} người trả lời cho biết “{label}” ({count} trên "
                         "{valid} người)",
                         "{share} of respondents reported “{label}” ({count} of {valid})"),
    "finding_see_more": ("Chi tiết ở các phần sau; cách tính ở phần Phương pháp và Phụ lục.",
                         "Details follow; how the figures are worked out is in Methodology "
                         "and the Annex."),
    "method_plain_share": ("Với mỗi tiêu chí, tỷ lệ hài lòng là phần trăm người chọn "
                           "{satisfied} trong số người đã trả lời tiêu chí đó; người chọn "
                           "“Không áp dụng” hoặc không được hỏi (do câu trả lời trước) không "
                           "được tính.",
                           "For each item, the satisfaction share is the percentage of those "
                           "who answered it who chose {satisfied}; those who chose “not "
                           "applicable” or were not asked (because of an earlier answer) are "
                           "not counted."),
    "method_plain_index": ("Chỉ số của một nhóm tiêu chí là trung bình các tỷ lệ đó; chỉ số "
                           "hài lòng theo SIPAS là trung bình của các nhóm. Tỷ lệ hài lòng "
                           "chung là kết quả của câu hỏi trực tiếp về sự hài lòng chung, tính "
                           "như một tiêu chí.",
                           "A group's index is the average of those shares; the SIPAS-style "
                           "index is the average of the groups. Overall satisfaction is the "
                           "answer to the direct question on overall satisfaction, worked out "
                           "like an item."),
    "method_plain_change": ("Vì chỉ một phần người dân được hỏi, mỗi con số có sai số; báo "
                            "cáo chỉ gọi một thay đổi là “rõ rệt” khi nó khó có thể chỉ do "
                            "ngẫu nhiên và mỗi đợt có ít nhất {min_n} câu trả lời (cách kiểm "
                            "tra ở Phụ lục). Đơn vị được so với đợt khảo sát gần nhất trước đó "
                            "mà đơn vị có đủ phiếu, và chỉ số được so trên cùng các tiêu chí. "
                            "Mọi con số được làm tròn theo cùng một cách trong báo cáo, trang "
                            "web và dữ liệu xuất.",
                            "Because only some residents are asked, every figure has a margin "
                            "of error; a change is called “clear” only when it is unlikely to "
                            "be chance alone and each round has at least {min_n} answers (the "
                            "test is in the Annex). A unit is compared with its latest earlier "
                            "round with enough responses, and indices on the same items. Every "
                            "figure is rounded the same way in the report, the web pages and "
                            "the exports."),
    "method_plain_privacy": ("Để không ai bị nhận ra qua câu trả lời, số liệu dựa trên dưới "
                             "{k} người được ẩn; trong ý kiến, số điện thoại, số giấy tờ, địa "
                             "chỉ và tên đứng sau từ xưng hô được che (chi tiết và giới hạn ở "
                             "Phụ lục).",
                             "So that no one can be recognised from their answers, figures "
                             "resting on fewer than {k} people are hidden; in comments, phone "
                             "and ID numbers, addresses and names after a title are masked "
                             "(details and limits in the Annex)."),
    "annex_section": ("PHỤ LỤC: PHƯƠNG PHÁP TÍNH (CHI TIẾT KỸ THUẬT)",
                      "ANNEX: HOW THE FIGURES ARE WORKED OUT (TECHNICAL DETAIL)"),
    "annex_intro": ("Kèm theo báo cáo {number}.", "Attached to report {number}."),
    # --- "figures" area (issue 10, honest figures): the two headline figures, intervals,
    # mean scores, like-for-like comparisons, per-unit previous rounds, coverage flags
    # (reports/sections/overview.py, results.py, comparison.py, breakdowns.py)
    "direct_question": ("Hài lòng chung (câu hỏi trực tiếp)",
                        "Overall satisfaction (direct question)"),
    "sipas_index": ("Chỉ số hài lòng theo SIPAS ({groups} nhóm)",
                    "SIPAS-style satisfaction index ({groups} groups)"),
    "headline_direct_note": ("Hài lòng chung: tỷ lệ người trả lời “Hài lòng” hoặc “Rất hài "
                             "lòng” ở câu “{question}”.",
                             "Overall satisfaction: the share answering “Satisfied” or “Very "
                             "satisfied” to “{question}”."),
    "headline_index_note": ("Chỉ số theo SIPAS: với mỗi nhóm ({groups}), trung bình cộng "
                            "(không trọng số) tỷ lệ hài lòng của các tiêu chí trong nhóm; rồi "
                            "trung bình cộng các nhóm. Câu trả lời “Không áp dụng” không được "
                            "tính vào N.",
                            "SIPAS-style index: for each group ({groups}), the unweighted mean "
                            "of its items' satisfaction shares; then the mean of the groups. "
                            "“Not applicable” answers are left out of N."),
    "interval_n": ("KTC 95%: {interval} · N={n}", "95% CI: {interval} · N={n}"),
    "mean_score_of": ("Điểm trung bình: {mean}/5", "Mean score: {mean}/5"),
    "ci_col": ("KTC 95%", "95% CI"),
    "mean_col": ("Điểm TB", "Mean"),
    "satisfied_col": ("Hài lòng", "Satisfied"),
    "too_few_to_judge": ("chưa đủ N", "too few"),
    "like_for_like_note": ("*: so sánh trên cùng các tiêu chí có câu trả lời hợp lệ ở cả hai "
                           "đợt; không tính: {items}.",
                           "*: compared on the same items, those with valid answers in both "
                           "rounds; left out: {items}."),
    "compared_previous": ("Đợt so sánh ({round}) có {n} phiếu.",
                          "The round compared with ({round}) had {n} responses."),
    "coverage_only_now": ("Có phiếu ở đợt này nhưng không có ở đợt so sánh: {units}.",
                          "Responses in this round but none in the round compared with: "
                          "{units}."),
    "coverage_only_before": ("Có phiếu ở đợt so sánh nhưng không có ở đợt này: {units}.",
                             "Responses in the round compared with but none in this round: "
                             "{units}."),
    "over_target_note": ("“> 100%”: số phiếu vượt chỉ tiêu; cần xem lại chỉ tiêu.",
                         "“> 100%”: more responses than the target; check the target."),
    "trend_line": ("{label}: {values} (N={n}).", "{label}: {values} (N={n})."),
    "comparison_rule": ("So sánh với {round} ({period}). Thay đổi tính bằng điểm phần trăm, "
                        "dòng dưới là khoảng tin cậy 95% của thay đổi. “Rõ rệt” khi p < {alpha} "
                        "và mỗi đợt có ít nhất {min_n} câu trả lời hợp lệ (“chưa đủ N”: dưới "
                        "{min_n}, không kết luận). Tỷ lệ: kiểm định hai tỷ lệ, hoặc kiểm định "
                        "chính xác Fisher khi số đếm nhỏ; chỉ số: phương pháp delta.",
                        "Compared with {round} ({period}). Changes are in percentage points, "
                        "with their 95% confidence interval below. “Clear” when p < {alpha} and "
                        "each round has at least {min_n} valid answers (“too few”: fewer than "
                        "{min_n}, no judgement). Shares: two-proportion z-test, or Fisher's "
                        "exact test for small counts; indices: the delta method."),
    "child_previous_round": ("{index} ({round})", "{index} ({round})"),
    "children_previous_note": ("Mỗi đơn vị được so với đợt gần nhất trước đó mà đơn vị có từ "
                               "{k} phiếu trở lên; tên đợt ghi trong ngoặc khi khác {round}.",
                               "Each unit is compared with its latest earlier round with at "
                               "least {k} responses; the round is named in brackets when it is "
                               "not {round}."),
    "items_table": ("Tiêu chí", "Item"),
    # --- "reportfix" area (issue 10/14 follow-ups): like-for-like changes in the key
    # findings, comments hidden by moderation (reports/sections/narrative.py, closing.py)
    "finding_change_since_same_items": (
        ", {change} so với đợt trước khi so trên cùng các tiêu chí có câu trả lời ở cả hai đợt "
        "({now} so với {before}){judged}",
        ", {change} on the previous round when compared on the items answered in both rounds "
        "({now} against {before}){judged}"),
    "method_moderation": ("{count} ý kiến đã được ẩn khi kiểm duyệt: không in trong báo cáo "
                          "và không tính trong số ý kiến ở trên.",
                          "{count} comments were hidden in moderation: they are not printed in "
                          "the report nor counted in the number of comments above."),
    # --- the one-stop-desk section (reports/sections/kiosk.py)
    "kiosk_section": ("Đánh giá tại bộ phận một cửa", "Ratings at the one-stop desk"),
    "kiosk_intro": ("Người dân tự đánh giá trên máy tính bảng tại bàn tiếp nhận và trả kết quả "
                    "của {unit}, từ {start} đến {end}.",
                    "Residents' own ratings on the tablet at the one-stop desk of {unit}, "
                    "{start} to {end}."),
    "kiosk_no_data": ("Chưa có đánh giá nào trong kỳ này.", "No rating in this period yet."),
    "kiosk_too_few": ("Có ít hơn {k} đánh giá: không công bố số liệu để bảo vệ người đánh giá.",
                      "Fewer than {k} ratings: no figures are shown, to protect those who "
                      "rated."),
    "kiosk_ratings": ("Số đánh giá hợp lệ", "Valid ratings"),
    "kiosk_flagged": ("Đánh giá bị đánh dấu (quá dày, không tính)",
                      "Flagged ratings (too close together, not counted)"),
    "kiosk_by_service": ("Theo thủ tục", "By service"),
    "kiosk_by_week": ("Theo tuần", "By week"),
    "kiosk_service": ("Thủ tục", "Service"),
    "kiosk_no_service": ("(không chọn thủ tục)", "(no service picked)"),
    "kiosk_week_of": ("Tuần từ {day}", "Week of {day}"),
    "kiosk_n": ("Số đánh giá", "Ratings"),
    "kiosk_interval": ("Khoảng tin cậy 95%", "95% interval"),
    "kiosk_note": ("Hài lòng = \"Hài lòng\" hoặc \"Rất hài lòng\". Dòng có ít hơn {k} đánh giá "
                   "được ẩn (và thêm một dòng nếu cần, để không suy ra được bằng phép trừ). "
                   "Khoảng tin cậy Wilson 95%.",
                   "Satisfied = \"Satisfied\" or \"Very satisfied\". Rows with fewer than {k} "
                   "ratings are hidden (and one more where needed, so none can be found by "
                   "subtraction). Wilson 95% interval."),
}


def t(key: str, lang: str, **values: object) -> str:
    """The report string ``key`` in ``lang``. A Khmer report falls back to Vietnamese for a
    string with no Khmer translation yet (tests/reports/test_khmer_strings.py lists them):
    Vietnamese is the language every official reading it also reads."""
    vi, en = _STRINGS[key]
    if lang == "km":
        text = KHMER.get(key) or vi
    else:
        text = en if lang == "en" else vi
    return text.format(**values) if values else text


def string_keys() -> tuple[str, ...]:
    """Every report string's key, in the order they are written."""
    return tuple(_STRINGS)


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported report language: {lang!r}")
    return lang
