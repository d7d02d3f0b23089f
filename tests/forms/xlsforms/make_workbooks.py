"""Writes the XLSForm test workbooks, laid out the way ODK and KoboToolbox users write them.

Run from the project root: .venv/bin/python tests/forms/xlsforms/make_workbooks.py
"""

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def save(name: str, sheets: dict) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(HERE / name)


# A KoboToolbox download: English first, metadata rows, Excel TRUE/FALSE, $kuid columns.
KOBO_SURVEY = [
    ["type", "name", "label::English (en)", "label::Vietnamese (vi)", "hint::English (en)",
     "hint::Vietnamese (vi)", "required", "relevant", "constraint", "constraint_message::English (en)",
     "constraint_message::Vietnamese (vi)", "appearance", "calculation", "$kuid", "$autoname"],
    ["start", "start", None, None, None, None, None, None, None, None, None, None, None, "aa1", "start"],
    ["end", "end", None, None, None, None, None, None, None, None, None, None, None, "aa2", "end"],
    ["today", "today", None, None, None, None, None, None, None, None, None, None, None, "aa3", "today"],
    ["deviceid", "deviceid", None, None, None, None, None, None, None, None, None, None, None, "aa4", "deviceid"],
    ["begin_group", "household", "Household", "Hộ gia đình", None, None, None, None, None, None, None,
     "field-list", None, "aa5", "household"],
    ["integer", "hh_size", "How many people live in your household?", "Hộ ông/bà có bao nhiêu người?",
     "Count everyone who sleeps here", "Tính cả những người ngủ tại nhà", True, None, ". >= 1 and . <= 30",
     "Between 1 and 30", "Từ 1 đến 30", None, None, "aa6", "hh_size"],
    ["select_one yes_no", "has_children", "Are there children under 6?", "Có trẻ em dưới 6 tuổi không?",
     None, None, True, None, None, None, None, None, None, "aa7", "has_children"],
    ["integer", "children", "How many?", "Bao nhiêu cháu?", None, None, True, "${has_children} = 'yes'",
     ". <= ${hh_size}", "Cannot exceed the household size", "Không thể nhiều hơn số người trong hộ",
     None, None, "aa8", "children"],
    ["end_group", None, None, None, None, None, None, None, None, None, None, None, None, "aa9", None],
    ["select_multiple services", "services_used", "Which services did you use?",
     "Ông/bà đã sử dụng dịch vụ nào?", None, None, False, None, "count-selected(.) <= 3", None, None,
     "minimal", None, "ab1", "services_used"],
    ["text", "services_other", "Which other service?", "Dịch vụ nào khác?", None, None, True,
     "selected(${services_used}, 'other')", None, None, None, None, None, "ab2", "services_other"],
    ["calculate", "service_count", None, None, None, None, None, None, None, None, None, None,
     "count-selected(${services_used})", "ab3", "service_count"],
    ["note", "thanks", "Thank you, ${service_count} services noted.", "Cảm ơn ông/bà.", None, None, None,
     None, None, None, None, None, None, "ab4", "thanks"],
]
KOBO_CHOICES = [
    ["list_name", "name", "label::English (en)", "label::Vietnamese (vi)", "$kuid"],
    ["yes_no", "yes", "Yes", "Có", "c1"],
    ["yes_no", "no", "No", "Không", "c2"],
    ["services", "birth_registration", "Birth registration", "Đăng ký khai sinh", "c3"],
    ["services", "land", "Land certificate", "Giấy chứng nhận quyền sử dụng đất", "c4"],
    ["services", "residence", "Residence registration", "Đăng ký cư trú", "c5"],
    ["services", "other", "Other", "Khác", "c6"],
]
KOBO_SETTINGS = [["form_title", "form_id", "version", "default_language"],
                 ["Khảo sát hộ gia đình", "household_survey", "2025071501", "Vietnamese (vi)"]]

# An ODK Central form: Vietnamese first, "begin group" with a space, nested groups,
# a five-point likert list with a "na" choice, a date constraint with today().
ODK_SURVEY = [
    ["type", "name", "label::Tiếng Việt (vi)", "label::English (en)", "hint::Tiếng Việt (vi)", "required",
     "relevant", "constraint", "constraint_message::Tiếng Việt (vi)", "constraint_message::English (en)",
     "appearance"],
    ["date", "visit_date", "Ngày đến trạm y tế", "Date of the visit", "Ngày gần nhất", "yes", None,
     ". <= today()", "Ngày không được sau hôm nay", "The date cannot be in the future", None],
    ["select_one age", "age_group", "Nhóm tuổi", "Age group", None, "yes", None, None, None, None, None],
    ["begin group", "experience", "Trải nghiệm", "Experience", None, None, "${age_group} != 'under_18'",
     None, None, None, None],
    ["select_one scale", "wait_time", "Thời gian chờ đợi", "Waiting time", None, "yes", None, None, None,
     None, "likert"],
    ["select_one scale", "staff", "Thái độ nhân viên y tế", "Staff attitude", None, "yes", None, None, None,
     None, "likert"],
    ["begin group", "complaint", "Khiếu nại", "Complaint", None, None, "${staff} = '1' or ${staff} = '2'",
     None, None, None, None],
    ["text", "complaint_text", "Điều gì chưa tốt?", "What went wrong?", None, "no", None,
     "string-length(.) <= 500", None, None, "multiline"],
    ["end group", "complaint", None, None, None, None, None, None, None, None, None],
    ["end group", "experience", None, None, None, None, None, None, None, None, None],
    ["select_multiple topics", "topics", "Vấn đề cần cải thiện", "What should improve", None, "no", None,
     "not(selected(., 'none') and count-selected(.) > 1)", "Không chọn 'Không có' cùng lựa chọn khác",
     "Do not pick 'none' with another choice", None],
    ["decimal", "distance_km", "Khoảng cách đến trạm (km)", "Distance to the clinic (km)", None, "no",
     None, ". >= 0", None, None, None],
]
ODK_CHOICES = [
    ["list_name", "name", "label::Tiếng Việt (vi)", "label::English (en)"],
    ["age", "under_18", "Dưới 18", "Under 18"],
    ["age", "18_59", "18 - 59", "18 - 59"],
    ["age", "60_plus", "60 trở lên", "60 and over"],
    ["scale", "1", "Rất không hài lòng", "Very dissatisfied"],
    ["scale", "2", "Không hài lòng", "Dissatisfied"],
    ["scale", "3", "Bình thường", "Neutral"],
    ["scale", "4", "Hài lòng", "Satisfied"],
    ["scale", "5", "Rất hài lòng", "Very satisfied"],
    ["scale", "na", "Không áp dụng", "Not applicable"],
    ["topics", "wait", "Thời gian chờ", "Waiting time"],
    ["topics", "cleanliness", "Vệ sinh", "Cleanliness"],
    ["topics", "none", "Không có", "None"],
]
ODK_SETTINGS = [["form_title", "form_id", "default_language", "style"],
                ["Ý kiến về trạm y tế", "clinic_feedback", "Tiếng Việt (vi)", "pages"]]

# A quick form with plain `label` / `hint` columns, capitalised headers and no settings.
PLAIN_SURVEY = [
    ["Type", "Name", "Label", "Hint", "Required", "Relevant"],
    ["select_one yn", "heard", "Ông/bà có biết về buổi tiếp xúc cử tri không?", None, "yes", None],
    ["select_one yn", "attended", "Ông/bà có tham dự không?", None, "yes", "${heard}='yes'"],
    [None, None, None, None, None, None],
    ["text", "reason", "Vì sao không tham dự?", "Có thể bỏ trống", None, "${attended} = 'no'"],
]
PLAIN_CHOICES = [["list_name", "name", "label"], ["yn", "yes", "Có"], ["yn", "no", "Không"]]

# What cannot be converted, one problem per row (see tests/forms/test_xlsform.py).
BROKEN_SURVEY = [
    ["type", "name", "label::Tiếng Việt (vi)", "required", "relevant", "constraint", "choice_filter"],
    ["begin repeat", "members", "Thành viên", None, None, None, None],                       # row 2
    ["text", "member_name", "Tên", None, None, None, None],
    ["end repeat", None, None, None, None, None, None],
    ["geopoint", "location", "Vị trí", None, None, None, None],                               # row 5
    ["text", "phone", "Số điện thoại", None, None, "regex(., '^[0-9]{10}$')", None],           # row 6
    ["select_one district", "ward", "Phường", None, None, None, "district=${province}"],      # row 7
    ["select_one yn or_other", "agree", "Đồng ý?", None, None, None, None],                   # row 8
    ["text", "notes", "Ghi chú", None, None, "jr:choice-name(${ward}, 'district')", None],     # row 9
    ["text", "follow_up", "Theo dõi", None, "${nope} = 'yes'", None, None],                   # row 10
    ["integer", "count", "Số lượng", "maybe", None, None, None],                              # row 11
    ["end group", None, None, None, None, None, None],                                         # row 12
]
BROKEN_CHOICES = [["list_name", "name", "label::Tiếng Việt (vi)"], ["yn", "yes", "Có"],
                  ["yn", None, "Không"],                                                        # row 3
                  ["district", "d1", "Quận 1"]]
BROKEN_SETTINGS = [["form_title", "form_id"], ["Phiếu lỗi", "broken_form"]]


def main() -> None:
    save("kobo_household.xlsx", {"survey": KOBO_SURVEY, "choices": KOBO_CHOICES, "settings": KOBO_SETTINGS})
    save("odk_clinic_feedback.xlsx", {"survey": ODK_SURVEY, "choices": ODK_CHOICES, "settings": ODK_SETTINGS})
    save("plain_labels.xlsx", {"survey": PLAIN_SURVEY, "choices": PLAIN_CHOICES})
    save("broken.xlsx", {"survey": BROKEN_SURVEY, "choices": BROKEN_CHOICES, "settings": BROKEN_SETTINGS})


if __name__ == "__main__":
    main()
