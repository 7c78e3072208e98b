"""Presentation: the public meeting's slides, one at a time, large and plain, for a
1920x1080 projector; the arrow keys or the buttons step through them, and the slides can
be taken away as PowerPoint or PDF. Always the public published view."""

import streamlit as st

from hidden_communities import text
from ui import slides

slides.frame()
code = slides.period_code()
if code is None:
    st.info(text.t("slides.common.no_records"))
    st.stop()
deck = slides.deck(code)
shown = slides.number(len(deck.slides))
slide = deck.slides[shown - 1]

head = st.container(key="slides_cover" if slide.code == "title" else "slides_head")
head.title(slide.title)
head.container(key="slides_reading").markdown(slide.reading)
has_table = slide.table is not None and not slide.table.empty
if slide.figure is not None:
    chart, side = st.columns([16, 9], gap="large")
    chart.container(key="slides_chart").image(
        slides.picture(code, slide.code), alt=slide.figure.alt, width="stretch"
    )
    if has_table:
        side.table(slide.table.set_index(slide.table.columns[0]))
elif has_table:
    st.table(slide.table.set_index(slide.table.columns[0]))
notes = st.container(key="slides_notes")
if slide.code == "title":  # the period, then (demonstration data) a warning
    notes.markdown(slide.notes[0])
    for line in slide.notes[1:]:
        notes.warning(line, icon=":material/science:")
else:
    bulleted = slide.figure is None and not has_table
    notes.markdown("\n".join(f"- {line}" if bulleted else f"{line}  " for line in slide.notes))
if slide.figure is not None:
    with st.expander(text.t("presentation_page.alt_label")):
        st.markdown(slide.figure.alt)

nav = st.container(key="slides_nav")
moves, period, files = nav.columns([5, 3, 4], vertical_alignment="center")
slides.navigation(moves, shown, len(deck.slides))
slides.period_control(period)
slides.downloads(files, code)
