"""A soft textbook rule that is not met: shown inline while editing, never blocking a save."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from easymall.core.i18n import t
from easymall.core.text import Lang


@dataclass(frozen=True)
class Diagnostic:
    """``level`` error = the method's rule is broken (scores are not meaningful until fixed);
    warning = outside the textbook's advice. ``where`` names the item, strategy, quadrant or
    matrix; the message is the catalogue entry ``swot.diag.<code>`` filled with ``fields``."""

    level: Literal["error", "warning"]
    code: str
    where: str
    fields: dict[str, object] = field(default_factory=dict)

    def message(self, lang: Lang = "en") -> str:
        return t(f"swot.diag.{self.code}", lang, where=self.where, **self.fields)
