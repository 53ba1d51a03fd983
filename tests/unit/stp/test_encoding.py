"""Mixed-type encoding: one block per question, equal weight, skipped answers at the centre."""
from __future__ import annotations

import numpy as np
import pytest

from easymall.stp.encoding import apply_encoding, encode
from easymall.stp.rules import SegmentError
from easymall.survey.dataset import Dataset, Question
from tests.segments_data import make_dataset

VARS = ["Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q10", "Q12", "Q14", "Q17"]
ORDINAL = ["Q2", "Q4", "Q6", "Q8"]


def test_encoding_columns_scaling_and_imputation(ds) -> None:
    enc = encode(ds, VARS, ordinal=ORDINAL)
    kinds = {v.question: v.kind for v in enc.variables}
    assert kinds == {"Q2": "ordinal", "Q3": "nominal", "Q4": "ordinal", "Q5": "nominal", "Q6": "ordinal",
                     "Q7": "multi", "Q8": "ordinal", "Q10": "multi", "Q12": "matrix", "Q14": "log", "Q17": "multi"}
    assert enc.width == 1 + 7 + 1 + 2 + 1 + 8 + 1 + 6 + 7 + 1 + 7
    assert not np.isnan(enc.matrix).any()
    assert np.allclose(enc.matrix.mean(axis=0), 0, atol=1e-9)
    # each question's block carries total variance 1, so a 7-row matrix weighs as much as gender would
    start = 0
    for v in enc.variables:
        block = enc.matrix[:, start:start + v.width()]
        assert block.var(axis=0).sum() == pytest.approx(1.0, rel=1e-6)
        start += v.width()
    # skipped answers sit at the centre: people who never used Easy Mall have 0 on every Q12 column
    q12 = next(i for i, v in enumerate(enc.variables) if v.question == "Q12")
    offset = sum(v.width() for v in enc.variables[:q12])
    skipped = ds.frame["Q12::价格"].isna().to_numpy()
    assert skipped.any()
    assert np.allclose(enc.matrix[skipped, offset:offset + 7], 0)
    # the stored encoding reproduces the matrix
    assert np.allclose(apply_encoding(ds, enc.variables), enc.matrix)


def test_ordinal_follows_option_order(ds) -> None:
    enc = encode(ds, ["Q4"], ordinal=["Q4"])
    low = ds.frame["Q4"] == "3000元以下"
    high = ds.frame["Q4"] == "15000元以上"
    assert enc.matrix[low.to_numpy(), 0].max() < enc.matrix[high.to_numpy(), 0].min()


def test_text_questions_cannot_be_clustered() -> None:
    ds = make_dataset(50)
    frame = ds.frame.assign(Q18=["很好"] * 50)
    ds2 = Dataset([*ds.questions, Question("Q18", "意见", "text", columns=["Q18"])], frame, "t")
    with pytest.raises(SegmentError, match="free-text"):
        encode(ds2, ["Q18"])
    with pytest.raises(SegmentError, match="at least one question"):
        encode(ds2, [])
