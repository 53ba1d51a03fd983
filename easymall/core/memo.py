"""One bounded, thread-safe memo for results built from shared read-only objects.

``Memo(entries)`` keeps at most ``entries`` results, least recently used dropped first. A result is
remembered under what it depends on by value (``key``: a hash, a language) and by identity
(``sources``: the store's cached documents and datasets — a new version is a new object); the memo
holds the sources with the result, so an id cannot be reused while it is remembered, and a hit must
be the very same objects::

    MODELS = Memo(32)
    value = MODELS.get(key, sources)     # None on a miss
    MODELS.put(key, sources, value)
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Any


class Memo:
    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[Hashable, tuple[tuple[Any, ...], Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, sources: Sequence[Any]) -> Any:
        """The result remembered for ``key`` built from these very ``sources``, else None."""
        full = (key, *(id(x) for x in sources))
        with self._lock:
            hit = self._items.get(full)
            if hit is None or any(a is not b for a, b in zip(hit[0], sources, strict=True)):
                return None
            self._items.move_to_end(full)
            return hit[1]

    def put(self, key: Hashable, sources: Sequence[Any], value: Any) -> None:
        full = (key, *(id(x) for x in sources))
        with self._lock:
            self._items[full] = (tuple(sources), value)
            self._items.move_to_end(full)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
