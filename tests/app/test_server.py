"""easymall.ui.server: Streamlit's command line with Nagle's algorithm off on every connection."""
from __future__ import annotations

import asyncio
import socket
import threading

import pytest
from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper
from streamlit import config
from streamlit.proto.Alert_pb2 import Alert
from streamlit.runtime.app_session import AppSession
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
    monkeypatch.setattr(AppSession, "_on_scriptrunner_event", AppSession._on_scriptrunner_event)
    server.install()
    handler = AppSession._on_scriptrunner_event
    server.install()  # idempotent: wrapped once
    assert starlette_server._bind_socket._easymall_nodelay
    assert handler._easymall_burst and AppSession._on_scriptrunner_event is handler
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


class _Session:
    """What ``_one_wakeup_per_burst`` needs of an ``AppSession``: its loop hand-over and its handler."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop, self.wakeups, self.handled = loop, 0, []

    def _call_soon_on_event_loop(self, callback) -> None:  # noqa: ANN001
        self.wakeups += 1
        self.loop.call_soon_threadsafe(callback)

    def _handle_scriptrunner_event_on_event_loop(self, sender, event, forward_msg=None, **kwargs) -> None:  # noqa: ANN001
        assert threading.current_thread() is threading.main_thread()  # on the loop, never the script thread
        if forward_msg == "boom":
            raise RuntimeError("an event that fails")
        self.handled.append((event.name, forward_msg, kwargs))


def test_a_runs_messages_wake_the_loop_once_and_every_event_arrives_in_order(caplog) -> None:
    from streamlit.runtime.scriptrunner import ScriptRunnerEvent as E

    server._one_wakeup_per_burst(_Session)

    async def run() -> _Session:
        session = _Session(asyncio.get_running_loop())

        def script_thread() -> None:  # a run (a start, ninety messages, the end), then the next run begins
            session._on_scriptrunner_event(None, event=E.SCRIPT_STARTED, page_script_hash="p")
            for i in range(90):
                session._on_scriptrunner_event(None, event=E.ENQUEUE_FORWARD_MSG, forward_msg="boom" if i == 45 else i)
            session._on_scriptrunner_event(None, E.SCRIPT_STOPPED_WITH_SUCCESS)  # as AppSession itself calls it
            for i in range(3):
                session._on_scriptrunner_event(None, event=E.ENQUEUE_FORWARD_MSG, forward_msg=100 + i)

        thread = threading.Thread(target=script_thread)
        thread.start()
        thread.join()
        await asyncio.sleep(0.05)
        assert session.wakeups == 4  # the start, one batch of messages, the end, the next batch
        session._on_scriptrunner_event(None, event=E.ENQUEUE_FORWARD_MSG, forward_msg=200)  # the loop took the batch
        await asyncio.sleep(0.05)
        return session

    session = asyncio.run(run())
    assert session.wakeups == 5
    events = [e for e, _, _ in session.handled]
    assert events == ["SCRIPT_STARTED", *["ENQUEUE_FORWARD_MSG"] * 89, "SCRIPT_STOPPED_WITH_SUCCESS",
                      *["ENQUEUE_FORWARD_MSG"] * 4]
    assert [m for _, m, _ in session.handled[1:90]] == [i for i in range(90) if i != 45]
    assert [m for _, m, _ in session.handled[-4:]] == [100, 101, 102, 200]
    assert session.handled[0][2] == {"page_script_hash": "p"}
    assert "A script-runner event raised" in caplog.text  # logged; the events after it still handled


def test_final_config_reads_options_without_the_lock_and_remembers_sections(monkeypatch) -> None:
    for name in ("get_option", "get_options_for_section", "set_option"):
        monkeypatch.setattr(config, name, getattr(config, name))  # undone after the test
    config.get_config_options()  # parsed, as Streamlit does before it serves
    before = {key: config.get_option(key) for key in config._config_options}
    theme = config.get_options_for_section("theme")
    asked: list[str] = []
    original = config.get_options_for_section
    monkeypatch.setattr(config, "get_options_for_section", lambda s: asked.append(s) or original(s))
    server._final_config()
    server._final_config()  # once
    assert config.get_option._easymall_final
    assert {key: config.get_option(key) for key in config._config_options} == before
    with pytest.raises(RuntimeError, match="no.such"):
        config.get_option("no.such")
    with config._config_lock:  # held elsewhere: a read does not wait for it
        held = threading.Event()
        answer: list[object] = []

        def read() -> None:
            answer.append(config.get_option("global.minCachedMessageSize"))
            held.set()

        threading.Thread(target=read).start()
        assert held.wait(2) and answer == [before["global.minCachedMessageSize"]]
    first = config.get_options_for_section("theme")
    first["primaryColor"] = "changed by a caller"
    assert config.get_options_for_section("theme") == theme and asked == ["theme"]  # walked once, a copy each time
    monkeypatch.setattr(config._config_options["client.toolbarMode"], "_get_val_func",
                        config._config_options["client.toolbarMode"]._get_val_func)
    config.set_option("client.toolbarMode", "minimal")  # a script may set client options: seen at once
    assert config.get_option("client.toolbarMode") == "minimal"
    assert config.get_options_for_section("client")["toolbarMode"] == "minimal"
