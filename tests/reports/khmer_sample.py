"""A Khmer sample report for the tests: reports.sample's commune, with every form label
carrying a Khmer translation and residents' comments written in Khmer (a few mixing in
Vietnamese place names), as in a Khmer-speaking commune of An Giang."""

from __future__ import annotations

import dataclasses

from reports.sample import sample_summary
from reports.summary import Comment, LocalText, RoundSummary

KHMER_LABELS = {
    "Phiếu khảo sát sự hài lòng của người dân": "កម្រងសំណួរស្ទង់មតិការពេញចិត្តរបស់ប្រជាពលរដ្ឋ",
    "Ủy ban MTTQ Việt Nam phường Hòa Khánh":
        "គណៈកម្មាធិការរណសិរ្សមាតុភូមិវៀតណាម សង្កាត់ Hòa Khánh",
    "Nơi ngồi chờ có đủ chỗ ngồi": "កន្លែងរង់ចាំមានកៅអីគ្រប់គ្រាន់",
    "Rất không hài lòng": "មិនពេញចិត្តខ្លាំង",
    "Không hài lòng": "មិនពេញចិត្ត",
    "Bình thường": "ធម្មតា",
    "Hài lòng": "ពេញចិត្ត",
    "Rất hài lòng": "ពេញចិត្តខ្លាំង",
    "Không áp dụng": "មិនពាក់ព័ន្ធ",
    "Trang thiết bị phục vụ người dân đầy đủ, dễ sử dụng":
        "សម្ភារៈបរិក្ខារបម្រើប្រជាពលរដ្ឋមានគ្រប់គ្រាន់ និងងាយស្រួលប្រើ",
    "Thông tin hướng dẫn được niêm yết rõ ràng, dễ hiểu":
        "ព័ត៌មានណែនាំត្រូវបានបិទផ្សាយច្បាស់លាស់ និងងាយយល់",
    "Thủ tục hành chính được niêm yết công khai, đầy đủ":
        "នីតិវិធីរដ្ឋបាលត្រូវបានបិទផ្សាយជាសាធារណៈ និងពេញលេញ",
    "Thành phần hồ sơ phải nộp đúng quy định": "ឯកសារដែលត្រូវដាក់ស្របតាមបទប្បញ្ញត្តិ",
    "Phí, lệ phí phải nộp đúng quy định": "ថ្លៃសេវា និងកម្រៃស្របតាមបទប្បញ្ញត្តិ",
    "Thời hạn giải quyết đúng quy định": "រយៈពេលដោះស្រាយស្របតាមបទប្បញ្ញត្តិ",
    "Công chức có thái độ giao tiếp lịch sự, tôn trọng người dân":
        "មន្ត្រីរាជការមានអាកប្បកិរិយាគួរសម និងគោរពប្រជាពលរដ្ឋ",
    "Công chức chú ý lắng nghe ý kiến của người dân":
        "មន្ត្រីរាជការយកចិត្តទុកដាក់ស្ដាប់មតិរបស់ប្រជាពលរដ្ឋ",
    "Công chức trả lời, giải thích đầy đủ, rõ ràng":
        "មន្ត្រីរាជការឆ្លើយ និងពន្យល់បានពេញលេញ ច្បាស់លាស់",
    "Công chức hướng dẫn kê khai hồ sơ tận tình, chu đáo":
        "មន្ត្រីរាជការណែនាំការបំពេញឯកសារដោយយកចិត្តទុកដាក់",
    "Kết quả nhận được đúng quy định": "លទ្ធផលដែលទទួលបានស្របតាមបទប្បញ្ញត្តិ",
    "Kết quả có thông tin đầy đủ, chính xác": "លទ្ធផលមានព័ត៌មានពេញលេញ និងត្រឹមត្រូវ",
    "Có hình thức tiếp nhận góp ý, phản ánh, kiến nghị": "មានមធ្យោបាយទទួលមតិ និងសំណូមពរ",
    "Cơ quan xử lý phản ánh, kiến nghị tích cực, kịp thời":
        "ស្ថាប័នដោះស្រាយសំណូមពរយ៉ាងសកម្ម និងទាន់ពេល",
    "Biết nghe dân nói": "ចេះស្ដាប់ប្រជាពលរដ្ឋនិយាយ",
    "Biết nói dân hiểu": "ចេះនិយាយឱ្យប្រជាពលរដ្ឋយល់",
    "Biết làm dân tin": "ចេះធ្វើឱ្យប្រជាពលរដ្ឋជឿទុកចិត្ត",
    "Biết xin lỗi": "ចេះសុំទោស",
    "Biết cảm ơn": "ចេះអរគុណ",
    "Nhìn chung, ông/bà hài lòng ở mức nào đối với chính quyền xã, phường nơi mình sinh sống?":
        "ជារួម តើលោកអ្នកពេញចិត្តកម្រិតណាចំពោះអាជ្ញាធរឃុំ សង្កាត់ដែលលោកអ្នករស់នៅ?",
    "So với 6 tháng trước, chính quyền phục vụ người dân thế nào?":
        "បើធៀបនឹង 6 ខែមុន តើអាជ្ញាធរបម្រើប្រជាពលរដ្ឋយ៉ាងដូចម្ដេច?",
    "Tốt hơn": "ល្អជាងមុន",
    "Như cũ": "ដូចមុន",
    "Kém hơn": "អន់ជាងមុន",
    "Tiếp cận dịch vụ": "ការទទួលបានសេវា",
    "Thủ tục hành chính": "នីតិវិធីរដ្ឋបាល",
    "Công chức giải quyết công việc": "មន្ត្រីរាជការដោះស្រាយការងារ",
    "Kết quả giải quyết công việc": "លទ្ធផលនៃការដោះស្រាយការងារ",
    "Tiếp nhận, xử lý phản ánh, kiến nghị": "ការទទួល និងដោះស្រាយសំណូមពរ",
    "Thực hiện “5 biết”": "ការអនុវត្ត “5 biết”",
    "Gặp phiền hà, sách nhiễu": "ជួបការរំខាន និងការទារប្រាក់",
    "Cán bộ né tránh trách nhiệm": "មន្ត្រីគេចវេសពីការទទួលខុសត្រូវ",
    "Bị trễ hẹn trả kết quả": "ការប្រគល់លទ្ធផលយឺតយ៉ាវ",
    "Theo tổ dân phố, thôn": "តាមក្រុម និងភូមិ",
    "Chỉ số chung": "សន្ទស្សន៍រួម",
    "Theo độ tuổi": "តាមអាយុ",
    "18–29 tuổi": "18–29 ឆ្នាំ",
    "30–44 tuổi": "30–44 ឆ្នាំ",
    "45–59 tuổi": "45–59 ឆ្នាំ",
    "60 tuổi trở lên": "60 ឆ្នាំឡើងទៅ",
    "Theo giới tính": "តាមភេទ",
    "Nữ": "ស្រី",
    "Nam": "ប្រុស",
    "Khác": "ផ្សេងៗ",
}

# what residents wrote (NFC): subscript consonants (coeng), vowels drawn before their
# consonant (េ ែ ៃ), the coeng ro drawn on the left (ប្រ, ស្រ), zero-width spaces between
# words as Khmer keyboards type them, and Vietnamese names inside Khmer sentences
KHMER_COMMENTS = (
    "សូមរៀបចំកៅអីរង់ចាំបន្ថែមនៅច្រកចេញចូលតែមួយ ព្រោះពេលព្រឹកមានមនុស្សច្រើនណាស់។",
    "មន្ត្រីទទួលភ្ញៀវរាក់ទាក់ ណែនាំច្បាស់លាស់។ សូមអរគុណគណៈកម្មាធិការប្រជាជនសង្កាត់!",
    "ឯកសារដីធ្លីរបស់ខ្ញុំយឺតពេល 2 សប្ដាហ៍ ដោយមិនបានប្រាប់មូលហេតុ។",
    "ផ្លូវក្នុងភូមិខូចខាតច្រើន សូមជួសជុលមុនរដូវវស្សា (đường ấp Phước Lợi)",
    "ក្មេងៗ\u200bទៅ\u200bសាលា\u200bរៀន\u200bពិបាក\u200bណាស់ ស្ត្រី\u200bចាស់ៗ\u200bក៏\u200bដូច្នេះ\u200bដែរ",
    "Cán bộ nói tiếng Khmer giỏi, ខ្ញុំពេញចិត្តណាស់ (ấp Tà Lọt)",
)
# one long run of Khmer with no space at all: the report must break it between syllables
KHMER_LONG_COMMENT = ("ប្រជាពលរដ្ឋនៅភូមិយើងចង់ឱ្យឃុំរៀបចំការប្រជុំផ្សព្វផ្សាយព័ត៌មានអំពីនីតិវិធី"
                      "រដ្ឋបាលជាភាសាខ្មែរឱ្យបានញឹកញាប់ជាងនេះដើម្បីឱ្យចាស់ៗយល់ច្បាស់")


def _with_khmer(value):
    if isinstance(value, LocalText):
        return dataclasses.replace(value, km=KHMER_LABELS.get(value.vi, value.km))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {field.name: _with_khmer(getattr(value, field.name))
                   for field in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_with_khmer(item) for item in value)
    return value


def khmer_summary(long_comment: bool = True) -> RoundSummary:
    summary = _with_khmer(sample_summary())
    texts = (*KHMER_COMMENTS, KHMER_LONG_COMMENT) if long_comment else KHMER_COMMENTS
    comments = tuple(Comment(text=text, question="comment", unit_name="Tổ dân phố Đà Sơn")
                     for text in texts)
    return dataclasses.replace(summary, comments=comments, comment_total=len(comments))
