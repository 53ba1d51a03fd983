"""easymall.core.memo: results remembered by value and by the identity of what they were built from."""
from __future__ import annotations

from easymall.core.memo import Memo


class Doc:  # a cached document: equal content, another object, is another version
    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Doc) and other.text == self.text

    __hash__ = object.__hash__


def test_a_hit_needs_the_same_key_and_the_very_same_sources() -> None:
    memo, a, b = Memo(4), Doc("x"), Doc("x")
    memo.put("en", (a,), 1)
    assert memo.get("en", (a,)) == 1
    assert memo.get("zh", (a,)) is None  # another value
    assert memo.get("en", (b,)) is None  # an equal but new object: a new version
    memo.put("en", (b,), 2)
    assert memo.get("en", (a,)) == 1 and memo.get("en", (b,)) == 2  # both versions kept


def test_it_keeps_the_most_recently_used() -> None:
    memo, docs = Memo(2), [Doc(str(i)) for i in range(3)]
    memo.put("k", (docs[0],), 0)
    memo.put("k", (docs[1],), 1)
    assert memo.get("k", (docs[0],)) == 0  # used: now the newest
    memo.put("k", (docs[2],), 2)
    assert len(memo) == 2 and memo.get("k", (docs[1],)) is None and memo.get("k", (docs[0],)) == 0
