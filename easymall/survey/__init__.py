"""Survey data: ingest (CSV/XLSX/XLS/SAV; Wenjuanxing and other platforms), import report, quality
flags, analysis and the Easy Mall KPIs. Pure Python (no streamlit).

This facade is what the other areas use: the active dataset of a workspace and its KPIs.
Inside the area: :mod:`.ingest` and :mod:`.decode` read files, :mod:`.datasets` stores them in a
workspace, :mod:`.analysis` summarises answers, :mod:`.kpis` computes the KPIs, :mod:`.quality`
flags respondents, :mod:`.view` is what the Survey page shows, :mod:`.cli` the command.
"""
from easymall.survey.dataset import SEP, Dataset, Question
from easymall.survey.datasets import active_dataset, active_label, active_name
from easymall.survey.kpis import Kpi, compute_kpis, purchase_frequency

__all__ = ["SEP", "Dataset", "Kpi", "Question", "active_dataset", "active_label", "active_name", "compute_kpis",
           "purchase_frequency"]
