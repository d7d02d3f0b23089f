"""The summary of a survey round for one unit: plain, frozen data.

This is the contract between the analytics (server/analytics builds it from SQL) and the
PDF renderer (reports/pdf.py draws it). No Flask, no ORM: only dataclasses, so a summary
can be built by hand in tests (see reports/sample.py).

Conventions
- Shares are fractions in [0, 1] (0.874, not 87.4); changes are in percentage points
  (3.2 means +3.2 pp). A share is None when its denominator is 0 or it is suppressed.
- Every count that a share rests on travels with it (``valid``, ``n``): the report always
  prints the denominator next to the figure.
- Labels are ``LocalText`` (Vietnamese required, English optional, falls back to vi).
- Text is NFC-normalised by whoever builds the summary; the renderer normalises again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class LocalText:
    vi: str
    en: str = ""

    def text(self, lang: str) -> str:
        """The text in ``lang`` ("vi" or "en"), falling back to Vietnamese."""
        if lang == "en" and self.en:
            return self.en
        return self.vi

    @classmethod
    def of(cls, value: Mapping[str, str] | str | LocalText | None) -> LocalText:
        """From a form definition label ({"vi": ..., "en": ...}) or a plain string."""
        if isinstance(value, LocalText):
            return value
        if value is None:
            return cls("")
        if isinstance(value, str):
            return cls(value)
        return cls(vi=value.get("vi", ""), en=value.get("en", ""))


@dataclass(frozen=True, slots=True)
class UnitInfo:
    id: int
    name: str                       # "Phường Hoà Khánh", as the unit is called
    kind: str                       # "province" | "commune" | "residential_group" | ...
    parent_names: tuple[str, ...] = ()   # ancestors, nearest last: ("Thành phố Đà Nẵng",)


@dataclass(frozen=True, slots=True)
class RoundInfo:
    id: int
    name: str                       # "Đợt 1 năm 2025"
    starts_on: date
    ends_on: date
    form_title: LocalText = LocalText("")
    form_version: int | None = None
    status: str = "open"            # "planned" | "open" | "closed"


@dataclass(frozen=True, slots=True)
class Comparison:
    """The same figure in the previous round and whether the change is clear.

    ``p_value``/``significant`` come from a two-proportion z-test (reports.stats); they are
    None where no test applies (e.g. an index that is a mean of shares)."""
    share: float | None             # previous round's share
    valid: int                      # previous round's denominator
    change_pp: float | None         # (current - previous) * 100
    p_value: float | None = None
    significant: bool | None = None


@dataclass(frozen=True, slots=True)
class CoverageRow:
    unit_id: int
    name: str
    responses: int
    target: int | None = None

    @property
    def coverage(self) -> float | None:
        return self.responses / self.target if self.target else None


@dataclass(frozen=True, slots=True)
class Coverage:
    responses: int
    target: int | None = None
    rows: tuple[CoverageRow, ...] = ()   # per child unit / residential group

    @property
    def coverage(self) -> float | None:
        return self.responses / self.target if self.target else None


@dataclass(frozen=True, slots=True)
class ChoiceCount:
    value: str                      # the stored choice value ("4", "yes", "na")
    label: LocalText
    count: int
    suppressed: bool = False        # hidden with its breakdown row (a group count < k)


@dataclass(frozen=True, slots=True)
class QuestionSummary:
    """Distribution of one question's answers.

    ``valid`` = answered and not "not applicable"; ``distribution`` lists every choice
    (zero counts included, in choice-list order) and, for likert, the "na" choice last.
    For select_multiple, counts are per choice and may add up to more than ``valid``."""
    name: str
    label: LocalText
    type: str                       # "likert" | "select_one" | "select_multiple" | ...
    distribution: tuple[ChoiceCount, ...]
    valid: int
    skipped_by_logic: int = 0
    missing: int = 0                # relevant but unanswered
    not_applicable: int = 0
    suppressed: bool = False        # fewer than k valid answers: the distribution is not shown


@dataclass(frozen=True, slots=True)
class ItemSatisfaction:
    """Share satisfied for one likert item: satisfied / valid, with a 95% Wilson interval."""
    question: str
    label: LocalText
    group_key: str                  # the SIPAS group (or conduct key) the item belongs to
    satisfied: int
    valid: int
    share: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    previous: Comparison | None = None
    suppressed: bool = False        # fewer than k valid answers: share, interval, change hidden


@dataclass(frozen=True, slots=True)
class GroupIndex:
    """A SIPAS group (or the "5 biết" conduct block): the mean of its items' shares."""
    key: str
    label: LocalText
    share: float | None
    items: tuple[str, ...]          # question names, in form order
    previous: Comparison | None = None


@dataclass(frozen=True, slots=True)
class IncidentRate:
    """A "3 không" incident: share of valid answers reporting it (lower is better)."""
    question: str
    label: LocalText
    count: int
    valid: int
    share: float | None
    previous: Comparison | None = None
    suppressed: bool = False        # fewer than k valid answers: count and share hidden


@dataclass(frozen=True, slots=True)
class BreakdownColumn:
    key: str                        # a SIPAS group key, or "overall"
    label: LocalText


@dataclass(frozen=True, slots=True)
class BreakdownCell:
    n: int                          # responses the cell rests on
    share: float | None             # None when suppressed or n == 0
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class BreakdownRow:
    key: str                        # unit id, age band value, sex value...
    label: LocalText
    n: int                          # responses in this row
    cells: tuple[BreakdownCell, ...]   # one per table column, same order
    n_suppressed: bool = False      # the row's count is hidden (a respondent-group count < k)

    @property
    def suppressed(self) -> bool:
        return bool(self.cells) and all(cell.suppressed for cell in self.cells)


@dataclass(frozen=True, slots=True)
class BreakdownTable:
    key: str                        # "residential_group" | "age_band" | "sex"
    title: LocalText
    columns: tuple[BreakdownColumn, ...]
    rows: tuple[BreakdownRow, ...]


@dataclass(frozen=True, slots=True)
class ChildRank:
    """A child unit of a parent unit, ranked by its overall index (1 = best)."""
    unit_id: int
    name: str
    responses: int
    index: float | None             # None when suppressed
    rank: int | None                # None when suppressed (not ranked)
    suppressed: bool = False
    target: int | None = None
    previous_index: float | None = None
    surveyed: bool = True           # False: the unit is not in the round ("not surveyed")


@dataclass(frozen=True, slots=True)
class Comment:
    text: str                       # NFC, masked by reports.masking.mask_comment
    question: str = ""
    unit_name: str = ""             # residential group it came from, if known
    count: int = 1                  # identical comments (reports.comments.identity) grouped


@dataclass(frozen=True, slots=True)
class Methodology:
    satisfied_labels: tuple[LocalText, ...] = (LocalText("Hài lòng", "Satisfied"),
                                               LocalText("Rất hài lòng", "Very satisfied"))
    not_applicable_value: str = "na"
    suppression_threshold: int = 5
    suppressed_cells: int = 0       # how many figures were suppressed (cells, counts, items...)
    confidence: float = 0.95
    alpha: float = 0.05             # significance level of the round-on-round test
    comment_limit: int = 300        # most comments a report prints (reports.comments)


@dataclass(frozen=True, slots=True)
class RoundSummary:
    unit: UnitInfo
    round: RoundInfo
    issuer: LocalText               # "Ủy ban MTTQ Việt Nam phường ..."
    generated_at: datetime          # timezone-aware; printed in Asia/Ho_Chi_Minh
    coverage: Coverage
    questions: tuple[QuestionSummary, ...] = ()
    items: tuple[ItemSatisfaction, ...] = ()
    groups: tuple[GroupIndex, ...] = ()         # the five SIPAS groups
    conduct: GroupIndex | None = None           # "5 biết", when the form has it
    overall_index: float | None = None          # mean of the SIPAS group shares
    overall_previous: Comparison | None = None
    incidents: tuple[IncidentRate, ...] = ()    # "3 không"
    breakdowns: tuple[BreakdownTable, ...] = ()
    children: tuple[ChildRank, ...] = ()        # for a parent unit (province)
    previous_round: RoundInfo | None = None
    comments: tuple[Comment, ...] = ()         # the printed sample (see reports.comments)
    comment_total: int | None = None            # every comment, grouped or not; None: = shown
    methodology: Methodology = field(default_factory=Methodology)
    # None: a full report. "no_data": the round has no response for the unit yet;
    # "too_few": fewer than k responses: no figure at all is published (a one-page notice).
    withheld: str | None = None

    def question(self, name: str) -> QuestionSummary | None:
        return next((q for q in self.questions if q.name == name), None)

    def items_of(self, group_key: str) -> tuple[ItemSatisfaction, ...]:
        return tuple(item for item in self.items if item.group_key == group_key)
