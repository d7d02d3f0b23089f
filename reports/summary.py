"""The summary of a survey round for one unit: plain, frozen data.

This is the contract between the analytics (server/analytics builds it from SQL) and the
PDF renderer (reports/pdf.py draws it). No Flask, no ORM: only dataclasses, so a summary
can be built by hand in tests (see reports/sample.py).

Conventions
- Shares are fractions in [0, 1] (0.874, not 87.4); changes are in percentage points
  (3.2 means +3.2 pp). A share is None when its denominator is 0 or it is suppressed.
- Every count that a share rests on travels with it (``valid``, ``n``): the report always
  prints the denominator next to the figure.
- Labels are ``LocalText`` (Vietnamese required, English and Khmer optional, fall back to vi).
- Text is NFC-normalised by whoever builds the summary; the renderer normalises again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # the section's plain data; importing it here would pull in reportlab
    from reports.sections.kiosk import KioskFigures
    from reports.sections.suggestions import SuggestionFigures


@dataclass(frozen=True, slots=True)
class LocalText:
    """A label in the report languages: Vietnamese (required), English and Khmer."""
    vi: str
    en: str = ""
    km: str = ""

    def text(self, lang: str) -> str:
        """The text in ``lang`` ("vi", "en" or "km"). A label with no text in ``lang``
        falls back to Vietnamese, also in a Khmer report: a form written in Vietnamese
        only prints its Vietnamese labels."""
        if lang == "en" and self.en:
            return self.en
        if lang == "km" and self.km:
            return self.km
        return self.vi

    @classmethod
    def of(cls, value: Mapping[str, str] | str | LocalText | None) -> LocalText:
        """From a form definition label ({"vi": ..., "en": ..., "km": ...}) or a plain
        string."""
        if isinstance(value, LocalText):
            return value
        if value is None:
            return cls("")
        if isinstance(value, str):
            return cls(value)
        return cls(vi=value.get("vi", ""), en=value.get("en", ""), km=value.get("km", ""))


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

    The rule is reports.stats': ``test`` says which test gave ``p_value`` ("z": pooled
    two-proportion z-test, "fisher": Fisher's exact test for small counts, "delta": an index
    by the delta method); ``significant`` is None (not judged) when either side has fewer
    than reports.stats.MIN_N_PER_SIDE valid answers (``too_few``) or no test applies."""
    share: float | None             # previous round's share
    valid: int                      # previous round's denominator
    change_pp: float | None         # (current - previous) * 100
    p_value: float | None = None
    significant: bool | None = None
    change_low_pp: float | None = None    # 95% interval of the change (Newcombe / delta)
    change_high_pp: float | None = None
    test: str | None = None
    too_few: bool = False           # fewer than MIN_N_PER_SIDE on a side: no judgement
    # an index compared like for like (the same items in both rounds): this round's figure
    # on those items when it differs from the printed one, and the items left out of both
    current: float | None = None
    dropped: tuple[str, ...] = ()

    @property
    def direction(self) -> int:
        """1 up, -1 down, 0 unchanged or unknown (for the ▲/▼ marks)."""
        if self.change_pp is None or abs(self.change_pp) < 0.05:
            return 0
        return 1 if self.change_pp > 0 else -1


@dataclass(frozen=True, slots=True)
class CoverageRow:
    unit_id: int
    name: str
    responses: int
    target: int | None = None

    @property
    def coverage(self) -> float | None:
        return self.responses / self.target if self.target else None

    @property
    def surveyed(self) -> bool:
        """False: the unit is not in the round (no target) and sent nothing."""
        return self.target is not None or self.responses > 0

    @property
    def over_target(self) -> bool:
        return bool(self.target) and self.responses > self.target


@dataclass(frozen=True, slots=True)
class Coverage:
    responses: int
    target: int | None = None
    rows: tuple[CoverageRow, ...] = ()   # per child unit / residential group

    @property
    def coverage(self) -> float | None:
        return self.responses / self.target if self.target else None

    @property
    def over_target(self) -> bool:
        return bool(self.target) and self.responses > self.target


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
    mean_score: float | None = None   # mean of the numeric levels (1-5), "na" left out


@dataclass(frozen=True, slots=True)
class GroupIndex:
    """A SIPAS group (or the "5 biết" conduct block): the mean of its items' shares, with a
    conservative delta-method interval (reports.stats)."""
    key: str
    label: LocalText
    share: float | None
    items: tuple[str, ...]          # question names, in form order
    previous: Comparison | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    mean_score: float | None = None   # mean of its items' mean scores
    valid: int = 0                  # valid answers of its best-answered item


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
    previous_round: str | None = None   # the round its previous index is from (per unit)
    # the change like for like (analytics.figures.overall_change): when items drop out of
    # both rounds, previous_index is on the common items and change_pp differs from
    # index - previous_index; None: computed by the reader from the two indices
    change_pp: float | None = None
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Comment:
    text: str                       # NFC, masked by reports.masking.mask_comment
    question: str = ""
    unit_name: str = ""             # residential group it came from, if known
    count: int = 1                  # identical comments (reports.comments.identity) grouped


@dataclass(frozen=True, slots=True)
class Methodology:
    satisfied_labels: tuple[LocalText, ...] = (
        LocalText("Hài lòng", "Satisfied", "ពេញចិត្ត"),
        LocalText("Rất hài lòng", "Very satisfied", "ពេញចិត្តខ្លាំង"))
    not_applicable_value: str = "na"
    suppression_threshold: int = 5
    suppressed_cells: int = 0       # how many figures were suppressed (cells, counts, items...)
    confidence: float = 0.95
    alpha: float = 0.05             # significance level of the round-on-round test
    comment_limit: int = 300        # most comments a report prints (reports.comments)
    # what the figures mean, for the methodology text (the rule is in reports.stats)
    min_n_per_side: int = 30        # no "clear change" with fewer valid answers on a side
    exact_test_below: int = 5       # Fisher's exact test when a 2x2 cell expects fewer
    index_interval: str = "delta"   # group/overall index intervals: delta method, bound at
    #                                 perfect item correlation (conservative)
    change_interval: str = "newcombe"   # interval of a share's change: Newcombe method 10
    index_groups: tuple[LocalText, ...] = ()   # the groups the SIPAS-style index averages
    not_applicable_excluded: bool = True   # "không áp dụng"/"không biết" is left out of N
    overall_question: LocalText | None = None   # the direct "Nhìn chung…" question


@dataclass(frozen=True, slots=True)
class ComparisonCoverage:
    """Who answered in each of the two rounds compared: the child units that sent responses
    in one round and none in the other (the report states them)."""
    previous_responses: int
    only_now: tuple[str, ...] = ()      # child units with responses in this round only
    only_before: tuple[str, ...] = ()   # ... in the previous round only


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
    comment_hidden: int = 0                     # comments hidden by moderation (not in total)
    # the two headline figures, named apart: the direct question (form `report.overall`, as
    # an item: share satisfied, interval, change, mean score) and the SIPAS-style index above
    overall_question: ItemSatisfaction | None = None
    trend_question: str | None = None           # form `report.trend`: its distribution's name
    overall_ci_low: float | None = None         # the overall index's delta-method interval
    overall_ci_high: float | None = None
    comparison_coverage: ComparisonCoverage | None = None
    methodology: Methodology = field(default_factory=Methodology)
    # None: a full report. "no_data": the round has no response for the unit yet;
    # "too_few": fewer than k responses: no figure at all is published (a one-page notice).
    withheld: str | None = None
    document: DocumentSettings = field(default_factory=lambda: DocumentSettings())
    # the round's days through the suggestion boxes of the unit's subtree (issue 14); None:
    # no box there, so no section
    suggestions: SuggestionFigures | None = None
    # ... and through the ratings at the one-stop desks there; None: no desk, no section
    desk_ratings: KioskFigures | None = None

    def question(self, name: str) -> QuestionSummary | None:
        return next((q for q in self.questions if q.name == name), None)

    def items_of(self, group_key: str) -> tuple[ItemSatisfaction, ...]:
        return tuple(item for item in self.items if item.group_key == group_key)


@dataclass(frozen=True, slots=True)
class DocumentSettings:
    """The report as an administrative document a chairman signs and files (the round's
    document settings). Blank fields take the report's defaults (reports.sections.cover):
    the issuer of the summary, "Số:      /BC-MTTQ", the unit's name as the place, "TM. BAN
    THƯỜNG TRỰC / CHỦ TỊCH" and "Lưu: VT" as the only recipient."""
    issuer: str = ""                # cơ quan ban hành: "Ủy ban MTTQ Việt Nam phường Hòa Khánh"
    superior: str = ""              # the body above it: "Ủy ban MTTQ Việt Nam TP Đà Nẵng"
    number: str = ""                # "12/BC-MTTQ", or just "12"
    place: str = ""                 # "Hòa Khánh" in "Hòa Khánh, ngày 25 tháng 11 năm 2026"
    signer_title: tuple[str, ...] = ()   # lines: ("TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH")
    signer_name: str = ""
    recipients: tuple[str, ...] = ()     # "Nơi nhận": ("Ban Thường trực UBMTTQ TP;", ...)
