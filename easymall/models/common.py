"""Building blocks shared by every workspace document.

* :class:`StrictModel` — ``extra="forbid"`` so a typo in YAML fails loudly.
* :data:`Text` — a content field that is either a plain string or ``{en: ..., zh: ...}``.
* :class:`Document` — a top-level YAML document; every one carries ``revision``.
* :func:`require_unique` — the "ids are unique" invariant with an error naming the duplicate.
* :func:`invalid` — the error every invariant raises: a stable code, the English sentence and its
  values, so the Chinese UI says it from the catalogue (``error.<code>`` in
  ``easymall/core/i18n/errors.yaml``, read by :func:`easymall.core.i18n.explain`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

#: Identifier used for cross-references between documents (``S1``, ``walmart_cn_sales_2016`` ...).
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")]

#: Upper bound for any free-text field, so a pasted essay cannot bloat a document.
MAX_TEXT = 2000


class StrictModel(BaseModel):
    """Base for all document parts: unknown keys are errors, values are re-validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=True)


class LocalizedText(StrictModel):
    """A text in both UI languages; one may be missing, the other is then shown."""

    en: Annotated[str, StringConstraints(max_length=MAX_TEXT)] = ""
    zh: Annotated[str, StringConstraints(max_length=MAX_TEXT)] = ""

    def model_post_init(self, __context: object) -> None:
        if not (self.en or self.zh):
            raise invalid("text_needs_language", "text needs at least one of en or zh")


PlainText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
#: A content field: ``"plain"`` or ``{en: "...", zh: "..."}``.
Text = PlainText | LocalizedText




class Document(StrictModel):
    """A top-level workspace document (one YAML file under ``config/``).

    ``revision`` counts saves: the store compares it with the revision an editor started from.
    """

    revision: int = Field(0, ge=0, description="Incremented by the store on every save.")


T = TypeVar("T")


def invalid(code: str, template: str, /, **params: object) -> PydanticCustomError:
    """The error of one broken invariant: ``raise invalid("fact_needs_value", "fact {id}: give a
    value or a date", id=fact.id)``. ``template`` is the English sentence (``str(error)``, the CLI's
    message) with ``{placeholders}`` filled from ``params``; ``code`` names its translation
    ``error.<code>`` in the catalogue, which may also use the extra ``params`` the English one does not."""
    return PydanticCustomError(code, template, {k: str(v) for k, v in params.items()})


def by_id(items: Iterable[T], item_id: str, what: str) -> T:
    """The item whose ``.id`` is ``item_id``; ``KeyError`` naming ``what`` and the id otherwise."""
    for item in items:
        if item.id == item_id:  # type: ignore[attr-defined]
            return item
    raise KeyError(f"no {what} {item_id!r}")


def unique(what: str, code: str) -> AfterValidator:
    """Field validator for a list whose items (or their ``.id``) must be unique:
    ``facts: Annotated[list[Fact], unique("fact", "duplicate_fact")]``."""

    def check(items: list[Any]) -> list[Any]:
        require_unique((getattr(i, "id", i) for i in items), what, code)
        return items

    return AfterValidator(check)


def require_unique(ids: Iterable[str], what: str, code: str, /, **params: object) -> None:
    """Raise :func:`invalid` ``code`` ("duplicate {what} id(s): ...") naming every id that occurs more
    than once; ``what`` may hold ``{placeholders}`` filled from ``params`` (``"option of {question}"``)."""
    dupes = sorted(i for i, n in Counter(ids).items() if n > 1)
    if dupes:
        raise invalid(code, f"duplicate {what} id(s): {{ids}}", ids=", ".join(dupes), **params)
