"""Scenarios: what-if projections of Easy Mall's marketing mix.

* :mod:`~easymall.scenario.model` — the monthly driver model (levers → users, GMV, revenue, costs,
  profit, CAC, CLV), its calibration from the active survey, lever values, comparison, TOWS presets;
* :mod:`~easymall.scenario.risk` — risk analysis: tornado sensitivity, Monte Carlo bands, goal seek;
* :mod:`~easymall.scenario.edit` — edits of ``marketing.yaml`` and ``scenarios.yaml``, each a pure
  function document → new document or one :class:`~easymall.scenario.edit.EditError`;
* :mod:`~easymall.scenario.view` — what the Strategy page shows: cards, tables, labels, formatted
  figures, picker options and defaults (pages import only ``view`` and ``edit``);
* :mod:`~easymall.scenario.cli` — the ``easymall scenario`` command.
"""
