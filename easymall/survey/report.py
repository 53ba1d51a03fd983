"""The import report: format, encoding, rows, questions with types, every issue, quality counts."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from easymall.survey.ingest import Parsed
from easymall.survey.quality import QualityFlags

#: How many row numbers per quality flag the report lists (counts are always complete).
MAX_ROWS_LISTED = 200


@dataclass
class ImportReport:
    file: str
    format: str
    encoding: str | None
    wjx_mode: str | None
    rows: int
    questions: list[dict[str, Any]]
    issues: list[dict[str, Any]]
    quality: dict[str, int]
    quality_rows: dict[str, list[int]] = field(default_factory=dict)
    median_duration_s: float | None = None
    speeder_limit_s: float | None = None
    platform: str = ""
    metadata: list[dict[str, str]] = field(default_factory=list)
    signature: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "format": self.format, "encoding": self.encoding,
                "wenjuanxing": self.wjx_mode, "rows": self.rows, "questions": self.questions,
                "issues": self.issues, "quality": self.quality, "quality_rows": self.quality_rows,
                "median_duration_s": self.median_duration_s, "speeder_limit_s": self.speeder_limit_s,
                "platform": self.platform, "metadata": self.metadata, "signature": self.signature}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ImportReport:
        return cls(d.get("file", ""), d.get("format", ""), d.get("encoding"), d.get("wenjuanxing"),
                   int(d.get("rows", 0)), list(d.get("questions", [])), list(d.get("issues", [])),
                   dict(d.get("quality", {})), dict(d.get("quality_rows", {})),
                   d.get("median_duration_s"), d.get("speeder_limit_s"),
                   d.get("platform") or ("wenjuanxing" if d.get("wenjuanxing") else ""),
                   list(d.get("metadata") or []), str(d.get("signature") or ""))

    @property
    def format_label(self) -> str:
        names = {"csv": "CSV", "xlsx": "Excel (.xlsx)", "xls": "Excel 97–2003 (.xls)", "sav": "SPSS (.sav)"}
        return names.get(self.format, self.format)


def build_report(parsed: Parsed, flags: QualityFlags) -> ImportReport:
    ds = parsed.dataset
    questions = [{"id": q.id, "title": q.title, "type": q.type, "options": list(q.options), "rows": list(q.rows)}
                 for q in ds.questions]
    return ImportReport(
        file=ds.name, format=parsed.format, encoding=parsed.encoding, wjx_mode=parsed.wjx_mode,
        rows=len(ds.frame), questions=questions, issues=list(parsed.issues), quality=flags.counts(),
        quality_rows={k: flags.rows(k)[:MAX_ROWS_LISTED] for k in flags.flags.columns},
        median_duration_s=flags.median_duration_s, speeder_limit_s=flags.speeder_limit_s,
        platform=parsed.platform, metadata=list(parsed.metadata), signature=parsed.signature)
