"""Streamlit's own command line, with every browser connection sending at once (TCP_NODELAY), a
frozen long-lived heap and remembered protobuf enums.

``python -m easymall.ui.server run app.py [flags]`` is ``streamlit run app.py [flags]`` (``easymall
serve`` starts the app this way) with three changes to the server Streamlit 1.67 starts. First, a fix:

Its Starlette server binds the listening socket itself (``starlette_server._bind_socket``) with
``socket.socket(family)``, whose protocol field is 0. asyncio turns Nagle's algorithm off only on
sockets whose protocol is ``IPPROTO_TCP`` (``asyncio.base_events._set_nodelay``), and a connection
inherits its listener's field, so every websocket keeps Nagle on: a small message sent right after
another (``session_status_changed`` after ``new_session``, ``script_finished`` after the last
element) waits for the browser's delayed ACK, about 40 ms on Linux and up to 200 ms on Windows, on
most reruns and every live-sync poll. Re-wrapping the bound descriptor lets the kernel report its
real protocol (``SO_PROTOCOL``), so asyncio sets ``TCP_NODELAY`` on each connection as it does for
any server it binds itself. ``benchmarks/bench_load.py`` measures the difference: a poll that does
nothing answers in about 8 ms instead of 48.

It also keeps Python's cycle collector off the long-lived heap. Streamlit, pandas, Plotly (whose
property validators appear as figures are first built) and the app's own modules are hundreds of
thousands of objects that live as long as the server, and every full collection walks them all:
about 180 ms with the interpreter lock held, for every session at once, a few times a minute under
load. Once the first page has run (and every page module is imported), :func:`settle` collects once
and freezes what is left (``gc.freeze``) so later collections look only at what runs create; the
youngest generation is collected after 10,000 allocations instead of 700. Only a server started
here does this (tests and tools keep the interpreter's defaults).

And it lets protobuf remember enum values. Streamlit builds each element's message with constants
such as ``TextAlignmentConfig.Alignment.LEFT``; protobuf's Python enum wrapper answers every such
lookup through ``__getattr__`` and a descriptor search (``EnumTypeWrapper``), several times per
element: about a tenth of the server's CPU on a page of 300 Markdown elements (82 → 72 ms a rerun).
:func:`install` keeps each answer on the wrapper the first time it is asked, so the next lookup is a
plain attribute; names that are not values still raise ``AttributeError`` as before.
"""
from __future__ import annotations

import gc
import importlib
import socket
import threading
from collections.abc import Iterable

#: Allocations between collections of the youngest generation once the heap is frozen (default 700).
GEN0_THRESHOLD = 10_000

_SETTLE = {"pending": False}
_SETTLING = threading.Lock()


def _with_protocol(bind):  # noqa: ANN001, ANN202 - wraps Streamlit's private helper, same signature
    def bind_socket(address: str, port: int, backlog: int) -> socket.socket:
        sock = bind(address, port, backlog)
        if sock.proto:  # a Streamlit that already binds with IPPROTO_TCP: nothing to do
            return sock
        fixed = socket.socket(fileno=sock.detach())  # family, type and protocol read back from the kernel
        fixed.setblocking(False)
        fixed.set_inheritable(True)
        return fixed
    return bind_socket


def _remembering(lookup):  # noqa: ANN001, ANN202 - wraps protobuf's EnumTypeWrapper.__getattr__
    def getattr_once(self, name: str) -> int:  # noqa: ANN001
        value = lookup(self, name)  # AttributeError for a name that is not one of the enum's values
        self.__dict__[name] = value  # an enum's values never change: a plain attribute from now on
        return value
    getattr_once._easymall_enum = True  # type: ignore[attr-defined]
    return getattr_once


def install() -> None:
    """Make Streamlit's server bind sockets that asyncio recognises as TCP, and protobuf remember
    the enum values Streamlit looks up for every element (idempotent)."""
    from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper
    from streamlit.web.server.starlette import starlette_server

    if not getattr(EnumTypeWrapper.__getattr__, "_easymall_enum", False):
        EnumTypeWrapper.__getattr__ = _remembering(EnumTypeWrapper.__getattr__)

    if not getattr(starlette_server._bind_socket, "_easymall_nodelay", False):
        fixed = _with_protocol(starlette_server._bind_socket)
        fixed._easymall_nodelay = True  # type: ignore[attr-defined]
        starlette_server._bind_socket = fixed


def settle(modules: Iterable[str] = ()) -> None:
    """After a page has run, once per server started by :func:`main`: import ``modules`` (the
    other pages), collect, and freeze the long-lived heap out of later collections."""
    if not _SETTLE["pending"]:
        return
    with _SETTLING:
        if not _SETTLE["pending"]:
            return
        _SETTLE["pending"] = False
        for name in modules:
            importlib.import_module(name)
        gc.collect()
        gc.freeze()
        gc.set_threshold(GEN0_THRESHOLD, *gc.get_threshold()[1:])


def main() -> None:
    from streamlit.web import cli

    install()
    _SETTLE["pending"] = True
    cli.main(prog_name="streamlit")  # the same command line Streamlit sees under `python -m streamlit`


if __name__ == "__main__":
    main()
