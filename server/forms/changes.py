"""What a draft changes against the version it follows, and which of those changes break the
comparison with earlier rounds (satisfaction is compared item by item, round to round: an item
removed or re-worded, a changed scale or choice list, an item moved to another SIPAS group).

Works on any draft, valid or not: what cannot be read is left out, never an error.
"""

# The keys compared per question ("questions" of a group is compared child by child).
QUESTION_FIELDS = ("type", "label", "hint", "required", "relevant", "constraint",
                   "constraint_message", "choices", "allow_na", "min", "max", "multiline",
                   "calculation", "appearance")
FORM_FIELDS = ("title", "description", "languages", "default_language", "report")
CHOICE_TYPES = {"select_one", "select_multiple", "likert"}

# code -> (Vietnamese, English)
MESSAGES = {
    "item_removed": (
        "Câu hỏi đánh giá '{q}' bị xóa: các đợt sau không so sánh được với đợt trước ở câu "
        "này.",
        "Satisfaction item '{q}' is removed: later rounds cannot be compared with earlier ones "
        "on it."),
    "item_reworded": (
        "Nội dung câu hỏi đánh giá '{q}' đã đổi: kết quả có thể không so sánh được với đợt "
        "trước.",
        "Satisfaction item '{q}' is re-worded: results may not compare with earlier rounds."),
    "scale_changed": (
        "Thang đánh giá của '{q}' đã đổi (mức, thứ tự, nhãn hoặc lựa chọn 'không áp dụng'): "
        "không so sánh được với đợt trước.",
        "The scale of '{q}' changed (points, order, labels or the 'not applicable' choice): "
        "it cannot be compared with earlier rounds."),
    "choices_changed": (
        "Các lựa chọn của '{q}' đã đổi: số liệu theo câu này không so sánh được với đợt trước.",
        "The choices of '{q}' changed: figures by this question cannot be compared with "
        "earlier rounds."),
    "type_changed": (
        "Loại câu hỏi '{q}' đã đổi: câu trả lời không so sánh được với đợt trước.",
        "The type of '{q}' changed: its answers cannot be compared with earlier rounds."),
    "report_group_changed": (
        "'{q}' đã chuyển sang nhóm chỉ số khác ({old} → {new}): chỉ số nhóm không so sánh "
        "được với đợt trước.",
        "'{q}' moved to another index group ({old} → {new}): the group indices cannot be "
        "compared with earlier rounds."),
    "report_group_removed": (
        "Nhóm chỉ số '{group}' bị xóa khỏi báo cáo.",
        "Index group '{group}' is removed from the report."),
    "satisfied_values_changed": (
        "Các mức được tính là hài lòng đã đổi: tỷ lệ hài lòng không so sánh được với đợt trước.",
        "The points counted as satisfied changed: satisfaction rates cannot be compared with "
        "earlier rounds."),
    "based_on_older_version": (
        "Bản nháp này bắt đầu từ phiên bản {based}, nhưng phiên bản {latest} đã được xuất bản "
        "sau đó: xuất bản sẽ bỏ những thay đổi của phiên bản {latest}.",
        "This draft started from version {based}, but version {latest} was published since: "
        "publishing drops version {latest}'s changes."),
}
NONE_GROUP = ("không nhóm", "no group")


def _warning(code: str, question: str | None, **values) -> dict:
    vi, en = MESSAGES[code]
    none_vi, none_en = NONE_GROUP
    vi_values = {k: (none_vi if v is None else v) for k, v in values.items()}
    en_values = {k: (none_en if v is None else v) for k, v in values.items()}
    return {"question": question, "code": code, "message": vi.format(q=question, **vi_values),
            "message_en": en.format(q=question, **en_values)}


def _as_dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _questions(definition: dict) -> dict[str, dict]:
    """name -> {question, parent} for every readable question in document order; the first
    of a name wins (a draft may hold anything while it is being edited)."""
    found = {}

    def visit(questions, parent):
        for question in questions if isinstance(questions, list) else []:
            if not isinstance(question, dict):
                continue
            name = question.get("name")
            if isinstance(name, str) and name not in found:
                found[name] = {"question": question, "parent": parent}
            if question.get("type") == "group":
                visit(question.get("questions"), name if isinstance(name, str) else None)

    visit(definition.get("questions"), None)
    return found


def _choice_list(definition: dict, question: dict) -> list:
    lists = _as_dict(definition.get("choice_lists"))
    name = question.get("choices")
    choices = lists.get(name) if isinstance(name, str) else None
    if not isinstance(choices, list):
        return []
    return [(c.get("value"), c.get("label")) if isinstance(c, dict) else c for c in choices]


def _report_groups(definition: dict) -> dict[str, str]:
    """item name -> the key of the report group (SIPAS group or conduct) that holds it."""
    report = _as_dict(definition.get("report"))
    groups = list(report.get("groups") or []) if isinstance(report.get("groups"), list) else []
    if isinstance(report.get("conduct"), dict):
        groups.append(report["conduct"])
    found = {}
    for group in groups:
        if not isinstance(group, dict) or not isinstance(group.get("questions"), list):
            continue
        for name in group["questions"]:
            if isinstance(name, str):
                found.setdefault(name, group.get("key"))
    return found


def _satisfaction_items(definition: dict, questions: dict) -> set[str]:
    """Items whose results are compared round to round: likert questions and every question
    the report counts satisfaction on."""
    report = _as_dict(definition.get("report"))
    items = {name for name, info in questions.items() if info["question"].get("type") == "likert"}
    items |= set(_report_groups(definition))
    items |= {report[key] for key in ("overall", "trend") if isinstance(report.get(key), str)}
    return items


def _changed_fields(old: dict, new: dict, name: str, before: dict, after: dict) -> list[str]:
    q_old, q_new = before["question"], after["question"]
    fields = [key for key in QUESTION_FIELDS if q_old.get(key) != q_new.get(key)]
    if q_new.get("type") in CHOICE_TYPES and "choices" not in fields and \
            _choice_list(old, q_old) != _choice_list(new, q_new):
        fields.append("choice_list")
    if before["parent"] != after["parent"]:
        fields.append("group")
    return fields


def _question_warnings(old: dict, new: dict, name: str, before: dict, after: dict,
                       fields: list[str], satisfaction: bool) -> list[dict]:
    q_old, q_new = before["question"], after["question"]
    old_type, new_type = q_old.get("type"), q_new.get("type")
    if old_type != new_type and not (old_type in CHOICE_TYPES and new_type in CHOICE_TYPES):
        return [_warning("type_changed", name)]
    found = []
    if satisfaction and "label" in fields:
        old_label, new_label = _as_dict(q_old.get("label")), _as_dict(q_new.get("label"))
        if any(old_label[lang] != new_label[lang] for lang in old_label if lang in new_label):
            found.append(_warning("item_reworded", name))
    if old_type in CHOICE_TYPES and (
            old_type != new_type or q_old.get("allow_na") != q_new.get("allow_na")
            or _choice_list(old, q_old) != _choice_list(new, q_new)):
        scale = satisfaction or "likert" in (old_type, new_type)
        found.append(_warning("scale_changed" if scale else "choices_changed", name))
    return found


def _report_warnings(old: dict, new: dict, shared: list[str]) -> list[dict]:
    old_report, new_report = _as_dict(old.get("report")), _as_dict(new.get("report"))
    old_groups, new_groups = _report_groups(old), _report_groups(new)
    found = []
    for name in shared:
        if name in old_groups and old_groups.get(name) != new_groups.get(name):
            found.append(_warning("report_group_changed", name, old=old_groups[name],
                                  new=new_groups.get(name)))
    for key in dict.fromkeys(old_groups.values()):
        if key is not None and key not in set(new_groups.values()):
            found.append(_warning("report_group_removed", None, group=key))
    if old_report and old_report.get("satisfied_values") != new_report.get("satisfied_values"):
        found.append(_warning("satisfied_values_changed", None))
    return found


def _order_changed(old_q: dict, new_q: dict) -> bool:
    shared_old = [name for name in old_q if name in new_q]
    shared_new = [name for name in new_q if name in old_q]
    return shared_old != shared_new


def compare_definitions(old: dict | None, new: dict) -> dict:
    """{added, removed, changed: [{question, fields}], warnings: [{question, code, message,
    message_en}], form_fields} of `new` against `old` (None: a new form, nothing to compare)."""
    new = _as_dict(new)
    if old is None:
        return {"added": list(_questions(new)), "removed": [], "changed": [], "warnings": [],
                "form_fields": []}
    old_q, new_q = _questions(old), _questions(new)
    satisfaction = _satisfaction_items(old, old_q)
    shared = [name for name in new_q if name in old_q]
    changed, warnings = [], []
    for name in old_q:
        if name not in new_q and name in satisfaction:
            warnings.append(_warning("item_removed", name))
    for name in shared:
        fields = _changed_fields(old, new, name, old_q[name], new_q[name])
        if fields:
            changed.append({"question": name, "fields": fields})
            warnings += _question_warnings(old, new, name, old_q[name], new_q[name], fields,
                                           name in satisfaction)
    warnings += _report_warnings(old, new, shared)
    form_fields = [key for key in FORM_FIELDS if old.get(key) != new.get(key)]
    if _order_changed(old_q, new_q):
        form_fields.append("order")
    return {"added": [name for name in new_q if name not in old_q],
            "removed": [name for name in old_q if name not in new_q],
            "changed": changed, "warnings": warnings, "form_fields": form_fields}


def draft_changes(definition, previous, based_on=None) -> dict:
    """The changes of a draft's definition against `previous` (drafts.previous_version), plus
    previous_version_id and previous_version, with a warning when the draft started from
    `based_on`, an older version of the family than `previous`."""
    result = compare_definitions(previous.definition if previous is not None else None,
                                 definition)
    result["previous_version_id"] = previous.id if previous is not None else None
    result["previous_version"] = previous.version if previous is not None else None
    if previous is not None and based_on is not None and based_on.form_id == previous.form_id \
            and based_on.version < previous.version:
        result["warnings"].insert(0, _warning("based_on_older_version", None,
                                              based=based_on.version, latest=previous.version))
    return result
