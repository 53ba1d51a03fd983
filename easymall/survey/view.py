"""What the Survey page shows: its views, the KPI cards, the crosstab's test and warnings, the
tables of the import report and the stored datasets, and the sentences an import leaves behind.

Pure Python (no streamlit): every threshold, default, file-type list, table and formatted figure
of the page lives here, so the page only lays them out. Figures go through
:func:`easymall.core.units.format_value`; errors become sentences through
:func:`easymall.core.i18n.error_text`.
"""
from __future__ import annotations

import math
from contextlib import suppress
from dataclasses import dataclass

import numpy as np

from easymall.core.i18n import error_text, has, sentence, t
from easymall.core.text import Lang
from easymall.core.units import format_value
from easymall.models.kpis import KPI_IDS
from easymall.models.survey import SurveyDocument, diagnostics
from easymall.store import Workspace
from easymall.survey.analysis import Crosstab, Summary, crosstab, crosstab_questions, summarize
from easymall.survey.dataset import Dataset, Question
from easymall.survey.datasets import (
    EXT,
    Loaded,
    StoredDataset,
    active_error,
    active_record,
    attach_twin,
    clear_active,
    delete_dataset,
    export_table,
    list_datasets,
    set_active,
    store_dataset,
)
from easymall.survey.errors import SurveyImportError
from easymall.survey.import_view import (
    PLATFORM_CHOICES,
    Change,
    can_split,
    merge_choices,
    metadata_rows,
    override_rows,
    platform_caption,
    platform_choice,
    platform_label,
    platform_line,
    remove_override,
    retype_choices,
    set_override,
    set_platform,
)
from easymall.survey.kpis import Kpi, compute_kpis, non_use_reasons, satisfaction_by_attribute
from easymall.survey.quality import FLAGS, QualityFlags
from easymall.survey.report import ImportReport

__all__ = [
    "PLATFORM_CHOICES", "Change", "can_split", "platform_line", "merge_choices", "metadata_rows", "override_rows", "platform_caption",
    "platform_choice", "platform_label", "remove_override", "retype_choices", "set_override", "set_platform",
    "CHARTS_PER_PAGE", "CT_SHOW", "DEFAULT_VIEW", "MAX_ISSUES_SHOWN", "activation_text", "active_caption",
    "active_problem", "deactivate",
    "issues_more", "page_count", "page_of", "KPI_ORDER", "KPIS_PER_ROW", "LOW_EXPECTED_LIMIT", "MAX_FLAG_ROWS",
    "NEEDS_ROWS", "SIGNIFICANCE", "TWIN_TYPES", "UPLOAD_TYPES", "VIEWS", "XLSX_MIME", "Crosstab", "Kpi",
    "KpiCard", "Loaded", "Metric", "StoredDataset", "Summary", "Table", "active_item", "caption",
    "charted_questions", "compute_kpis", "crosstab", "crosstab_choices", "crosstab_metrics", "dataset_caption",
    "default_crosstab", "download_caption", "download_stem", "duration_seconds", "export_table", "flag_metrics", "flag_rows_text",
    "import_twin", "import_upload", "issue_rows", "issue_text", "kpi_cards", "kpi_figure", "kpi_warnings", "list_datasets",
    "low_expected_warning", "make_active", "non_use_table", "question_rows", "quality_caption", "remove_dataset",
    "report_metrics", "satisfaction_table", "significant", "summarize", "text_answers_title", "text_questions", "twin_mode",
    "uploaded_caption",
]

#: The page's views, in the order of its segmented control; the first is the default.
VIEWS: tuple[str, ...] = ("results", "kpis", "crosstab", "quality", "data")
DEFAULT_VIEW = VIEWS[0]
#: Views that need respondents: with no row left after the filters they show a warning instead.
NEEDS_ROWS: tuple[str, ...] = ("results", "kpis", "crosstab")
#: KPI cards in display order, this many to a row.
KPI_ORDER: tuple[str, ...] = KPI_IDS
KPIS_PER_ROW = 5
#: Charts drawn per page of the results grid (a survey of thousands of questions pages through them),
#: and problems listed per import report (the rest are counted).
CHARTS_PER_PAGE = 24
MAX_ISSUES_SHOWN = 200
#: A crosstab's chi-square test is significant below this p-value (the 5% level).
SIGNIFICANCE = 0.05
#: Above this share of cells with an expected count under 5 the chi-square test is unreliable.
LOW_EXPECTED_LIMIT = 0.2
#: The crosstab opens on Q2 (age) × Q8 (where they shop) when the dataset has both.
DEFAULT_CROSSTAB = ("Q2", "Q8")
#: What the crosstab's cells show.
CT_SHOW: tuple[str, ...] = ("row_pct", "col_pct", "counts")
#: The quality view lists at most this many row numbers per flag.
MAX_FLAG_ROWS = 500
#: File types the upload accepts (the stored formats and their aliases).
UPLOAD_TYPES: list[str] = list(EXT)
#: A Wenjuanxing download's other mode comes as CSV or Excel (its own formats, no SPSS, no aliases).
TWIN_TYPES: list[str] = [s for s, fmt in EXT.items() if s == fmt and fmt != "sav"]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Metric:
    """One ``st.metric``: label, value and help text."""

    label: str
    value: str
    help: str | None = None


@dataclass(frozen=True)
class KpiCard:
    """A KPI's card: its metric and the caption with n and the 95% interval."""

    metric: Metric
    caption: str


@dataclass(frozen=True)
class Table:
    """Rows for a dataframe whose column ``bar`` is drawn as a progress bar from ``low`` to ``high``."""

    rows: list[dict[str, object]]
    bar: str
    bar_format: str
    low: float
    high: float


def _n(n: int) -> str:
    return f"{n:,}"


# --------------------------------------------------------------------------- header and results


def caption(loaded: Loaded, kept: int, lang: Lang) -> str:
    return t("survey.caption", lang, name=loaded.dataset.name, n=_n(loaded.dataset.n), kept=_n(kept))


def charted_questions(ds: Dataset) -> list[Question]:
    """Questions drawn as a chart (every one but free text)."""
    return [q for q in ds.questions if q.type != "text"]


def page_count(n: int, per_page: int = CHARTS_PER_PAGE) -> int:
    """Pages needed for ``n`` items (at least one)."""
    return max(1, math.ceil(n / per_page))


def page_of(items: list[Question], page: int, per_page: int = CHARTS_PER_PAGE) -> list[Question]:
    """The items on ``page`` (1-based; clamped to the pages there are)."""
    page = min(max(1, int(page)), page_count(len(items), per_page))
    return items[(page - 1) * per_page: page * per_page]


def text_questions(ds: Dataset) -> list[Question]:
    """Free-text questions, listed as answers."""
    return [q for q in ds.questions if q.type == "text"]


def text_answers_title(summary: Summary, doc: SurveyDocument, lang: Lang) -> str:
    """The heading of a free-text question's answers: id, title, how many answered."""
    q = summary.question
    return t("survey.text_answers", lang, id=q.id, title=doc.question_title(q.id, lang, q.title), n=_n(summary.n))


# --------------------------------------------------------------------------- KPIs


def kpi_figure(kid: str, value: float | None, unit: str, lang: Lang) -> str:
    """A KPI figure as the one formatter prints it (NPS in points, signed)."""
    return format_value(value, "nps" if kid == "nps" else unit, lang)


def kpi_cards(values: dict[str, Kpi], lang: Lang) -> list[list[KpiCard]]:
    """The cards of the KPIs present, in :data:`KPI_ORDER`, :data:`KPIS_PER_ROW` to a row."""
    cards = []
    for kid in (k for k in KPI_ORDER if k in values):
        k = values[kid]
        metric = Metric(t(f"kpi.{kid}", lang), kpi_figure(kid, k.value, k.unit, lang), t(f"survey.kpi_help_{kid}", lang))
        cards.append(KpiCard(metric, t("survey.kpi_ci", lang, n=_n(k.n), low=kpi_figure(kid, k.low, k.unit, lang),
                                       high=kpi_figure(kid, k.high, k.unit, lang))))
    return [cards[i:i + KPIS_PER_ROW] for i in range(0, len(cards), KPIS_PER_ROW)]


def kpi_warnings(doc: SurveyDocument, lang: Lang) -> list[str]:
    """The questionnaire's soft warnings (a role on a question of the wrong type ...)."""
    return [t(f"survey.diag_{code}", lang, where=where) for code, where in diagnostics(doc)]


def non_use_table(ds: Dataset, doc: SurveyDocument, mask: np.ndarray | None, weights, lang: Lang) -> Table:  # noqa: ANN001
    """Why respondents do not use Easy Mall: share of those who answered, most cited first."""
    qid = doc.roles.non_use_reasons or ""
    share = t("survey.col_share", lang)
    rows = [{t("survey.col_reason", lang): doc.option_text(qid, r, lang), share: k.value, "n": k.n}
            for r, k in non_use_reasons(ds, doc, mask=mask, weights=weights)]
    return Table(rows, share, "percent", 0.0, 1.0)


def satisfaction_table(ds: Dataset, doc: SurveyDocument, mask: np.ndarray | None, weights, lang: Lang) -> Table:  # noqa: ANN001
    """Mean satisfaction (1–5) per attribute with its 95% interval, best first."""
    qid = doc.roles.satisfaction or ""
    mean = t("survey.col_mean", lang)
    rows = [{t("survey.col_attribute", lang): doc.option_text(qid, r, lang), mean: k.value,
             t("survey.col_ci", lang): f"{format_value(k.low, 'score', lang)}–{format_value(k.high, 'score', lang)}",
             "n": k.n} for r, k in satisfaction_by_attribute(ds, doc, mask=mask, weights=weights)]
    return Table(rows, mean, "%.2f", 1.0, 5.0)


# --------------------------------------------------------------------------- crosstab


def default_crosstab(ids: list[str]) -> tuple[str, str]:
    """Rows and columns the crosstab opens on: :data:`DEFAULT_CROSSTAB` when present, else the first two."""
    row, col = DEFAULT_CROSSTAB
    return (row if row in ids else ids[0]), (col if col in ids else ids[1])


def crosstab_choices(ds: Dataset, doc: SurveyDocument, lang: Lang) -> dict[str, str]:
    """The questions a crosstab can take, id -> "id · title" (in the dataset's order)."""
    return {q.id: f"{q.id} · {doc.question_title(q.id, lang, q.title)}" for q in crosstab_questions(ds)}


def significant(p_value: float) -> bool:
    """The test rejects independence at the 5% level (:data:`SIGNIFICANCE`); NaN is not significant."""
    return not math.isnan(p_value) and p_value < SIGNIFICANCE


def _p_text(p: float) -> str:
    return "—" if math.isnan(p) else ("< 0.001" if p < 0.001 else f"{p:.3f}")


def crosstab_metrics(ct: Crosstab, lang: Lang) -> list[Metric]:
    """n, the chi-square p-value, Cramér's V and the verdict at the 5% level."""
    chi2 = "—" if math.isnan(ct.chi2) else f"{ct.chi2:.1f}"
    verdict = "survey.crosstab_sig" if significant(ct.p_value) else "survey.crosstab_not_sig"
    return [Metric(t("survey.crosstab_n", lang), _n(ct.n)),
            Metric(t("survey.crosstab_p", lang), _p_text(ct.p_value), t("survey.crosstab_p_help", lang, chi2=chi2,
                                                                         dof=ct.dof)),
            Metric(t("survey.crosstab_v", lang), format_value(ct.cramers_v, "ratio", lang), t("survey.crosstab_v_help", lang)),
            Metric(t("survey.crosstab_verdict", lang), t(verdict, lang))]


def low_expected_warning(ct: Crosstab, lang: Lang) -> str | None:
    """The warning when too many cells expect fewer than 5 answers (over :data:`LOW_EXPECTED_LIMIT`)."""
    if ct.low_expected_share > LOW_EXPECTED_LIMIT:
        return t("survey.crosstab_low_expected", lang, share=f"{ct.low_expected_share:.0%}")
    return None


# --------------------------------------------------------------------------- quality


def flag_metrics(flags: QualityFlags, doc: SurveyDocument, lang: Lang) -> list[Metric]:
    """One metric per quality flag: how many respondents carry it."""
    counts = flags.counts()
    return [Metric(t(f"survey.flag_{key}", lang), _n(counts[key]),
                   t(f"survey.flag_help_{key}", lang, ratio=doc.quality.speeder_ratio, k=doc.quality.ip_repeat_min))
            for key in FLAGS]


def flag_rows_text(rows: list[int]) -> str:
    """The flagged row numbers, the first :data:`MAX_FLAG_ROWS` of them."""
    return ", ".join(str(r) for r in rows[:MAX_FLAG_ROWS]) + (" …" if len(rows) > MAX_FLAG_ROWS else "")


def duration_seconds(ds: Dataset) -> np.ndarray | None:
    """Completion times in seconds (None when the export has none)."""
    return ds.frame["_duration_s"].to_numpy(float) if "_duration_s" in ds.frame else None


# --------------------------------------------------------------------------- import report and datasets


def report_metrics(report: ImportReport, lang: Lang) -> list[Metric]:
    return [Metric(t("survey.report_format", lang), report.format_label),
            Metric(t("survey.report_encoding", lang), report.encoding or "—"),
            Metric(t("survey.report_wjx", lang), t(f"survey.wjx_{report.wjx_mode or 'none'}", lang)),
            Metric(t("survey.report_rows", lang), _n(report.rows)),
            Metric(t("survey.report_questions", lang), _n(len(report.questions)))]


def question_rows(report: ImportReport, lang: Lang) -> list[dict[str, object]]:
    """The questions found: id, title, type, number of options and of matrix rows."""
    return [{"id": q["id"], t("survey.col_title", lang): q["title"], t("survey.col_type", lang): t(f"survey.type_{q['type']}", lang),
             t("survey.col_options", lang): str(len(q["options"]) or ""),
             t("survey.col_rows", lang): str(len(q.get("rows", [])) or "")} for q in report.questions]


def issue_rows(report: ImportReport, lang: Lang) -> list[dict[str, object]]:
    """The import report's issues: row, column, what kind of problem and the sentence, in ``lang``."""
    return [{t("survey.col_row", lang): _blank(i.get("row")), t("survey.col_column", lang): _blank(i.get("column")),
             t("survey.col_code", lang): issue_kind(str(i.get("code", "")), lang),
             t("survey.col_message", lang): issue_text(i, lang)} for i in report.issues[:MAX_ISSUES_SHOWN]]


def _blank(value: object) -> str:
    """A cell of the issue table: nothing where an issue has no row or column (never "None")."""
    return "" if value is None else str(value)


def issue_text(issue: dict[str, object], lang: Lang) -> str:
    """One issue of an import report as a sentence in ``lang``: the catalogue's ``issue.<code>``
    (``issue.<code>.<variant>``) filled with the issue's ``params``. English, and a report stored
    before issues had params, read the issue's own English ``message``."""
    message = str(issue.get("message", ""))
    params = issue.get("params")
    if not isinstance(params, dict):
        return message
    variant = params.get("variant")
    key = f"issue.{issue.get('code', '')}" + (f".{variant}" if variant else "")
    return sentence(message, key, lang, params)


def issue_kind(code: str, lang: Lang) -> str:
    """The kind of an issue (its ``code``) as a short label in ``lang``."""
    return t(f"issue_kind.{code}", lang) if has(f"issue_kind.{code}") else code


def issues_more(report: ImportReport, lang: Lang) -> str | None:
    """Under the listed problems: how many more there are, or None when all are listed."""
    more = len(report.issues) - MAX_ISSUES_SHOWN
    return t("survey.report_issues_more", lang, n=_n(more), shown=_n(MAX_ISSUES_SHOWN)) if more > 0 else None


def quality_caption(quality: dict[str, int], lang: Lang) -> str:
    return t("survey.report_quality", lang, speeders=quality.get("speeders", 0), straight=quality.get("straightliners", 0),
             dupes=quality.get("duplicates", 0), ips=quality.get("repeated_ips", 0))


def dataset_caption(d: StoredDataset, lang: Lang) -> str:
    return t("survey.dataset_meta", lang, platform=platform_label(d.report.platform or "generic", lang),
             format=d.report.format_label, rows=_n(d.report.rows),
             questions=len(d.report.questions), size=f"{d.size / 1e6:,.2f}")


def uploaded_caption(d: StoredDataset, lang: Lang) -> str:
    return t("survey.dataset_uploaded", lang, when=d.uploaded.replace("T", " ")[:16],
             who=d.author or t("survey.author_unknown", lang))


def download_caption(mask: np.ndarray | None, lang: Lang) -> str:
    """Under the downloads: how many rows (those the filters keep) they hold."""
    return t("survey.download_caption", lang, n=_n(int(mask.sum())) if mask is not None else "0")


def download_stem(ds: Dataset) -> str:
    """The file name (without extension) of the cleaned data's download."""
    return ds.name.rsplit(".", 1)[0] + "_cleaned"


def active_item(items: list[StoredDataset]) -> StoredDataset | None:
    return next((d for d in items if d.active), None)


def twin_mode(loaded: Loaded, items: list[StoredDataset]) -> str | None:
    """The Wenjuanxing mode ("text" / "number") whose twin the active dataset may still be joined with."""
    active = active_item(items)
    if active is None or active.twin or loaded.report.wjx_mode not in ("text", "number"):
        return None
    return loaded.report.wjx_mode


Outcome = tuple[str, str]  # ("ok" | "error", sentence) shown after an import


def import_upload(ws: Workspace, filename: str, data: bytes, *, doc: SurveyDocument, author: str,
                  lang: Lang) -> Outcome:
    """Store an upload — never making it the team's active dataset: that is :func:`make_active`, a
    separate, confirmed and attributed step; the sentence to show either way."""
    try:
        store_dataset(ws, filename, data, author=author, activate=False, max_bytes=doc.max_upload_mb * 1_000_000)
    except SurveyImportError as exc:
        return "error", t("survey.upload_failed", lang, message=error_text(exc, lang, "import").rstrip("."))
    except PermissionError:
        return "error", t("survey.upload_denied", lang)
    return "ok", t("survey.upload_ok" if ws.may(author, "dataset.activate") else "survey.upload_ok_inactive", lang,
                   name=filename)


def import_twin(ws: Workspace, active: StoredDataset, filename: str, data: bytes, *, doc: SurveyDocument,
                lang: Lang, author: str | None = None) -> Outcome:
    """Join the active dataset with its other Wenjuanxing download mode; the sentence to show."""
    try:
        _, joined = attach_twin(ws, active.name, filename, data, max_bytes=doc.max_upload_mb * 1_000_000,
                                author=author)
    except SurveyImportError as exc:
        return "error", t("survey.twin_failed", lang, message=error_text(exc, lang, "import").rstrip("."))
    except PermissionError:
        return "error", t("survey.upload_denied", lang)
    return "ok", t("survey.twin_ok", lang, twin=filename, name=active.original_name, n=_n(joined.dataset.n))


def remove_dataset(ws: Workspace, name: str, author: str | None = None) -> bool:
    """Remove a stored dataset; False when someone else removed it meanwhile (or ``author`` may not)."""
    try:
        delete_dataset(ws, name, author=author)
    except (KeyError, PermissionError):
        return False
    return True


def deactivate(ws: Workspace, author: str | None = None) -> None:
    """No dataset active (all stay stored): the way out when the active one cannot be shown."""
    with suppress(PermissionError):
        clear_active(ws, author=author)


def active_problem(ws: Workspace, lang: Lang) -> str | None:
    """Why the active dataset cannot be shown (over a limit, unreadable), as one sentence, or None."""
    exc = active_error(ws)
    if exc is None:
        return None
    return t("survey.active_unreadable", lang, message=error_text(exc, lang, "import").rstrip("."))


def make_active(ws: Workspace, name: str, author: str | None = None) -> None:
    """Make a stored dataset the active one, recorded as by ``author`` (nothing when someone else
    removed it meanwhile, or ``author`` may not)."""
    with suppress(KeyError, PermissionError):
        set_active(ws, name, author=author)


def activation_text(d: StoredDataset, lang: Lang) -> str:
    """What making ``d`` the team's active dataset changes, for the confirmation."""
    return t("survey.activate_confirm", lang, name=d.original_name, n=_n(d.report.rows))


def active_caption(ws: Workspace, lang: Lang) -> str | None:
    """Who made the active dataset active, and when; None when that was not recorded."""
    who, when = active_record(ws)
    if not who:
        return None
    return t("survey.activated_by", lang, who=who, when=when.replace("T", " ")[:16])
