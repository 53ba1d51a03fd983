"""Survey platforms: which tool exported a file, told from the file's own structure (never its name),
and each platform's reading of its columns into metadata and questions.

* :mod:`.qualtrics` — three header rows with ``{"ImportId":…}`` (CSV), or its export tags (SPSS);
* :mod:`.surveymonkey` — two header rows under Respondent ID (and Collector ID …);
* :mod:`.google_forms` — ``Timestamp`` first;
* :mod:`.tencent` — 腾讯问卷: 开始答题时间 … 自定义字段;
* :mod:`.alchemer` — Alchemer / SurveyGizmo SPSS: Checked/Unchecked variables, ``V…`` metadata;
* Wenjuanxing, SPSS and generic tables are read by :mod:`easymall.survey.ingest` itself.
"""
from __future__ import annotations

from collections.abc import Callable

from easymall.survey.decode import RawTable
from easymall.survey.errors import SurveyImportError
from easymall.survey.platforms import alchemer, google_forms, qualtrics, surveymonkey, tencent
from easymall.survey.platforms.assemble import META_LABELS, assemble
from easymall.survey.platforms.base import LABELS, PLATFORMS, Prepared, not_this

#: Platforms read through :func:`prepare` (the others by :mod:`easymall.survey.ingest`).
PREPARERS: dict[str, Callable[[RawTable, list[str], str], Prepared]] = {
    "qualtrics": qualtrics.prepare, "surveymonkey": surveymonkey.prepare, "google-forms": google_forms.prepare,
    "tencent": tencent.prepare, "alchemer": alchemer.prepare,
}
#: Detection order: the most specific structure first.
_TEXT_ORDER = (("qualtrics", qualtrics.detect), ("surveymonkey", surveymonkey.detect), ("tencent", tencent.detect),
               ("google-forms", google_forms.detect))
_SAV_ORDER = (("qualtrics", qualtrics.detect), ("alchemer", alchemer.detect))


def detect(raw: RawTable, is_wjx: bool) -> str:
    """The platform that made ``raw`` (``is_wjx``: the header is a Wenjuanxing one)."""
    if raw.format == "sav":
        return next((name for name, test in _SAV_ORDER if test(raw)), "spss")
    if tencent.detect(raw):
        return "tencent"
    if is_wjx:
        return "wenjuanxing"
    return next((name for name, test in _TEXT_ORDER if test(raw)), "generic")


def check(platform: str | None, file: str) -> str | None:
    """``platform`` when it is one this importer knows (None: detect); else one sentence."""
    if platform is None or platform in PLATFORMS:
        return platform
    raise SurveyImportError(f"{platform} is not a survey platform this importer knows (it knows "
                            f"{', '.join(PLATFORMS)})", file=file, code="unknown_platform", platform=platform,
                            known=", ".join(PLATFORMS))


def prepare(platform: str, raw: RawTable, header: list[str], file: str) -> Prepared:
    return PREPARERS[platform](raw, header, file)


__all__ = ["LABELS", "META_LABELS", "PLATFORMS", "PREPARERS", "Prepared", "assemble", "check", "detect", "not_this", "prepare"]
