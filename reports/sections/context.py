"""What every section needs: the summary, the language, the width, the section number."""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.platypus import Paragraph

from reports.i18n import t
from reports.styles import markup, rich
from reports.summary import RoundSummary


@dataclass
class Context:
    summary: RoundSummary
    lang: str
    width: float
    _sections: int = field(default=0, repr=False)

    def heading(self, key: str) -> Paragraph:
        """A numbered section heading (numbers follow the sections actually present)."""
        self._sections += 1
        return rich(markup("{n}. {title}", n=self._sections, title=t(key, self.lang)), "h1")

    def text(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)
