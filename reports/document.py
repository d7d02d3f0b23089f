"""The report as a Vietnamese administrative document (after Nghị định 30/2020/NĐ-CP on
the form of administrative documents): what the header and the signature block say, with
the defaults for what a round leaves blank, and the rule drawn under a heading line.

Plain data in, plain text out; the cover (reports.sections.cover) and the closing
(reports.sections.closing) lay them out."""

from __future__ import annotations

from datetime import UTC

from reportlab.platypus import Flowable

from reports.formatting import VIETNAM
from reports.i18n import t
from reports.i18n_km import KHMER_MONTHS
from reports.scripts import text_width
from reports.styles import clean
from reports.summary import RoundSummary

NUMBER_SUFFIX = "/BC-MTTQ"       # BC: báo cáo; MTTQ: the Fatherland Front's abbreviation
BLANK_NUMBER = "\u00a0" * 8      # room to write the number in by hand, kept on one line
# Words naming a unit's kind, dropped to get the place of the date line ("Phường Hòa
# Khánh" -> "Hòa Khánh"); the longest first so "thành phố" wins over "phố"-like prefixes.
_KIND_WORDS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "tỉnh", "huyện",
               "quận", "xã")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def issuer(summary: RoundSummary, lang: str) -> str:
    return summary.document.issuer or summary.issuer.text(lang)


def document_number(summary: RoundSummary, lang: str) -> str:
    """"Số: 12/BC-MTTQ"; just "12" gets the suffix; blank leaves room: "Số:        /BC-MTTQ"."""
    number = summary.document.number.strip()
    if not number:
        number = BLANK_NUMBER + NUMBER_SUFFIX
    elif "/" not in number:
        number += NUMBER_SUFFIX
    return t("document_number", lang, number=number)


def place(summary: RoundSummary) -> str:
    if summary.document.place:
        return summary.document.place
    name = summary.unit.name.strip()
    for word in _KIND_WORDS:
        if name.lower().startswith(word + " "):
            return name[len(word) + 1:].strip()
    return name


def place_and_date(summary: RoundSummary, lang: str) -> str:
    """"Hòa Khánh, ngày 25 tháng 11 năm 2026": the day the report was made, Viet Nam time."""
    moment = summary.generated_at
    day = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(VIETNAM).date()
    if lang == "vi":
        # a day under 10 and the months 1 and 2 take a leading zero (Nghị định 30, Phụ lục I:
        # "ngày 05 tháng 01", but "tháng 6")
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        return f"{place(summary)}, ngày {day.day:02d} tháng {month} năm {day.year}"
    if lang == "km":
        return f"{place(summary)}, ថ្ងៃទី {day.day} ខែ{KHMER_MONTHS[day.month - 1]} ឆ្នាំ {day.year}"
    return f"{place(summary)}, {day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def signer_title(summary: RoundSummary, lang: str) -> tuple[str, ...]:
    return summary.document.signer_title or tuple(
        t("signer_default", lang).split("\n"))


def recipients(summary: RoundSummary, lang: str) -> tuple[str, ...]:
    return summary.document.recipients or (t("recipient_default", lang),)


class CenteredRule(Flowable):
    """A horizontal rule centred in the space it is given: as long as ``text`` set in
    ``font`` at ``size`` (the rule under the tiêu ngữ), or ``fraction`` of the width (the
    rule under the issuing body). Its height includes the gaps above and below it, so it
    never touches the line of text above it, wherever it is placed (a table cell too)."""

    def __init__(self, *, text: str = "", font: str = "", size: float = 0.0,
                 fraction: float = 0.0, thickness: float = 0.6, above: float = 2.0,
                 below: float = 4.0):
        super().__init__()
        self.text, self.font, self.size, self.fraction = clean(text), font, size, fraction
        self.thickness, self.above, self.below = thickness, above, below
        self.length = 0.0

    def wrap(self, available_width, available_height):
        wanted = (text_width(self.text, self.font, self.size) if self.text
                  else available_width * self.fraction)
        self.length = min(wanted, available_width)
        self.width = available_width
        return available_width, self.above + self.thickness + self.below

    def draw(self):
        canvas = self.canv
        y = self.below + self.thickness / 2
        start = (self.width - self.length) / 2
        canvas.saveState()
        canvas.setLineWidth(self.thickness)
        canvas.line(start, y, start + self.length, y)
        canvas.restoreState()
