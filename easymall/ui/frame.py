"""The shared frame: navigation, language, sidebar and the broken-document banner.

``app.py`` calls :func:`run`. Each page is a module ``pages/<name>.py`` that defines ``render()``.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from easymall.core.i18n import problem_text, t
from easymall.core.text import LANGS
from easymall.store import workspace_label
from easymall.ui import access, live, person, server
from easymall.ui.context import author, lang, literal, logged_in, login_configured, set_lang, tr, workspace

#: (module / URL path, catalogue key of the title, Material icon)
PAGES: list[tuple[str, str, str]] = [
    ("overview", "nav.overview", ":material/dashboard:"),
    ("survey", "nav.survey", ":material/fact_check:"),
    ("swot", "nav.swot", ":material/grid_view:"),
    ("segments", "nav.segments", ":material/groups:"),
    ("strategy", "nav.strategy", ":material/trending_up:"),
    ("present", "nav.present", ":material/slideshow:"),
]

#: Pages shown on a projector, without the app's chrome: no sidebar, no banners (built for nothing
#: there, and each costs a step of the slides time).
PROJECTED = {"present"}

#: Documents whose live revision the sidebar shows, with their catalogue key.
#: Served by this server (a Material icon would be fetched from fonts.gstatic.com: nothing calls the internet).
FAVICON = Path(__file__).with_name("favicon.svg")
DOCS_SHOWN = [("swot", "doc.swot"), ("stp", "doc.stp"), ("marketing", "doc.marketing"),
              ("scenarios", "doc.scenarios"), ("market", "doc.market"), ("survey", "doc.survey")]


def _page_runner(name: str) -> Callable[[], None]:
    def run_page() -> None:
        importlib.import_module(f"pages.{name}").render()

    run_page.__name__ = f"page_{name}"
    return run_page


#: Figures and their labels fit their card at any window width: a KPI value scales with its own
#: column (CSS container units, between 1.4rem and Streamlit's 2.25rem, so "−¥0.7711 bn" stays on one
#: line in a Strategy card at 1280 px) and wraps at a space rather than being cut off ("¥1,430 / bn",
#: never "亿 / 元"); a long label wraps too. A SWOT item and a segment card are one Markdown element
#: drawn as a bordered card (as ``st.container(border=True)`` draws one) without a container message
#: of its own. A horizontal container keyed ``cards_…`` lays its cards out three to a row (one a row
#: on a phone), rows as tall as their tallest card: one container message instead of a row of
#: columns per three cards.
STYLE = """<style>
[data-testid="stColumn"]:has([data-testid="stMetric"]) { container-type: inline-size; }
[class*="st-key-cards_"] { align-items: stretch !important; }
[class*="st-key-cards_"] > div { flex: 0 1 calc((100% - 2rem) / 3) !important; min-width: 0 !important;
  container-type: inline-size; }
[class*="st-key-cards_"] > div > [data-testid] { height: 100%; }
@media (max-width: 640px) { [class*="st-key-cards_"] > div { flex-basis: 100% !important; } }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: clamp(1.4rem, 14cqi, 2.25rem); }
[data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
[data-testid="stMetricValue"] * { word-break: keep-all !important; overflow-wrap: normal !important; }
[class*="st-key-swot_cards_"] [data-testid="stMarkdown"], .st-key-cards_segments [data-testid="stMarkdown"] {
  border: 1px solid rgba(49, 51, 63, 0.2);
  border-radius: 0.5rem; padding: calc(1rem - 1px); }
</style>"""


def uploader_style() -> str:
    """Streamlit's file uploader draws its own English ("Upload", "100MB per file • CSV", and "Drag and
    drop files here" on the overlay while a file is dragged over it); it has no option to translate
    them (streamlit/streamlit#13500 asks for one), so in Chinese the frame replaces them with catalogue
    text (the English is hidden — not rendered, not read out — and the Chinese drawn in its place)."""
    if lang() == "en":
        return ""
    limit = tr("upload.limit", mb=st.get_option("server.maxUploadSize"))
    return f"""<style>
[data-testid="stFileUploaderDropzone"] button, [data-testid="stFileUploaderDropzone"] button *,
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0 !important; visibility: hidden; }}
[data-testid="stFileUploaderDropzone"] button::after {{ content: "{tr('upload.button')}"; font-size: 0.875rem;
  visibility: visible; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: "{limit}"; font-size: 0.875rem;
  visibility: visible; }}
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span {{ font-size: 0 !important;
  visibility: hidden; }}
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span::after {{ content: "{tr('upload.drop')}";
  font-size: 0.875rem; visibility: visible; }}
</style>"""


def _build_pages() -> dict[str, st.Page]:
    return {
        name: st.Page(_page_runner(name), title=tr(key), icon=icon, url_path=name)
        for name, key, icon in PAGES
    }


def page(name: str) -> st.Page:
    """The page ``name`` of :data:`PAGES` (for ``st.page_link`` / ``st.switch_page``)."""
    return _build_pages()[name]


def _language_switch() -> None:
    current = lang()
    if st.session_state.get("lang_switch") not in LANGS:
        st.session_state["lang_switch"] = current

    def changed() -> None:
        set_lang(st.session_state["lang_switch"])

    st.sidebar.segmented_control(
        t("sidebar.language", current), options=list(LANGS), key="lang_switch",
        format_func=lambda code: {"en": "English", "zh": "中文"}[code], on_change=changed,
    )
    # a segmented control can be cleared by clicking the active option; keep a language anyway
    if st.session_state.get("lang_switch") is None:
        st.session_state["lang_switch"] = current


def _keep_url_in_step() -> None:
    if st.query_params.get("lang") != lang():
        st.query_params["lang"] = lang()


def _sidebar() -> None:
    ws = workspace()
    with st.sidebar:
        st.caption(tr("sidebar.workspace"))
        st.markdown(f"**{literal(workspace_label(ws, lang()))}**")
        if access.sidebar_account():
            pass
        elif logged_in():
            st.caption(tr("sidebar.author"))
            st.markdown(f"**{literal(author())}**")
            access.role_line()
            st.button(tr("sidebar.logout"), key="logout", on_click=st.logout, icon=":material/logout:")
        elif login_configured():
            st.button(tr("sidebar.login"), key="login", on_click=st.login, type="primary",
                      icon=":material/login:")
        else:
            st.text_input(tr("sidebar.author"), key="author", placeholder=tr("sidebar.author_placeholder"),
                          help=tr("sidebar.author_help"), max_chars=60)
        access.audit_download()
        access.read_only_link()
        revisions = {name: workspace().revision(name) for name, _ in DOCS_SHOWN}
        st.caption(_revisions_line(revisions))
        live.watch(revisions)  # live sync of the line: checked by the page's poll (or the frame's, below)


def _revisions_line(revisions: dict[str, int | None]) -> str:
    parts = [f"{tr(key)} r{revisions[name]}" if revisions[name] is not None else f"{tr(key)} ⚠"
             for name, key in DOCS_SHOWN]
    return tr("sidebar.revisions") + " · ".join(parts)


def document_banners() -> None:
    """One error per broken document: what and where, and that the last good version is in use."""
    ws = workspace()
    for name in ws.documents():
        result = ws.load_safe(name)
        if result.error is None:
            continue
        p = result.error.first
        where = tr("banner.where_line", file=p.file, line=p.line) if p.line else p.file
        if result.doc is not None:
            tail = tr("banner.using_last_good", revision=result.doc.revision)
        else:
            tail = tr("banner.no_good_version")
        st.error(tr("banner.sentence", where=literal(where), problem=literal(problem_text(p, lang())), tail=tail),
                 icon=":material/error:")


def run() -> None:
    """Build the whole frame and run the selected page.

    Every page module ends with ``if __name__ == "__main__": run()``: until some session has run
    ``app.py``, Streamlit's legacy router serves ``pages/<name>.py`` by itself for a bookmarked
    ``/<name>``; the guard then builds the real frame, which selects the page from the URL.
    """
    st.set_page_config(page_title="Easy Mall Strategy Studio", page_icon=str(FAVICON),
                       layout="wide", initial_sidebar_state="expanded")
    lang()
    pages = _build_pages()
    if access.read_only_view():  # the meeting-room link: the Present page's follow view, whatever the path
        st.navigation(list(pages.values()), position="hidden")  # every path is known: no "page not found"
        st.html(STYLE)
        _keep_url_in_step()
        _page_runner("present")()
        return

    def home() -> None:  # "/" shows the Overview at its own URL, so /overview is the one address
        st.switch_page(pages["overview"])

    admitted = access.admitted()  # accounts / oidc: no page (nor the list of pages) before logging in
    nav = st.navigation([st.Page(home, title=tr("nav.overview"), url_path="home", default=True,
                                 visibility="hidden"), *pages.values()], position="sidebar" if admitted else "hidden")
    st.logo(str(Path(__file__).with_name("logo.svg")), size="large")
    st.html(STYLE + uploader_style())
    _language_switch()
    _keep_url_in_step()
    person.restore_name()  # a reloaded page knows who this is again (before the sidebar's name field draws)
    person.set_cookie()
    if not admitted:  # the URL keeps the page: it opens once logged in
        access.login_screen()
        return
    if nav.url_path not in PROJECTED:
        _sidebar()
        document_banners()
    nav.run()
    if nav.url_path not in PROJECTED:
        live.poll_watched(every=2.0)  # the sidebar's live sync when the page follows no document itself
    server.settle(f"pages.{name}" for name in pages)  # once per server: the long-lived heap out of the collector

