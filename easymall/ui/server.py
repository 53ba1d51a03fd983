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

Two more changes serve a room of sessions sharing one interpreter lock. Each element a script run
builds reached the event loop as a callback of its own (``call_soon_threadsafe``), and each such
hand-over wrote to the loop's wake-up socket: a system call that lets go of the interpreter lock and
waits for it again behind every other session's script thread, about ninety times a rerun.
:func:`install` has a run's consecutive messages go to the loop as one batch, one wake-up for as
many as arrive before the loop takes it (:func:`_one_wakeup_per_burst`); a run's start and end still
go one by one, in the order sent. And once the first page has run the configuration is final
(Streamlit parses it at start; a script may set only ``client.*`` options, which still take effect),
so :func:`settle` lets option reads skip the lock every message's cache check took
(``global.minCachedMessageSize``), and remembers the theme sections the ``new_session`` message of
every rerun lists (each a walk over all ~250 options) until an option is set. Thirty sessions
rerunning the Strategy page, against the launcher without them, runs interleaved: p95 995 → 444 ms,
45.6 → 28.2 ms of server CPU a rerun (with the page's own cuts of the same day).
"""
from __future__ import annotations

import functools
import gc
import importlib
import logging
import socket
import threading
from collections.abc import Iterable
from typing import Any

#: Allocations between collections of the youngest generation once the heap is frozen (default 700).
GEN0_THRESHOLD = 10_000

_SETTLE = {"pending": False}
_SETTLING = threading.Lock()
_LOGGER = logging.getLogger(__name__)


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


class _Batch(list):
    """Consecutive messages of a script run on their way to the event loop (``taken`` once the loop
    has started on them: later messages go in a new batch)."""

    taken = False


def _one_wakeup_per_burst(cls: type) -> None:
    """``AppSession._on_scriptrunner_event`` (called on a script thread for every message of a run)
    hands consecutive ``ENQUEUE_FORWARD_MSG`` events to the loop as one batch, one wake-up for as
    many messages as arrive before the loop starts on it, instead of one ``call_soon_threadsafe`` (a
    write to the loop's wake-up socket) per message. Every other event (a run starting or stopping,
    the runner shutting down) closes the batch and goes as its own callback, as Streamlit sends it,
    so the loop sees every event in the order sent and can flush to the browser between a run's end
    and the next run's start exactly as before. Each event is handled as Streamlit does
    (``_handle_scriptrunner_event_on_event_loop``); one that raises is logged, the rest go on."""
    from streamlit.runtime.scriptrunner import ScriptRunnerEvent

    message = ScriptRunnerEvent.ENQUEUE_FORWARD_MSG

    def on_scriptrunner_event(self: Any, *args: Any, **kwargs: Any) -> None:
        event = kwargs.get("event", args[1] if len(args) > 1 else None)
        lock = self.__dict__.get("_easymall_lock") or self.__dict__.setdefault("_easymall_lock", threading.Lock())
        with lock:
            batch = self.__dict__.get("_easymall_batch")
            if event is not message:
                self._easymall_batch = None  # what follows goes after this event
            elif batch is not None and not batch.taken:
                batch.append((args, kwargs))
                return
            else:
                batch = self._easymall_batch = _Batch([(args, kwargs)])
        if event is message:
            self._call_soon_on_event_loop(functools.partial(_hand_over, self, batch, lock))
        else:
            self._call_soon_on_event_loop(functools.partial(_handle, self, args, kwargs))

    on_scriptrunner_event._easymall_burst = True  # type: ignore[attr-defined]
    cls._on_scriptrunner_event = on_scriptrunner_event


def _hand_over(session: Any, batch: _Batch, lock: threading.Lock) -> None:
    """On the event loop: a batch of messages, in order (nothing joins it once started)."""
    with lock:
        batch.taken = True
    for args, kwargs in batch:
        _handle(session, args, kwargs)


def _handle(session: Any, args: tuple, kwargs: dict) -> None:
    try:
        session._handle_scriptrunner_event_on_event_loop(*args, **kwargs)
    except Exception:  # what asyncio does with a callback that raises: log it, carry on
        _LOGGER.exception("A script-runner event raised on the event loop")


def install() -> None:
    """Make Streamlit's server bind sockets that asyncio recognises as TCP, protobuf remember the
    enum values Streamlit looks up for every element, and script runs wake the event loop once a
    burst of messages (idempotent)."""
    from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper
    from streamlit.runtime.app_session import AppSession
    from streamlit.web.server.starlette import starlette_server

    if not getattr(EnumTypeWrapper.__getattr__, "_easymall_enum", False):
        EnumTypeWrapper.__getattr__ = _remembering(EnumTypeWrapper.__getattr__)

    parts = ("_on_scriptrunner_event", "_call_soon_on_event_loop", "_handle_scriptrunner_event_on_event_loop")
    if all(hasattr(AppSession, name) for name in parts) and not getattr(
            AppSession._on_scriptrunner_event, "_easymall_burst", False):
        _one_wakeup_per_burst(AppSession)

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
        _final_config()
        gc.collect()
        gc.freeze()
        gc.set_threshold(GEN0_THRESHOLD, *gc.get_threshold()[1:])


def _final_config() -> None:
    """Option reads without the config lock, and each section's options remembered until one is set
    (once Streamlit has parsed its configuration, which it does before serving)."""
    from streamlit import config

    if getattr(config.get_option, "_easymall_final", False) or not config._config_options:
        return
    locked_get, locked_section, locked_set = config.get_option, config.get_options_for_section, config.set_option
    sections: dict[str, dict[str, Any]] = {}

    def get_option(key: str) -> Any:
        options = config._config_options
        if options is None or key not in options:
            return locked_get(key)  # not parsed yet, or not an option: Streamlit's own answer or error
        return options[key].value

    def get_options_for_section(section: str) -> dict[str, Any]:
        if section not in sections:
            sections[section] = locked_section(section)
        return dict(sections[section])  # a copy: a caller may change what it is given

    def set_option(*args: Any, **kwargs: Any) -> None:
        sections.clear()
        locked_set(*args, **kwargs)

    for fn in (get_option, get_options_for_section, set_option):
        fn._easymall_final = True  # type: ignore[attr-defined]
    config.get_option, config.get_options_for_section, config.set_option = (
        get_option, get_options_for_section, set_option)


def main() -> None:
    from streamlit.web import cli

    install()
    _SETTLE["pending"] = True
    cli.main(prog_name="streamlit")  # the same command line Streamlit sees under `python -m streamlit`


if __name__ == "__main__":
    main()
