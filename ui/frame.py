"""What frames every page: the demonstration banner and the footer."""

from __future__ import annotations

import streamlit as st

from hidden_communities import settings

from .store import data_status

ICON = settings.PROJECT_ROOT / "hidden_communities" / "assets" / "icon.png"


def demonstration_banner() -> None:
    if data_status()["demonstration_imports"]:
        st.warning(
            "**Demonstration data.** The contacts and crime reports shown are generated from a "
            "fixed seed to show how the dashboard works; they are not real records. The Census "
            "2021 population figures and the boundaries are real.",
            icon=":material/science:",
        )


def footer() -> None:
    st.divider()
    st.caption(
        "Population baselines: Office for National Statistics, Census 2021. Boundaries: Office "
        "for National Statistics licensed under the Open Government Licence v3.0; contains OS "
        "data © Crown copyright and database right 2021–2023. Contains public sector "
        "information licensed under the Open Government Licence v3.0. Methods: see the "
        "Methods page."
    )
