"""SWOT and the strategy frameworks built on it, as pure functions over validated models (definitions in ``domain.md``).

* :mod:`.matrices` — IFE / EFE tables and totals (F. R. David), weight normalising, diagnostics;
* :mod:`.ie` — the internal-external matrix cell I–IX and its prescription;
* :mod:`.space` — the SPACE vector and quadrant;
* :mod:`.tows` — TOWS strategies by type and their pairing checks (Weihrich 1982);
* :mod:`.qspm` — the quantitative strategic planning matrix with the all-or-none rule;
* :mod:`.edit` — operations on a SWOT document (add, update, delete, reorder, paste, normalise);
* :mod:`.evidence` — evidence ids (survey KPIs, market facts) with their live values.

Every function validates its inputs the way its textbook does and raises
:class:`~easymall.swot.errors.SwotError` (a ``CodedError`` and a ``ValueError``) with one plain
sentence, ``swot.err.<code>`` in English and Chinese, when they are outside the method's ranges.
"""
from easymall.swot.diagnostics import Diagnostic
from easymall.swot.ie import IeCell, ie_cell
from easymall.swot.matrices import (
    FactorRow,
    MatrixTable,
    efe_table,
    efe_total,
    ife_table,
    ife_total,
    normalise_weights,
    swot_diagnostics,
    weighted_total,
)
from easymall.swot.qspm import QspmResult, qspm
from easymall.swot.space import SpaceResult, space_vector
from easymall.swot.tows import tows_diagnostics, tows_matrix

__all__ = [
    "Diagnostic", "FactorRow", "IeCell", "MatrixTable", "QspmResult", "SpaceResult", "efe_table", "efe_total",
    "ie_cell", "ife_table", "ife_total", "normalise_weights", "qspm", "space_vector", "swot_diagnostics",
    "tows_diagnostics", "tows_matrix", "weighted_total",
]
