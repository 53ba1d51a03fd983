"""Survey data: ingest (CSV/XLSX/XLS/SAV, Wenjuanxing), import report, quality flags, analysis, KPIs.

Pure Python (no streamlit). Entry points: :func:`easymall.survey.ingest.load_survey`,
:func:`easymall.survey.datasets.active_dataset`, :func:`easymall.survey.kpis.compute_kpis`.
"""
