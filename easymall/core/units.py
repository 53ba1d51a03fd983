"""One formatter for every figure the app shows: cards, tables, evidence, chart labels, exports.

:func:`format_value` is the only place a number becomes text, so the same figure reads the same on
the Overview, as SWOT evidence, on Segments, Strategy and in a deck, in each language.

Units (what ``value`` is measured in):

=================  ==========================================  =========================================
unit               value                                       reads (en / zh)
=================  ==========================================  =========================================
``yuan``           yuan                                        ``¥285`` / ``285 元``; large amounts scale
``CNY m/bn/tn``    millions / billions / trillions of yuan      as ``yuan``: ``¥120.7 bn`` / ``1,207 亿元``
``users``          people (also ``orders``, ``count``, ...)    ``25.3 m`` / ``2,530 万``
``million users``  millions of people                          as ``users``
``share``          a fraction 0–1                              ``23.4%`` (signed: ``+1.2 pp``)
``%``              a percentage 0–100                          ``23.4%``
``score``          a mean rating                               ``3.42``
``nps``            net promoter score −100…100                 ``+12`` / ``−5``
``month``          a month number                              ``24``
``ratio``          a dimensionless ratio                       ``1.85``
``date``           (no number: facts that are events)           empty
=================  ==========================================  =========================================

Scaling rule (one scale per language, the same on cards, axes, tables, inputs and exports): large
amounts of money read in ``bn`` (10⁹) in English and ``亿元`` (10⁸) in Chinese — ¥3.092 tn is
``¥3,092 bn`` / ``30,920 亿元``, never a third unit; smaller amounts in ``m`` / ``万元``, below that
in yuan. People read in ``m`` (10⁶) in English and ``万`` (10⁴) in Chinese (253 m = ``25,300 万``).
:func:`scale` gives the same divisor for axes, table columns and inputs; :func:`to_display` and
:func:`from_display` turn a value into the number a person sees (or types) and back, so an input
typed as displayed gives that value. A scaled figure keeps four significant figures (``¥187.8 bn``,
``1,878 亿元``) with trailing zeros dropped; a missing or non-finite value is ``—``. Negative
numbers use the minus sign ``−``.
"""
from __future__ import annotations

import math
from typing import Literal

from easymall.core.text import Lang

#: Units whose values are amounts of money, as multiples of one yuan.
MONEY: dict[str, float] = {"yuan": 1.0, "CNY m": 1e6, "CNY bn": 1e9, "CNY tn": 1e12}
#: Units whose values are counts of people or things, as multiples of one.
PEOPLE: dict[str, float] = {"users": 1.0, "orders": 1.0, "count": 1.0, "people": 1.0, "stores": 1.0, "banks": 1.0,
                             "million users": 1e6}

#: (divisor, suffix, from what amount on) per kind and language; English money turns to bn where
#: Chinese turns to 亿元 (10⁸), so a card and an axis of the same figure read in the same scale.
_STEPS: dict[tuple[str, Lang], tuple[tuple[float, str, float], ...]] = {
    ("money", "en"): ((1e9, " bn", 1e8), (1e6, " m", 1e6)),
    ("money", "zh"): ((1e8, " 亿元", 1e8), (1e4, " 万元", 1e4)),
    ("people", "en"): ((1e6, " m", 1e6),),
    ("people", "zh"): ((1e4, " 万", 1e4),),
}
MINUS = "−"

Kind = Literal["money", "people"]


def _sig(x: float, digits: int = 4) -> str:
    """``x`` (≥ 0) with ``digits`` significant figures, thousands separators, trailing zeros dropped."""
    if x == 0:
        return "0"
    decimals = max(0, digits - 1 - int(math.floor(math.log10(x))))
    text = f"{x:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _scaled(amount: float, kind: Kind, lang: Lang) -> tuple[str, str]:
    """Number text and suffix of a non-negative ``amount`` (in yuan or people)."""
    for base, suffix, start in _STEPS[(kind, lang)]:
        if amount >= start:
            return _sig(amount / base), suffix
    return (f"{amount:,.0f}" if kind == "people" or amount >= 100 else _sig(amount, 3)), ""


def format_value(value: float | None, unit: str, lang: Lang = "en", *, signed: bool = False) -> str:
    """``value`` measured in ``unit`` as people read it in ``lang`` (see the module's table).

    ``signed`` puts ``+`` before a positive figure (deltas); a share's delta reads in percentage
    points. Unknown units print the number with four significant figures and the unit after it.
    """
    if unit == "date":
        return ""
    if value is None or not isinstance(value, int | float) or not math.isfinite(value):
        return "—"
    v = float(value)
    sign = MINUS if v < 0 else ("+" if signed and v > 0 else "")
    a = abs(v)
    if unit in MONEY:
        number, suffix = _scaled(a * MONEY[unit], "money", lang)
        if suffix or lang == "en":
            return f"{sign}¥{number}{suffix}" if lang == "en" else f"{sign}{number}{suffix}"
        return f"{sign}{number} 元"
    if unit in PEOPLE:
        number, suffix = _scaled(a * PEOPLE[unit], "people", lang)
        return f"{sign}{number}{suffix}"
    if unit in ("share", "%"):
        pct = a * 100 if unit == "share" else a
        return f"{sign}{pct:.1f} pp" if signed and unit == "share" else f"{sign}{pct:.1f}%"
    if unit == "nps":
        return f"{MINUS if round(v) < 0 else '+' if round(v) > 0 else ''}{abs(round(v)):.0f}"
    if unit in ("score", "ratio"):
        return f"{sign}{a:,.2f}"
    if unit == "month":
        return f"{sign}{a:,.0f}"
    return f"{sign}{_sig(a)} {unit}".rstrip()


def scale(unit: str, lang: Lang) -> tuple[float, str]:
    """Divisor and suffix for an axis, a table column or an input of figures in ``unit`` (base
    yuan or people): the language's usual scale (``亿元`` / ``万`` in Chinese, ``bn`` / ``m`` in
    English for money / people), so every axis of one kind reads in one scale."""
    if unit in MONEY:
        factor = MONEY[unit]
        return (1e8 / factor, "亿元") if lang == "zh" else (1e9 / factor, "¥ bn")
    if unit in PEOPLE:
        factor = PEOPLE[unit]
        return (1e4 / factor, "万") if lang == "zh" else (1e6 / factor, "m")
    if unit == "share":
        return 0.01, "%"
    return 1.0, ""


def to_display(value: float, unit: str, lang: Lang) -> float:
    """``value`` (in ``unit``) as the number shown beside :func:`scale`'s suffix (``5e6`` users → ``5``
    in English, ``500`` in Chinese)."""
    div, _ = scale(unit, lang)
    return float(value) / div


def from_display(number: float, unit: str, lang: Lang) -> float:
    """The value (in ``unit``) of a ``number`` typed in the displayed scale: the inverse of
    :func:`to_display`, so a figure typed as shown gives that figure."""
    div, _ = scale(unit, lang)
    return float(number) * div


def display_factor(unit: str, lang: Lang) -> float:
    """How many displayed units one ``unit`` is, for a lever, parameter or budget given in ``CNY m``
    (``CNY m``, ``CNY m per month``, ``CNY m per partner per month`` …): 1 in English (``m``), 100 in
    Chinese (``万元``), so a slider, a table cell and an input read — and take — the language's scale
    (¥6 m a month is ``6`` in English and ``600`` 万元/月 in Chinese). 1 for every other unit."""
    return 100.0 if lang == "zh" and unit.split(" per ", 1)[0] == "CNY m" else 1.0


def input_suffix(unit: str, lang: Lang) -> str:
    """The scale an input of figures in ``unit`` takes, for its label (``亿元``, ``¥ bn``, ``万``, ``m``)."""
    return scale(unit, lang)[1]


def format_together(values: list[float | None], unit: str, lang: Lang, *, signed: bool = False) -> list[str]:
    """Figures read side by side (a P10–P50–P90 band, a row of deltas) in one scale: the scale
    :func:`format_value` gives the largest of them, so a band never reads ``−¥0.85 bn – −¥33.2 m``."""
    finite = [abs(float(v)) for v in values if isinstance(v, int | float) and math.isfinite(v)]
    kind: Kind | None = "money" if unit in MONEY else "people" if unit in PEOPLE else None
    if kind is None or not finite:
        return [format_value(v, unit, lang, signed=signed) for v in values]
    top = max(finite) * (MONEY[unit] if kind == "money" else PEOPLE[unit])
    step = next(((base, suffix) for base, suffix, start in _STEPS[(kind, lang)] if top >= start), None)
    if step is None:
        return [format_value(v, unit, lang, signed=signed) for v in values]
    base, suffix = step
    out = []
    for v in values:
        if not isinstance(v, int | float) or not math.isfinite(v):
            out.append("—")
            continue
        x = float(v) * (MONEY[unit] if kind == "money" else PEOPLE[unit])
        sign = MINUS if x < 0 else ("+" if signed and x > 0 else "")
        number = _sig(abs(x) / base) if abs(x) / base >= 0.001 else "0"
        out.append(f"{sign}¥{number}{suffix}" if kind == "money" and lang == "en" else f"{sign}{number}{suffix}")
    return out
