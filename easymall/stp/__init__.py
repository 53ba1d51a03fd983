"""STP: segmentation, targeting and positioning over the active survey, as pure functions (no streamlit).

* :mod:`.rules` — structured conditions evaluated over ``Dataset.frame``, option orders, labels, the
  rule in words; :class:`~.rules.SegmentError`;
* :mod:`.encoding` — mixed-type answers as one feature matrix, each question carrying equal weight;
* :mod:`.clustering` — seeded k-means, the silhouette curve, frozen cluster models, segment members;
* :mod:`.profiles` — a group's answers against the rest (lift, Bonferroni-corrected tests), the
  explorer's side-by-side comparison and NPS;
* :mod:`.targeting` — measures from the data, ratings 1–5, GE–McKinsey scores and the nine-box zone;
* :mod:`.positioning` — Easy Mall's and competitors' scores, the perceptual map and its PCA;
* :mod:`.edit` — every user edit: document in, new document (or one :class:`~.edit.EditError`) out;
* :mod:`.view` — what the Segments page shows: the analysis per revision, tables, labels, formatted
  figures, defaults and thresholds.
"""
