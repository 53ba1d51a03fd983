"""The workspace store: validated documents, optimistic saves, history, uploaded files.

Public contract (tools outside the app rely on it exactly)::

    from easymall.store import Workspace, ConflictError
    ws = Workspace(address)                # a folder, or postgresql://USER@HOST:PORT/DB[?workspace=NAME]
    doc = ws.load("swot")
    new_rev = ws.save("swot", doc, base_revision=doc.revision, author="name", message="why")
    ws.history("swot")
    ws.set_presenter_position("default", 3, author="name")   # live state, no history
    ws.presenter_position("default")       # Position(deck, slide, author, time, key) or None

* :mod:`.workspace` — :class:`Workspace`, :class:`ConflictError`, revisions and history;
* :mod:`.documents` — YAML text → validated model, every problem with file, line and field;
* :mod:`.address` — a workspace address: a folder or ``postgresql://USER@HOST:PORT/DB?workspace=NAME``;
* :mod:`.backends` — a folder (:class:`FileBackend`); :mod:`.pg` — PostgreSQL (:class:`PgBackend`);
* :mod:`.transfer` — ``easymall copy``: a whole workspace between two addresses;
* :mod:`.merge` — three-way merge by item id and history diffs in words.
"""
from easymall.store.documents import DocumentError, Problem, document_yaml, parse_document
from easymall.store.workspace import (
    EMBEDDED,
    ConflictError,
    LoadResult,
    Position,
    Revision,
    Workspace,
    WriteError,
    copy_workspace,
    default_workspace_address,
    default_workspace_path,
    open_workspace,
    workspace_arg,
    workspace_label,
)

__all__ = ["EMBEDDED", "ConflictError", "DocumentError", "LoadResult", "Position", "Problem", "Revision", "Workspace",
           "WriteError", "copy_workspace", "default_workspace_address", "default_workspace_path", "open_workspace",
           "document_yaml", "parse_document", "workspace_arg", "workspace_label"]
