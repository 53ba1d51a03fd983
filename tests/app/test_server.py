"""easymall.ui.server: Streamlit's command line with Nagle's algorithm off on every connection."""
from __future__ import annotations

import asyncio
import socket

import pytest
from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper
from streamlit.proto.Alert_pb2 import Alert
from streamlit.web.server.starlette import starlette_server

from easymall.ui import server


def _accepted_nodelay(sock: socket.socket) -> int:
    """TCP_NODELAY of the connection an asyncio server on ``sock`` accepts (as uvicorn serves it)."""
    async def run() -> int:
        seen: list[int] = []

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen.append(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        srv = await asyncio.start_server(handle, sock=sock)
        port = sock.getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        await reader.read()
        writer.close()
        srv.close()
        await srv.wait_closed()
        return seen[0]

    return asyncio.run(run())


def test_the_bound_socket_is_tcp_so_each_connection_sends_at_once(monkeypatch) -> None:
    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)  # undone after the test
    monkeypatch.setattr(EnumTypeWrapper, "__getattr__", EnumTypeWrapper.__getattr__)
    server.install()
    server.install()  # idempotent: wrapped once
    assert starlette_server._bind_socket._easymall_nodelay
    sock = starlette_server._bind_socket("127.0.0.1", 0, 8)
    assert (sock.family, sock.type, sock.proto) == (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    assert not sock.getblocking() and sock.get_inheritable()
    assert _accepted_nodelay(sock) == 1


def test_enum_values_are_remembered_and_unknown_names_still_fail(monkeypatch) -> None:
    original = EnumTypeWrapper.__getattr__
    asked: list[str] = []

    def counting(self, name: str) -> int:  # noqa: ANN001
        asked.append(name)
        return original(self, name)

    monkeypatch.setattr(EnumTypeWrapper, "__getattr__", server._remembering(counting))  # undone after the test
    fmt = Alert.Format
    monkeypatch.delitem(fmt.__dict__, "WARNING", raising=False)
    assert fmt.Value("WARNING") == fmt.WARNING and fmt.Value("WARNING") == fmt.WARNING
    assert asked == ["WARNING"]  # looked up once, then a plain attribute
    with pytest.raises(AttributeError, match="NOPE"):
        _ = fmt.NOPE
    assert "NOPE" not in fmt.__dict__ and asked == ["WARNING", "NOPE"]


def test_a_socket_bound_without_the_protocol_keeps_nagle_on() -> None:
    """Why the wrapper exists: asyncio leaves Nagle on for a listener created as ``socket.socket(family)``."""
    sock = socket.socket(socket.AF_INET)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    assert sock.proto == 0
    assert _accepted_nodelay(sock) == 0


def test_settle_freezes_the_long_lived_heap_once_and_only_under_the_launcher() -> None:
    """A subprocess: freezing the test worker's own heap would outlive the test."""
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent("""
        import gc, json
        from easymall.ui import server
        server.settle(["json"])                      # tests and tools: nothing happens
        before = (gc.get_freeze_count(), gc.get_threshold()[0])
        server._SETTLE["pending"] = True             # what main() sets before Streamlit starts
        server.settle(["easymall.ui.frame"])         # the first page run: imports, collects, freezes
        frozen = gc.get_freeze_count()
        garbage = [[]]; garbage[0].append(garbage)   # a cycle made after the freeze is still collected
        del garbage
        server.settle(["easymall.ui.frame"])         # later runs: nothing more
        print(json.dumps([*before, frozen, gc.get_freeze_count(), gc.get_threshold()[0], gc.collect()]))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    before_count, before_threshold, frozen, again, threshold, collected = __import__("json").loads(out)
    assert before_count == 0 and before_threshold == 700
    assert frozen > 50_000 and again == frozen  # Streamlit, pandas, Plotly and the app: frozen once
    assert threshold == server.GEN0_THRESHOLD
    assert collected >= 1
