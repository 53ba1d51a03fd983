"""Streamlit's own command line, with every browser connection sending at once (TCP_NODELAY).

``python -m easymall.ui.server run app.py [flags]`` is ``streamlit run app.py [flags]`` (``easymall
serve`` starts the app this way) with one fix to the server Streamlit 1.67 starts:

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
"""
from __future__ import annotations

import socket


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


def install() -> None:
    """Make Streamlit's server bind sockets that asyncio recognises as TCP (idempotent)."""
    from streamlit.web.server.starlette import starlette_server

    if not getattr(starlette_server._bind_socket, "_easymall_nodelay", False):
        fixed = _with_protocol(starlette_server._bind_socket)
        fixed._easymall_nodelay = True  # type: ignore[attr-defined]
        starlette_server._bind_socket = fixed


def main() -> None:
    from streamlit.web import cli

    install()
    cli.main(prog_name="streamlit")  # the same command line Streamlit sees under `python -m streamlit`


if __name__ == "__main__":
    main()
