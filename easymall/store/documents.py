"""Documents as text: parse and validate YAML into a model with every problem located
(file, line, field), and the YAML the store writes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from easymall.core import yamlio
from easymall.core.i18n import error_context, explain
from easymall.models import DOCUMENTS, Document
from easymall.models.common import StrictModel

# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document: where it is and what it is."""

    file: str
    line: int | None
    path: str
    message: str
    code: str = ""                         # the error's type ("less_than_equal", "duplicate_fact" ...), if any
    ctx: tuple[tuple[str, str], ...] = ()  # its values ({"le": "5"}): core.i18n.problem_text says it in Chinese

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class DocumentError(Exception):
    """A document that cannot be loaded (or must not be overwritten); carries every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "invalid document")

    @property
    def first(self) -> Problem:
        return self.problems[0]


# --------------------------------------------------------------------------- validation


_SCALARS = {"str", "int", "float", "bool", "list", "dict", "none", "constrained-str", "constrained-int",
            "constrained-float", "literal"}


def _is_branch(part: Any) -> bool:
    """Whether a pydantic ``loc`` part names a union branch rather than a field, index or key."""
    if isinstance(part, int):
        return False
    p = str(part)
    if p in _SCALARS or "[" in p:
        return True
    return p in {c.__name__ for c in _subclasses(StrictModel)}


def _subclasses(cls: type) -> set[type]:
    out = set(cls.__subclasses__())
    for sub in list(out):
        out |= _subclasses(sub)
    return out


def _problem_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc if not _is_branch(p))


def parse_document(name: str, text: str | bytes, file: str | None = None) -> Document:
    """Validate YAML ``text`` as document ``name``; raise :class:`DocumentError` with line numbers."""
    model = DOCUMENTS[name]
    file = file or f"config/{name}.yaml"
    try:
        data, node = yamlio.parse(text)
    except yamlio.YamlProblem as exc:
        raise DocumentError([Problem(file, exc.line, "", exc.message, exc.code, exc.ctx)]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DocumentError([Problem(file, 1, "", "the file must be a mapping of keys to values", "not_a_mapping")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DocumentError(validation_problems(exc, file, node)) from None


#: Problems listed per document; the rest are counted ("and N more problems"), so a file of thousands
#: of mistakes is reported as fast as one with a few.
MAX_PROBLEMS = 50


def validation_problems(exc: ValidationError, file: str, node: Any = None) -> list[Problem]:
    """Every error of ``exc`` as a :class:`Problem` in ``file`` (with its line when ``node``, the
    parsed YAML, is given), one per place; the first :data:`MAX_PROBLEMS` and a count of the rest."""
    errors = exc.errors(include_url=False)
    problems = []
    for err in errors[:MAX_PROBLEMS]:
        loc = tuple(err["loc"])
        problems.append(Problem(file, yamlio.line_of(node, loc), _problem_path(loc), *_what(err)))
    problems = _dedupe(problems)
    if len(errors) > MAX_PROBLEMS:
        more = f"{len(errors) - MAX_PROBLEMS:,}"
        problems.append(Problem(file, None, "", f"and {more} more problems", "too_many_problems", (("n", more),)))
    return problems


def _what(err: Any) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """A pydantic error's English sentence (:func:`easymall.core.i18n.explain`), type and context,
    for :class:`Problem`."""
    return explain(err, "en"), err["type"], tuple(error_context(err).items())


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        key = (p.line, p.path)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def document_yaml(doc: Document) -> str:
    """The YAML text the store writes for ``doc`` (defaults omitted for readability)."""
    return yamlio.dump(doc.model_dump(mode="json", exclude_defaults=False, by_alias=True))


