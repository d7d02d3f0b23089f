"""The "plan a round" form: what it shows (form versions, root units, the subtree's units
with their default targets) and how its fields become a planned round."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from server.api_fields import ID_MAX
from server.extensions import db
from server.forms.models import FormVersion
from server.rounds.form_input import LOCAL_INPUT, local_datetime, optional_number, whole_number
from server.rounds.models import Round
from server.rounds.selection import (
    chosen_units,
    default_included,
    root_choices,
    subtree_rows,
    suggested_target,
)
from server.rounds.services import (
    TARGET_MAX,
    TARGET_MIN,
    RoundRuleError,
    check_window,
    plan_new_round,
)
from server.rounds.windows import display_zone
from server.units.models import Unit

DEFAULT_TARGET = 20
DEFAULT_DAYS = 30


def _default_window() -> tuple[str, str]:
    """Tomorrow 00:00 to the end of the 30th day after, in the display zone."""
    zone = display_zone()
    start = datetime.combine(datetime.now(zone).date() + timedelta(days=1), time(0))
    end = datetime.combine(start.date() + timedelta(days=DEFAULT_DAYS), time(23, 59))
    return start.strftime(LOCAL_INPUT), end.strftime(LOCAL_INPUT)


@dataclass
class PlanForm:
    """The form's fields as sent (strings), so a refused form shows again as typed."""

    title: str = ""
    form_version_id: str = ""
    opens_at: str = ""
    closes_at: str = ""
    target_per_unit: str = str(DEFAULT_TARGET)
    late_policy: str = "accept"
    root_id: str = ""
    units_root: str = ""          # the root whose units the checkboxes below belong to
    include: list[str] = field(default_factory=list)
    targets: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, form: MultiDict) -> "PlanForm":
        opens_default, closes_default = _default_window()
        return cls(
            title=form.get("title", ""), form_version_id=form.get("form_version_id", ""),
            opens_at=form.get("opens_at") or opens_default,
            closes_at=form.get("closes_at") or closes_default,
            target_per_unit=form.get("target_per_unit") or str(DEFAULT_TARGET),
            late_policy=form.get("late_policy") or "accept", root_id=form.get("root_id", ""),
            units_root=form.get("units_root", ""), include=form.getlist("include"),
            targets={key.removeprefix("target-"): value for key, value in form.items()
                     if key.startswith("target-")})


def _id(text: str) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= ID_MAX else None


def _root(form: PlanForm) -> Unit | None:
    unit_id = _id(form.root_id)
    return db.session.get(Unit, unit_id) if unit_id else None


def published_versions() -> list[FormVersion]:
    return list(db.session.scalars(
        select(FormVersion).where(FormVersion.status == "published")
        .options(selectinload(FormVersion.form))
        .order_by(FormVersion.form_id, FormVersion.version.desc())))


def plan_page_context(form: PlanForm) -> dict:
    root = _root(form)
    rows = subtree_rows(root) if root else []
    if root is not None and form.units_root == form.root_id:
        included = {unit_id for unit_id in map(_id, form.include) if unit_id}
    else:
        included = default_included(rows)
    default = _id(form.target_per_unit) or DEFAULT_TARGET
    return {"form": form, "versions": published_versions(), "roots": root_choices(),
            "root": root, "rows": rows, "included": included,
            "suggested": {row.unit.id: suggested_target(row.child_count, default) for row in rows}}


def _included_ids(form: PlanForm) -> set[int]:
    ids = {_id(value) for value in form.include}
    if None in ids:
        raise RoundRuleError("bad_unit", "Đơn vị không hợp lệ.", "A unit is not valid.")
    return ids


def create_from_form(form: PlanForm, actor_id: int, now: datetime) -> Round:
    version_id = whole_number(form.form_version_id, 1, ID_MAX, "Mẫu phiếu", "Form")
    opens_at = local_datetime(form.opens_at, "Mở lúc", "Opens at")
    closes_at = local_datetime(form.closes_at, "Đóng lúc", "Closes at")
    check_window(opens_at, closes_at, now)
    target = whole_number(form.target_per_unit, TARGET_MIN, TARGET_MAX, "Chỉ tiêu mặc định",
                          "Default target")
    root = _root(form)
    if root is None:
        raise RoundRuleError("no_root", "Hãy chọn đơn vị gốc.", "Choose the root unit.")
    chosen = chosen_units(subtree_rows(root), _included_ids(form))
    targets = {}
    for row in chosen:
        own = optional_number(form.targets.get(str(row.unit.id)), TARGET_MIN, TARGET_MAX,
                              row.unit.name, row.unit.name)
        if own is None and not row.is_leaf:
            own = suggested_target(row.child_count, target)  # a fixed size, not the default
        if own is not None:
            targets[row.unit.id] = own
    return plan_new_round(actor_id, title=form.title, form_version_id=version_id,
                          units=[row.unit for row in chosen], opens_at=opens_at,
                          closes_at=closes_at, target_per_unit=target,
                          late_policy=form.late_policy, unit_targets=targets)


DOCUMENT_FIELDS = ("issuer", "superior", "number", "place", "signer_title", "signer_name")
# What the console calls each field, in both languages (the schema's names are English).
DOCUMENT_LABELS = {
    "issuer": ("Cơ quan ban hành", "Issuing body"),
    "superior": ("Cơ quan cấp trên", "Superior body"),
    "number": ("Số văn bản", "Document number"),
    "place": ("Địa danh", "Place"),
    "signer_title": ("Chức danh người ký", "Signer's title"),
    "signer_name": ("Họ tên người ký", "Signer's name"),
    "recipients": ("Nơi nhận", "Recipients"),
}


def document_form_values(form: MultiDict) -> dict:
    """The console's report-document fields as RoundDocumentSchema loads them: the
    "Nơi nhận" textarea holds one recipient per line."""
    values = {name: form.get(name, "") for name in DOCUMENT_FIELDS}
    values["recipients"] = form.get("recipients", "").splitlines()
    return values
