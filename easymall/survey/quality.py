"""Quality flags — flag, never delete: speeders, straight-liners, duplicate answers, repeated IPs; and,
where the export says so (Qualtrics, Alchemer), test / preview / spam responses and unfinished ones; and,
where the export records a location (Tencent's 地理位置, Wenjuanxing's "IP(省-市)", SurveyMonkey's contact
city / state / country, Alchemer's Country / City) and ``quality.expected_regions`` names where the survey
ran, respondents from elsewhere. A respondent without a location is never flagged (unknown is not
elsewhere); coordinates alone (Qualtrics' LocationLatitude/Longitude) are not matched to places."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from easymall.models.survey import QualitySettings
from easymall.survey.dataset import Dataset

FLAGS = ("speeders", "straightliners", "duplicates", "repeated_ips")
#: Flags from a platform's own metadata, present only when the export has it (``_status``; ``_finished`` /
#: ``_progress``), and excluded by default (the user can include them again).
PLATFORM_FLAGS = ("test_responses", "incomplete", "outside_region")
DEFAULT_EXCLUDED = ("test_responses",)
#: Metadata keys holding a place name (a repeated key is ``key::column title``).
LOCATION_KEYS = ("_country", "_province", "_city")
#: Durations longer than this (seconds) are resumed sessions, left out of the speeders' median.
RESUMED_S = 24 * 3600
#: Response types (``_status``) that are not real respondents.
TEST_STATUSES = {"survey preview", "survey test", "spam", "survey preview spam", "imported spam",
                 "offline survey preview", "test", "preview", "deleted", "disqualified"}


@dataclass(frozen=True, eq=False)
class QualityFlags:
    """One bool column per flag (index = the dataset's rows) and what the thresholds were."""

    flags: pd.DataFrame
    median_duration_s: float | None
    speeder_limit_s: float | None

    def counts(self) -> dict[str, int]:
        return {k: int(self.flags[k].sum()) for k in self.keys}

    @property
    def keys(self) -> tuple[str, ...]:
        """The flags this dataset has: :data:`FLAGS`, and the platform flags its metadata allows."""
        return tuple(str(c) for c in self.flags.columns)

    def default_excluded(self) -> list[str]:
        """Flags excluded until the user says otherwise: test / preview / spam responses, when there are any."""
        return [k for k in DEFAULT_EXCLUDED if k in self.flags and bool(self.flags[k].any())]

    def rows(self, flag: str) -> list[int]:
        return [int(i) for i in self.flags.index[self.flags[flag].to_numpy()]]

    def any_of(self, chosen: list[str] | tuple[str, ...]) -> pd.Series:
        """Rows carrying any of the ``chosen`` flags (for "exclude flagged answers")."""
        if not chosen:
            return pd.Series(False, index=self.flags.index)
        return self.flags[list(chosen)].any(axis=1)


def answer_columns(dataset: Dataset) -> list[str]:
    return [c for q in dataset.questions for c in q.columns]


def quality_flags(dataset: Dataset, settings: QualitySettings | None = None) -> QualityFlags:
    s = settings or QualitySettings()
    f = dataset.frame
    n = len(f)
    out = pd.DataFrame(False, index=f.index, columns=list(FLAGS))
    median = limit = None
    if "_duration_s" in f:
        d = pd.to_numeric(f["_duration_s"], errors="coerce")
        # a response open for more than a day was left and resumed (SurveyMonkey's start/end span every
        # session): its duration is not an answering time, so it stays out of the median
        timed = d[d <= RESUMED_S] if bool((d <= RESUMED_S).any()) else d
        if timed.notna().any():
            median = float(timed.median())
            limit = s.speeder_ratio * median
            out["speeders"] = (d < limit).fillna(False).to_numpy()
    straight = np.zeros(n, bool)
    for q in dataset.questions:
        if q.type == "matrix" and len(q.columns) >= s.straightline_min_rows:
            block = f[q.columns].to_numpy(float)
            complete = ~np.isnan(block).any(axis=1)
            same = np.nanmax(block, axis=1, initial=-np.inf) == np.nanmin(block, axis=1, initial=np.inf)
            straight |= complete & same
    out["straightliners"] = straight
    cols = answer_columns(dataset)
    if cols:
        block = f[cols]
        empty = block.isna().all(axis=1)
        # hash each answer vector (fast and exact enough for flagging: collisions are 2**-64)
        h = pd.util.hash_pandas_object(block, index=False)
        out["duplicates"] = (h.duplicated(keep="first") & ~empty).to_numpy()
    if "_ip" in f:
        ip = f["_ip"].astype("string").str.strip()
        ip = ip.where(ip != "")  # an export without IPs is not one repeated IP
        counts = ip.map(ip.value_counts())
        out["repeated_ips"] = (counts >= s.ip_repeat_min).fillna(False).to_numpy()
    if "_status" in f:
        status = f["_status"].astype("string").str.strip().str.lower()
        out["test_responses"] = status.isin(TEST_STATUSES).fillna(False).to_numpy(bool)
    if "_finished" in f or "_progress" in f or "_status" in f:
        unfinished = pd.Series(False, index=f.index)
        if "_status" in f:  # Alchemer: Complete / Partial
            unfinished |= f["_status"].astype("string").str.strip().str.lower().isin({"partial"}).fillna(False)
        if "_finished" in f:
            unfinished |= (pd.to_numeric(f["_finished"], errors="coerce") == 0).fillna(False)
        if "_progress" in f:
            unfinished |= (pd.to_numeric(f["_progress"], errors="coerce") < 100).fillna(False)
        out["incomplete"] = unfinished.to_numpy(bool)
    where = outside_region(f, s.expected_regions)
    if where is not None:
        out["outside_region"] = where
    return QualityFlags(out, median, limit)


def _place(v: object) -> str:
    return v.strip().lower() if isinstance(v, str) else ""


def outside_region(frame: pd.DataFrame, regions: list[str]) -> np.ndarray | None:
    """Rows whose recorded location matches none of ``regions`` (None: no regions set, or no location
    recorded). A place matches a region when either name contains the other ("广东" and "广东省",
    "Virginia" and "virginia")."""
    cols = [c for c in frame.columns if str(c).split("::")[0] in LOCATION_KEYS]
    wanted = [r.strip().lower() for r in regions if r.strip()]
    if not wanted or not cols:
        return None
    places = frame[cols].apply(lambda col: col.map(_place)).to_numpy(object)
    known = (places != "").any(axis=1)
    if not known.any():
        return None
    distinct = {p for p in places.ravel() if p}
    hit = {p: any(r in p or p in r for r in wanted) for p in distinct}
    inside = np.array([any(hit.get(p, False) for p in row) for row in places], bool)
    return known & ~inside
