"""The words of the residents' pages (/y-kien/...): one table, a row per word in
Vietnamese, English and Khmer (LANGUAGES' order), the language switcher's names included.
The language is chosen with ?lang= (Vietnamese by default); the page's script gets its words
from the page."""

from flask import request

LANGUAGES = ("vi", "en", "km")

_WORDS: dict[str, tuple[str, str, str]] = {
    "language_name": ("Tiếng Việt", "English", "ភាសាខ្មែរ"),
    "title": ("Hòm thư góp ý", "Suggestion box", "ប្រអប់សំបុត្រយោបល់"),
    "intro": ("Ý kiến của ông/bà được gửi ẩn danh tới chính quyền địa phương. Không cần đăng "
              "nhập, không cần ghi tên.",
              "Your message goes anonymously to the local government. No login, no name needed.",
              "យោបល់របស់លោកអ្នកត្រូវបានផ្ញើទៅអាជ្ញាធរមូលដ្ឋានដោយអនាមិក។ មិនចាំបាច់ចូលគណនី "
              "ឬដាក់ឈ្មោះទេ។"),
    "message": ("Nội dung ý kiến", "Your message", "ខ្លឹមសារយោបល់"),
    "message_hint": ("Tối đa 2.000 ký tự.", "At most 2,000 characters.", "អតិបរមា ២០០០ តួអក្សរ។"),
    "topic": ("Chủ đề (không bắt buộc)", "Topic (optional)", "ប្រធានបទ (មិនបង្ខំ)"),
    "no_topic": ("— Không chọn —", "— None —", "— មិនជ្រើសរើស —"),
    "rating": ("Mức độ hài lòng (không bắt buộc)", "How satisfied are you? (optional)",
               "កម្រិតពេញចិត្ត (មិនបង្ខំ)"),
    "rating_1": ("Rất không hài lòng", "Very dissatisfied", "មិនពេញចិត្តខ្លាំង"),
    "rating_2": ("Không hài lòng", "Dissatisfied", "មិនពេញចិត្ត"),
    "rating_3": ("Bình thường", "Neutral", "ធម្មតា"),
    "rating_4": ("Hài lòng", "Satisfied", "ពេញចិត្ត"),
    "rating_5": ("Rất hài lòng", "Very satisfied", "ពេញចិត្តខ្លាំង"),
    "contact": ("Số điện thoại hoặc địa chỉ để nhận trả lời (không bắt buộc)",
                "Phone or address for an answer (optional)",
                "លេខទូរស័ព្ទ ឬអាសយដ្ឋាន ដើម្បីទទួលចម្លើយ (មិនបង្ខំ)"),
    "contact_hint": ("Chỉ cán bộ xử lý ý kiến được xem, không bao giờ được công bố.",
                     "Only the official handling your message sees it; it is never published.",
                     "មានតែមន្ត្រីដែលដោះស្រាយយោបល់ប៉ុណ្ណោះដែលអាចមើលបាន ហើយមិនដែលផ្សព្វផ្សាយឡើយ។"),
    "honeypot": ("Để trống ô này", "Leave this empty", "ទុកប្រអប់នេះឱ្យទទេ"),
    "send": ("Gửi ý kiến", "Send", "ផ្ញើយោបល់"),
    "sending": ("Đang gửi…", "Sending…", "កំពុងផ្ញើ…"),
    "sent": ("Đã gửi. Mã biên nhận của ông/bà:", "Sent. Your receipt code:",
             "បានផ្ញើ។ លេខបង្កាន់ដៃរបស់លោកអ្នក៖"),
    "keep_receipt": ("Hãy ghi lại mã này để xem câu trả lời.",
                     "Keep this code to read the answer.",
                     "សូមរក្សាលេខនេះទុក ដើម្បីមើលចម្លើយ។"),
    "queued": ("Chưa có mạng: ý kiến đã được lưu trên máy và sẽ tự gửi khi có mạng. Hãy giữ "
               "trang này mở.",
               "No connection: your message is saved on this phone and will be sent when the "
               "connection is back. Keep this page open.",
               "គ្មានបណ្ដាញ៖ យោបល់ត្រូវបានរក្សាទុកក្នុងទូរស័ព្ទ ហើយនឹងផ្ញើដោយស្វ័យប្រវត្តិនៅពេលមានបណ្ដាញ។ "
               "សូមទុកទំព័រនេះបើក។"),
    "waiting": ("Đang chờ gửi:", "Waiting to be sent:", "កំពុងរង់ចាំផ្ញើ៖"),
    "failed": ("Không gửi được:", "Not sent:", "មិនអាចផ្ញើបាន៖"),
    "your_receipts": ("Mã biên nhận đã nhận trên máy này", "Receipts on this phone",
                      "លេខបង្កាន់ដៃនៅលើទូរស័ព្ទនេះ"),
    "follow_up": ("Xem trả lời", "Read the answer", "មើលចម្លើយ"),
    "follow_up_title": ("Theo dõi ý kiến", "Follow up a message", "តាមដានយោបល់"),
    "receipt_label": ("Mã biên nhận", "Receipt code", "លេខបង្កាន់ដៃ"),
    "look_up": ("Xem", "Look up", "មើល"),
    "received": ("Đã nhận lúc", "Received", "បានទទួលនៅ"),
    "status": ("Tình trạng", "Status", "ស្ថានភាព"),
    "status_new": ("Đã nhận, chờ xử lý", "Received, waiting", "បានទទួល កំពុងរង់ចាំ"),
    "status_assigned": ("Đang xử lý", "Being handled", "កំពុងដោះស្រាយ"),
    "status_answered": ("Đã trả lời", "Answered", "បានឆ្លើយ"),
    "status_closed": ("Đã đóng", "Closed", "បានបិទ"),
    "replies": ("Trả lời của chính quyền", "The government's answer", "ចម្លើយរបស់អាជ្ញាធរ"),
    "no_reply": ("Chưa có trả lời. Vui lòng quay lại sau.", "No answer yet. Please come back later.",
                 "មិនទាន់មានចម្លើយ។ សូមត្រឡប់មកវិញពេលក្រោយ។"),
    "published": ("Ý kiến đã được trả lời", "Answered messages", "យោបល់ដែលបានឆ្លើយ"),
    "missing_title": ("Không tìm thấy", "Not found", "រកមិនឃើញ"),
    "missing_box": ("Không tìm thấy hòm thư này, hoặc hòm thư đã đóng. Vui lòng kiểm tra lại mã "
                    "trên áp phích.",
                    "This suggestion box does not exist or is closed. Please check the code on "
                    "the poster.",
                    "រកមិនឃើញប្រអប់សំបុត្រនេះ ឬប្រអប់ត្រូវបានបិទ។ សូមពិនិត្យលេខកូដលើផ្ទាំងរូបភាពម្ដងទៀត។"),
    "missing_receipt": ("Không tìm thấy ý kiến với mã biên nhận này. Vui lòng kiểm tra lại mã.",
                        "No message has this receipt code. Please check the code.",
                        "រកមិនឃើញយោបល់ដែលមានលេខបង្កាន់ដៃនេះទេ។ សូមពិនិត្យលេខម្ដងទៀត។"),
    "network_error": ("Lỗi mạng", "Network error", "បញ្ហាបណ្ដាញ"),
    "noscript": ("Trang này cần bật JavaScript để gửi ý kiến.",
                 "This page needs JavaScript to send a message.",
                 "ទំព័រនេះត្រូវការ JavaScript ដើម្បីផ្ញើយោបល់។"),
}


def public_lang() -> str:
    asked = request.args.get("lang")
    return asked if asked in LANGUAGES else "vi"


def words(lang: str) -> dict[str, str]:
    index = LANGUAGES.index(lang)
    return {key: values[index] for key, values in _WORDS.items()}


def page_words() -> dict:
    """What every residents' page is rendered with: the request's language, its words, and
    the language switcher (each language named in itself)."""
    lang = public_lang()
    return {"lang": lang, "w": words(lang), "languages": LANGUAGES,
            "language_names": dict(zip(LANGUAGES, _WORDS["language_name"], strict=True))}
