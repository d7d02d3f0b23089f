"""The topic list residents pick from, maintained by the admin. The list starts with the
topics wards use on their paper boxes; an admin adds, renames and retires topics (a retired
topic stays on the messages that used it)."""

import re
import unicodedata

from sqlalchemy import func, select

from server.audit.services import record
from server.extensions import db
from server.suggestions.models import SuggestionTopic
from server.suggestions.rules import SuggestionRuleError
from server.sync.text_hygiene import BrokenText, clean_text

# (key, Vietnamese, English, Khmer): the Khmer labels serve the Khmer communities of the south.
DEFAULT_TOPICS = (
    ("dat_dai", "Đất đai", "Land", "ដីធ្លី"),
    ("ho_tich", "Hộ tịch", "Civil registration", "អត្រានុកូលដ្ឋាន"),
    ("an_ninh_trat_tu", "An ninh trật tự", "Security and public order",
     "សន្តិសុខ និងសណ្តាប់ធ្នាប់"),
    ("moi_truong", "Môi trường", "Environment", "បរិស្ថាន"),
    ("thai_do_can_bo", "Thái độ cán bộ", "Officials' attitude", "អាកប្បកិរិយារបស់មន្ត្រី"),
    ("khac", "Khác", "Other", "ផ្សេងៗ"),
)
KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
_KEY = re.compile(KEY_PATTERN)
LABEL_MAX = 120


def ensure_default_topics() -> None:
    """The default list, on a system that has no topic yet (called where boxes are made)."""
    if db.session.scalar(select(func.count()).select_from(SuggestionTopic)):
        return
    for position, (key, vi, en, km) in enumerate(DEFAULT_TOPICS):
        db.session.add(SuggestionTopic(key=key, label_vi=vi, label_en=en, label_km=km,
                                       position=position, is_active=True))
    db.session.flush()


def all_topics() -> list[SuggestionTopic]:
    return list(db.session.scalars(select(SuggestionTopic).order_by(SuggestionTopic.position,
                                                                     SuggestionTopic.id)))


def active_topics() -> list[SuggestionTopic]:
    return [topic for topic in all_topics() if topic.is_active]


def topic_by_key(key: str) -> SuggestionTopic | None:
    return db.session.scalar(select(SuggestionTopic).where(SuggestionTopic.key == key))


def _label(text: str | None, required: bool) -> str | None:
    try:
        label = " ".join(clean_text(unicodedata.normalize("NFC", text or "")).split())
    except BrokenText:
        label = ""
    if not label:
        if required:
            raise SuggestionRuleError("topic_label_required", "Thiếu tên chủ đề.",
                                      "The topic's name is missing.")
        return None
    if len(label) > LABEL_MAX:
        raise SuggestionRuleError("topic_label_too_long", f"Tên chủ đề dài quá {LABEL_MAX} ký tự.",
                                  f"A topic's name is longer than {LABEL_MAX} characters.")
    return label


def _snapshot(topic: SuggestionTopic) -> dict:
    return {"key": topic.key, "label_vi": topic.label_vi, "label_en": topic.label_en,
            "label_km": topic.label_km, "is_active": topic.is_active}


def add_topic(actor_id: int | None, key: str, label_vi: str, label_en: str | None = None,
              label_km: str | None = None) -> SuggestionTopic:
    ensure_default_topics()
    key = (key or "").strip().lower()
    if not _KEY.match(key):
        raise SuggestionRuleError("topic_key_invalid",
                                  "Mã chủ đề chỉ gồm chữ a–z, số và “_”, bắt đầu bằng chữ.",
                                  "A topic key has only a–z, digits and '_', starting with a letter.")
    if topic_by_key(key) is not None:
        raise SuggestionRuleError("topic_exists", "Đã có chủ đề với mã này.",
                                  "A topic with this key exists.", status=409)
    vi = _label(label_vi, required=True)
    position = (db.session.scalar(select(func.max(SuggestionTopic.position))) or 0) + 1
    topic = SuggestionTopic(key=key, label_vi=vi, label_en=_label(label_en, False) or vi,
                            label_km=_label(label_km, False), position=position, is_active=True)
    db.session.add(topic)
    db.session.flush()
    record(actor_id, "suggestion_topic.created", "suggestion_topic", topic.id,
           {"after": _snapshot(topic)})
    return topic


def update_topic(topic: SuggestionTopic, actor_id: int | None, label_vi: str | None = None,
                 label_en: str | None = None, label_km: str | None = None,
                 is_active: bool | None = None) -> SuggestionTopic:
    before = _snapshot(topic)
    if label_vi is not None:
        topic.label_vi = _label(label_vi, required=True)
    if label_en is not None:
        topic.label_en = _label(label_en, False) or topic.label_vi
    if label_km is not None:
        topic.label_km = _label(label_km, False)
    if is_active is not None:
        topic.is_active = is_active
    after = _snapshot(topic)
    if after != before:
        db.session.flush()
        record(actor_id, "suggestion_topic.updated", "suggestion_topic", topic.id,
               {"before": before, "after": after})
    return topic
