"""What the slides read from the workspace, loaded once per deck build (each part on first use)."""
from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Any

from easymall.core.i18n import t
from easymall.core.text import Lang, text_in
from easymall.core.units import format_value
from easymall.scenario import view as cv
from easymall.stp import view as tv
from easymall.survey import Dataset, active_dataset, active_name, compute_kpis
from easymall.swot import view as sv


class Context:
    """The live workspace as the deck sees it: documents, the active survey, the analyses."""

    def __init__(self, ws: Any, lang: Lang, today: date | None = None):
        self.ws, self.lang = ws, lang
        self.today = today or date.today()

    # ------------------------------------------------------------------ text helpers

    def tr(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)

    def txt(self, text: Any) -> str:
        return text_in(text, self.lang)

    def join(self, items: object) -> str:
        """A list in the language's way: ``a, b`` / ``a、b``."""
        return ("、" if self.lang == "zh" else ", ").join(str(i) for i in items)  # type: ignore[attr-defined]

    def fmt(self, value: float | None, unit: str, signed: bool = False) -> str:
        return format_value(value, unit, self.lang, signed=signed)

    # ------------------------------------------------------------------ documents

    def doc(self, name: str) -> Any:
        """The stored document (None when it is missing or does not validate)."""
        return self.ws.load_safe(name).doc

    @cached_property
    def market(self) -> Any:
        return self.doc("market")

    @cached_property
    def swot(self) -> Any:
        return self.doc("swot")

    @cached_property
    def stp(self) -> Any:
        return self.doc("stp")

    @cached_property
    def marketing(self) -> Any:
        return self.doc("marketing")

    @cached_property
    def scenarios(self) -> Any:
        return self.doc("scenarios") or cv.ScenariosDocument()

    @cached_property
    def survey_doc(self) -> Any:
        return self.doc("survey")

    # ------------------------------------------------------------------ the survey

    @cached_property
    def dataset(self) -> Dataset | None:
        return active_dataset(self.ws)

    @cached_property
    def dataset_name(self) -> str | None:
        return active_name(self.ws) if self.dataset is not None else None

    @cached_property
    def kpis(self) -> dict[str, Any]:
        if self.dataset is None or self.survey_doc is None:
            return {}
        return compute_kpis(self.dataset, self.survey_doc)

    # ------------------------------------------------------------------ analyses

    @cached_property
    def stp_analysis(self) -> tv.Analysis | None:
        return tv.analyse(self.stp, self.dataset, self.survey_doc) if self.stp is not None else None

    @cached_property
    def segment_names(self) -> dict[str, str]:
        return tv.names(self.stp, self.lang) if self.stp is not None else {}

    @cached_property
    def qspm(self) -> Any:
        return sv.qspm(self.swot) if self.swot is not None else None

    @cached_property
    def model(self) -> cv.Model | None:
        return cv.model_for(self.marketing, self.ws, self.lang)[0] if self.marketing is not None else None

    @cached_property
    def baseline(self) -> cv.Result | None:
        return cv.run(self.model, name=cv.BASELINE) if self.model is not None else None

    @cached_property
    def compared(self) -> tuple[list[cv.Result], list[str]]:
        """The baseline and every saved scenario, with their names."""
        if self.model is None:
            return [], []
        results, names = [self.baseline], [self.tr("deck.baseline")]
        for s in self.scenarios.scenarios:
            results.append(cv.run(self.model, cv.scenario_levers(self.model, s).values, s.id))
            names.append(self.txt(s.name))
        return results, names

    @cached_property
    def bands(self) -> Any:
        return cv.monte_carlo(self.model, {}) if self.model is not None else None
