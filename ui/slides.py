"""Streamlit glue for the presentation page: the deck and its pictures and files cached by
language, period and data version, the slide number and period in the URL, the arrow keys,
and the CSS that hides the app's chrome and sets the type for a 1920x1080 projector.

The deck is always the public published view (hidden_communities/presentation.py), so
the audience chosen elsewhere does not change it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hidden_communities import presentation, slides_charts, slides_export, text
from hidden_communities.presentation import Deck

from . import store, url

SLIDE_KEY = "slide"
PERIOD_KEY = "slides_period"
BUTTONS = ("slides_previous", "slides_next")

# Type for a 1920x1080 projector: body 30 px, tables 28 px (at least the 28 px a hall
# needs); the charts are images whose labels are 22 px at that width.
CSS = """
<style>
header[data-testid="stHeader"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"],
[data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 1920px; padding: 1.2rem 4rem 1rem 4rem; }
[data-testid="stMain"] h1 { font-size: 52px; line-height: 1.15; padding: 0 0 0.2rem 0; }
[data-testid="stMain"] .stMarkdown p, [data-testid="stMain"] .stMarkdown li {
  font-size: 30px; line-height: 1.3; }
.st-key-slides_reading p { font-size: 34px !important; font-weight: 700; }
.st-key-slides_notes p, .st-key-slides_notes li { font-size: 28px !important; }
[data-testid="stTable"] table, [data-testid="stTable"] th, [data-testid="stTable"] td {
  font-size: 28px !important; line-height: 1.25; color: #1a1a1a !important; }
.st-key-slides_chart img { max-height: 560px; width: auto !important; max-width: 100%; }
[data-testid="stMain"] button p, [data-testid="stMain"] [data-testid="stExpander"] summary p {
  font-size: 24px !important; }
.st-key-slides_cover { padding: 12vh 0 4vh 0; }
.st-key-slides_cover h1 { font-size: 76px; }
.st-key-slides_nav { border-top: 2px solid #ddd; padding-top: 0.6rem; }
</style>
"""

# st.html runs this script in the page itself (not an iframe), so the arrow keys click
# the Previous and Next buttons; it is added once, and does nothing while a field has focus.
KEYS = """
<script>
if (!window.hcSlideKeys) {
  window.hcSlideKeys = true;
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea, select, [contenteditable], [role=combobox]")) {
      return;
    }
    const step = {ArrowRight: "next", PageDown: "next", ArrowLeft: "previous",
                  PageUp: "previous"}[event.key];
    const button = step && document.querySelector(`.st-key-slides_${step} button`);
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });
}
</script>
"""


def frame() -> None:
    """Hide the chrome and sidebar, set the type, listen to the arrow keys."""
    st.html(CSS)
    st.html(KEYS, unsafe_allow_javascript=True)


def _version() -> str:
    return str(store.data_status()["version"])


@st.cache_data(show_spinner=False, max_entries=16)
def _deck(lang: str, period_code: str, version: str) -> Deck:
    return presentation.build(store.query, presentation.parse_period(period_code), lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _picture(lang: str, period_code: str, version: str, code: str) -> bytes:
    deck = _deck(lang, period_code, version)
    figure = next(s.figure for s in deck.slides if s.code == code)
    with text.language(lang):
        return slides_charts.draw(figure)


@st.cache_data(show_spinner=False, max_entries=8)
def _file(lang: str, period_code: str, version: str, suffix: str) -> bytes:
    deck = _deck(lang, period_code, version)
    pictures = {
        s.code: _picture(lang, period_code, version, s.code) for s in deck.slides if s.figure
    }
    if suffix == ".pptx":
        return slides_export.to_pptx(deck, pictures)
    return slides_export.to_pdf(deck, pictures)


def period_code() -> str | None:
    """The period chosen (its code, kept in the URL), from the whole quarters the data
    cover; None when the database holds no records."""
    status = store.data_status()
    if pd.isna(status["last_date"]):
        return None
    offered = presentation.period_choices(
        pd.Timestamp(status["first_date"]).date(), pd.Timestamp(status["last_date"]).date()
    )
    codes = [p.code() for p in offered]

    def parse(values: list[str]) -> str:
        return values[-1] if values[-1] in codes else codes[0]

    url.restore(PERIOD_KEY, parse, codes[0])
    if st.session_state[PERIOD_KEY] not in codes:
        st.session_state[PERIOD_KEY] = codes[0]
    return st.session_state[PERIOD_KEY]


def period_control(box) -> None:
    status = store.data_status()
    offered = presentation.period_choices(
        pd.Timestamp(status["first_date"]).date(), pd.Timestamp(status["last_date"]).date()
    )
    words = {p.code(): presentation.period_words(p) for p in offered}
    box.selectbox(
        text.t("presentation_page.period"),
        list(words),
        format_func=text.in_language_now(words.get),
        key=PERIOD_KEY,
        label_visibility="collapsed",
    )


def deck(code: str) -> Deck:
    return _deck(text.current_language(), code, _version())


def picture(code: str, slide: str) -> bytes:
    return _picture(text.current_language(), code, _version(), slide)


def number(total: int) -> int:
    """The slide shown (1 to total), kept in the URL as `?slide=N`."""

    def parse(values: list[str]) -> int:
        try:
            return min(max(int(values[-1]), 1), total)
        except ValueError:
            return 1

    url.restore(SLIDE_KEY, parse, 1)
    st.session_state[SLIDE_KEY] = min(max(int(st.session_state[SLIDE_KEY]), 1), total)
    return st.session_state[SLIDE_KEY]


def _step(by: int, total: int) -> None:
    st.session_state[SLIDE_KEY] = min(max(st.session_state[SLIDE_KEY] + by, 1), total)


def navigation(box, shown: int, total: int) -> None:
    """Previous and Next (the arrow keys click them), and where we are."""
    back, where, forward = box.columns([1, 1, 1], vertical_alignment="center")
    back.button(
        text.t("presentation_page.previous"),
        key=BUTTONS[0],
        icon=":material/arrow_back:",
        on_click=_step,
        args=(-1, total),
        disabled=shown <= 1,
        width="stretch",
    )
    where.markdown(
        text.t("presentation_page.position", n=text.number(shown), total=text.number(total))
    )
    forward.button(
        text.t("presentation_page.next"),
        key=BUTTONS[1],
        icon=":material/arrow_forward:",
        on_click=_step,
        args=(1, total),
        disabled=shown >= total,
        width="stretch",
        help=text.t("presentation_page.keys"),
    )


def downloads(box, code: str) -> None:
    """The deck to take away, as PowerPoint and PDF, made only when asked for."""
    lang = text.current_language()
    missing = dict(slides_export.unavailable(lang))
    columns = box.columns(len(slides_export.SUFFIXES))
    for column, suffix in zip(columns, slides_export.SUFFIXES, strict=True):
        kind = suffix.removeprefix(".")
        if suffix in missing:
            column.caption(text.t("presentation_page.missing", reason=missing[suffix]))
            continue
        column.download_button(
            text.t(f"presentation_page.download_{kind}"),
            data=lambda suffix=suffix: _file(lang, code, _version(), suffix),
            file_name=f"presentation-{lang}-{code}{suffix}",
            mime=slides_export.MIME[suffix],
            on_click="ignore",
            key=f"slides_download_{kind}",
            icon=":material/download:",
            help=text.t("presentation_page.download_help"),
            width="stretch",
        )
