"""What frames every page: the pages and their navigation, the demonstration banner and
the footer."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from hidden_communities import settings, snapshots, text

from .store import data_status

ICON = settings.PROJECT_ROOT / "hidden_communities" / "assets" / "icon.png"


@dataclass(frozen=True)
class PageSpec:
    """One page: its file in pages/, its URL path, its title's catalogue key, its icon.

    A URL path never equals its file's stem: streamlit would take such a file for a page
    of its older, folder-based navigation (AppTest then runs it without dashboard.py).
    """

    file: str
    url_path: str
    title_key: str
    icon: str
    section: str


PAGES = (
    PageSpec("overview.py", "", "nav.overview", ":material/dashboard:", "nav.explore"),
    PageSpec("map.py", "engagement-map", "nav.map", ":material/map:", "nav.explore"),
    PageSpec("trends.py", "monthly-trends", "nav.trends", ":material/timeline:", "nav.explore"),
    PageSpec(
        "representation.py",
        "under-representation",
        "nav.representation",
        ":material/balance:",
        "nav.explore",
    ),
    PageSpec(
        "district_view.py",
        "districts-compared",
        "districts_page.nav",
        ":material/compare:",
        "nav.explore",
    ),
    PageSpec(
        "published_crime.py",
        "published-crime",
        "nav.published",
        ":material/local_police:",
        "nav.explore",
    ),
    PageSpec(
        "priorities.py",
        "whose-voice",
        "nav.priorities",
        ":material/record_voice_over:",
        "nav.explore",
    ),
    PageSpec(
        "scorecard.py",
        "leadership-scorecard",
        "nav.scorecard",
        ":material/leaderboard:",
        "nav.explore",
    ),
    PageSpec(
        "presentation.py",
        "public-presentation",
        "presentation_page.nav",
        ":material/co_present:",
        "nav.explore",
    ),
    PageSpec("load_data.py", "data", "nav.load", ":material/upload_file:", "nav.data"),
    PageSpec(
        "log_contact.py", "log-contact", "nav.log_contact", ":material/edit_note:", "nav.data"
    ),
    PageSpec(
        "data_quality.py", "data-quality", "nav.data_quality", ":material/fact_check:", "nav.data"
    ),
    PageSpec(
        "methods_and_sources.py", "methods", "nav.methods", ":material/functions:", "nav.about"
    ),
)


def page_url(url_path: str, params: dict[str, list[str]]) -> str:
    """A link to one of the pages with its URL parameters (codes), relative to the app."""
    return f"./{url_path}?{urlencode(params, doseq=True)}"


def pages() -> list[st.Page]:
    """The app's pages, in order (the first is the default)."""
    return [
        st.Page(
            f"pages/{spec.file}",
            title=text.t(spec.title_key),
            icon=spec.icon,
            url_path=spec.url_path,  # "" for the default page: never its file stem
            default=not spec.url_path,
        )
        for spec in PAGES
    ]


def navigation_links(box, app_pages: list[st.Page]) -> None:
    """Links to every page, by section, carrying the URL's filters.

    Streamlit's own sidebar navigation is hidden: its markup fails the axe `list` rules,
    and switching pages through it drops the query string.
    """
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    with box:
        section = None
        for spec, page in zip(PAGES, app_pages, strict=True):
            if spec.section != section:
                section = spec.section
                # Plain text, not a caption: a caption's grey fails the contrast rule here.
                st.markdown(f"**{text.t(section)}**")
            st.page_link(page, label=page.title, icon=spec.icon, query_params=params)


def demonstration_banner() -> None:
    if data_status()["demonstration_imports"]:
        st.warning(text.t("frame.demonstration"), icon=":material/science:")


def snapshot_banner() -> None:
    """When the app serves a Parquet snapshot: which one, and that nothing is written here."""
    location = settings.parquet_dir()
    if not location:
        return
    try:
        written = snapshots.written_at(location)
    except snapshots.SnapshotError:
        return  # the first query says so, and stops the page
    st.info(
        text.t("snapshot_mode.banner", date=text.date(written.date()), time=f"{written:%H:%M}"),
        icon=":material/inventory_2:",
    )


def footer() -> None:
    st.divider()
    st.caption(text.t("frame.footer"))
