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
    "suppressed_note": ("“ẩn”: ô dựa trên dưới {k} phiếu, không công bố để bảo vệ người trả lời "
                        "và vì số liệu không đủ tin cậy.",
                        "“hidden”: the cell rests on fewer than {k} responses and is not shown, "
                        "to protect respondents and because the figure would be unreliable."),
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
    "children_note": ("Đơn vị có dưới {k} phiếu không được xếp hạng.",
                      "Units with fewer than {k} responses are not ranked."),
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
    "comments_truncated": ("Hiển thị {shown} trên tổng số {total} ý kiến.",
                           "Showing {shown} of {total} comments."),
    "comments_masked": ("Số điện thoại và số giấy tờ tùy thân trong ý kiến đã được che (***).",
                        "Phone and ID numbers in comments have been masked (***)."),
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
    "method_suppression": ("Để bảo vệ người trả lời, mọi ô dựa trên dưới {k} phiếu đều bị ẩn "
                           "({count} ô trong báo cáo này).",
                           "To protect respondents, every cell resting on fewer than {k} "
                           "responses is hidden ({count} in this report)."),
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
