"""The presentation as slides to take away: PowerPoint (python-pptx) and PDF (WeasyPrint),
made offline from a `presentation.Deck`, in the deck's language.

One layout serves both, in the pixels of a 1920x1080 slide (`BOXES`, `TYPE`). The
PowerPoint slide is 20 x 11.25 inches, so one slide pixel is 1/96 inch, 0.75 point: body
text of 30 pixels is 22.5 points, table text of 28 pixels is 21 points, above the 20
points (28 pixels) a hall needs. The PDF pages are 1920 x 1080 CSS pixels, landscape 16:9.

Every chart is a PNG picture (`slides_charts`) with its text alternative: in PowerPoint
the picture's `descr` (what screen readers and the accessibility checker read), in the
PDF the `alt` of the image of a tagged PDF/UA-1 document, as the briefing does. Text is
real text in DejaVu Sans, so Polish letters survive. A missing piece (python-pptx,
matplotlib, WeasyPrint's Pango) raises `SlidesUnavailable` with one plain sentence.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import pandas as pd

from . import text
from .briefing import PANGO_PACKAGES
from .presentation import Deck, Slide

SUFFIXES = (".pptx", ".pdf")
MIME = {
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pdf": "application/pdf",
}
SLIDE_W, SLIDE_H = 1920, 1080
FONT = "DejaVu Sans"
TYPE = {  # slide pixels
    "cover_title": 76,
    "cover_reading": 40,
    "cover_note": 34,
    "title": 56,
    "reading": 36,
    "body": 30,
    "table": 28,
    "note": 28,
}
LINE = 1.2  # line height, times the type size
CELL_PAD = 8  # table cell padding, pixels each side


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int


BOXES = {
    "cover_title": Box(80, 260, 1760, 220),
    "cover_reading": Box(80, 500, 1760, 150),
    "cover_notes": Box(80, 680, 1760, 340),
    "title": Box(80, 44, 1760, 84),
    "reading": Box(80, 140, 1760, 140),
    "chart": Box(80, 300, 1100, 560),  # slides_charts.WIDTH x HEIGHT
    "side": Box(1220, 300, 620, 570),
    "full": Box(80, 300, 1760, 570),
    "notes": Box(80, 878, 1760, 180),
    "text": Box(80, 300, 1760, 740),
}


class SlidesUnavailable(RuntimeError):
    """A piece the export needs is missing on this machine (the message says which)."""


# ------------------------------------------------------------------------------ what goes where


@dataclass(frozen=True)
class Part:
    """One piece of a slide in its box: kind "text" (lines at a type size, bulleted or
    not), "table" or "picture"."""

    kind: str
    box: Box
    size: int = 0
    lines: tuple[str, ...] = ()
    bullets: bool = False
    bold: bool = False
    table: pd.DataFrame | None = None
    png: bytes = b""
    alt: str = ""
    role: str = ""  # "title", "reading", "notes", "demonstration", ...


def _pictures(deck: Deck) -> dict[str, bytes]:
    from . import slides_charts

    with text.language(deck.lang):
        return {s.code: slides_charts.draw(s.figure) for s in deck.slides if s.figure}


def layout(deck: Deck, pictures: dict[str, bytes] | None = None) -> list[list[Part]]:
    """Each slide's parts in their boxes: the one layout PowerPoint and PDF both follow."""
    pictures = _pictures(deck) if pictures is None else pictures
    return [_slide_parts(deck, slide, pictures) for slide in deck.slides]


def _slide_parts(deck: Deck, slide: Slide, pictures: dict[str, bytes]) -> list[Part]:
    if slide.code == "title":
        parts = [
            Part(
                "text",
                BOXES["cover_title"],
                TYPE["cover_title"],
                (slide.title,),
                bold=True,
                role="title",
            ),
            Part(
                "text",
                BOXES["cover_reading"],
                TYPE["cover_reading"],
                (slide.reading,),
                role="reading",
            ),
        ]
        period, *rest = slide.notes
        parts.append(
            Part("text", BOXES["cover_notes"], TYPE["cover_note"], (period,), role="notes")
        )
        if rest:
            box = BOXES["cover_notes"]
            below = Box(box.left, box.top + 80, box.width, box.height - 80)
            parts.append(
                Part(
                    "text", below, TYPE["cover_note"], tuple(rest), bold=True, role="demonstration"
                )
            )
        return parts
    parts = [
        Part("text", BOXES["title"], TYPE["title"], (slide.title,), bold=True, role="title"),
        Part(
            "text", BOXES["reading"], TYPE["reading"], (slide.reading,), bold=True, role="reading"
        ),
    ]
    has_table = slide.table is not None and not slide.table.empty
    if slide.figure is not None:
        parts.append(
            Part("picture", BOXES["chart"], png=pictures[slide.code], alt=slide.figure.alt)
        )
        if has_table:
            parts.append(Part("table", BOXES["side"], TYPE["table"], table=slide.table))
    elif has_table:
        parts.append(Part("table", BOXES["full"], TYPE["table"], table=slide.table))
    if slide.figure is None and not has_table:
        parts.append(
            Part("text", BOXES["text"], TYPE["body"], slide.notes, bullets=True, role="notes")
        )
    elif slide.notes:
        parts.append(Part("text", BOXES["notes"], TYPE["note"], slide.notes, role="notes"))
    return parts


# ------------------------------------------------------------------------------ will it fit?


@cache
def _font(size: int, bold: bool):
    from matplotlib import font_manager
    from PIL import ImageFont

    path = font_manager.findfont(
        font_manager.FontProperties(family=FONT, weight="bold" if bold else "normal")
    )
    return ImageFont.truetype(path, size)


def wrapped(words: str, size: int, width: int, bold: bool = False) -> int:
    """How many lines a text takes in a box `width` pixels wide (greedy word wrap)."""
    font = _font(size, bold)
    lines, current = 0, ""
    for paragraph in str(words).split("\n"):
        current = ""
        lines += 1
        for word in paragraph.split(" "):
            trial = f"{current} {word}".strip()
            if current and font.getlength(trial) > width:
                lines += 1
                current = word
            else:
                current = trial
    return lines


def column_widths(table: pd.DataFrame, width: int, size: int = TYPE["table"]) -> list[int]:
    """Column widths that add up to `width`: each column at least as wide as its longest
    word (no word is ever broken), the rest shared by how much text each column holds."""
    plain, bold = _font(size, False), _font(size, True)
    floors, weights = [], []
    for column in table.columns:
        words = [(w, bold) for w in str(column).split()]
        words += [(w, plain) for v in table[column] for w in str(v).split()]
        longest = max((font.getlength(w) for w, font in words), default=0)
        floors.append(int(longest) + 2 * CELL_PAD + 2)
        body = max((len(str(v)) for v in table[column]), default=0)
        weights.append(max(body, len(str(column)) // 3))  # a header may wrap more
    spare = max(width - sum(floors), 0)
    total = sum(weights) or 1
    widths = [f + int(spare * w / total) for f, w in zip(floors, weights, strict=True)]
    widths[-1] += width - sum(widths)
    return widths


def table_height(table: pd.DataFrame, size: int, width: int) -> int:
    widths = column_widths(table, width, size)
    inner = [w - 2 * CELL_PAD for w in widths]

    def row(cells, bold=False) -> int:
        lines = max(wrapped(str(c), size, w, bold) for c, w in zip(cells, inner, strict=True))
        return int(lines * size * LINE) + 2 * CELL_PAD

    return row(table.columns, True) + sum(row(r) for r in table.itertuples(index=False))


def text_height(part: Part) -> int:
    indent = 40 if part.bullets else 0
    gap = int(part.size * 0.4) if part.bullets or len(part.lines) > 1 else 0
    return sum(
        int(wrapped(line, part.size, part.box.width - indent, part.bold) * part.size * LINE) + gap
        for line in part.lines
    )


def overflows(deck: Deck, pictures: dict[str, bytes] | None = None) -> list[str]:
    """The parts whose text would not fit their box (none, when the layout holds)."""
    problems = []
    for number, parts in enumerate(layout(deck, pictures or _no_pictures(deck)), start=1):
        for part in parts:
            if part.kind == "text":
                needed = text_height(part)
            elif part.kind == "table":
                needed = table_height(part.table, part.size, part.box.width)
            else:
                continue
            if needed > part.box.height:
                problems.append(
                    f"slide {number} {part.role or part.kind}: {needed} > {part.box.height} px"
                )
    return problems


def _no_pictures(deck: Deck) -> dict[str, bytes]:
    return {s.code: b"" for s in deck.slides if s.figure}


# ------------------------------------------------------------------------------ PowerPoint

EMU_PER_PX = 9525  # 914,400 EMU an inch, 96 slide pixels an inch


def _emu(px: float) -> int:
    return int(round(px * EMU_PER_PX))


def _pt(px: float):
    from pptx.util import Pt

    return Pt(px * 0.75)


def _language_tag(lang: str) -> str:
    return text.locale_code(lang).replace("_", "-")


def _write_runs(frame, lines, size, *, bold=False, bullets=False, lang="en", colour=None):
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if bullets or len(lines) > 1:
            paragraph.space_after = Pt(size * 0.75 * 0.4)
        run = paragraph.add_run()
        run.text = f"•  {line}" if bullets else line
        run.font.size = _pt(size)
        run.font.bold = bold
        run.font.name = FONT
        run.font.color.rgb = RGBColor.from_string(colour or "1A1A1A")
        run.font._rPr.set("lang", _language_tag(lang))  # so a screen reader reads Polish


def _no_margins(frame) -> None:
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0


def _pptx_text(slide, part: Part, lang: str) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_AUTO_SIZE

    box = part.box
    if part.role == "title":
        shape = slide.shapes.title
        shape.left, shape.top = _emu(box.left), _emu(box.top)
        shape.width, shape.height = _emu(box.width), _emu(box.height)
        shape.text_frame.clear()
    else:
        shape = slide.shapes.add_textbox(
            _emu(box.left), _emu(box.top), _emu(box.width), _emu(box.height)
        )
    frame = shape.text_frame
    frame.auto_size = MSO_AUTO_SIZE.NONE
    _no_margins(frame)
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

    frame.vertical_anchor = MSO_ANCHOR.TOP
    _write_runs(frame, part.lines, part.size, bold=part.bold, bullets=part.bullets, lang=lang)
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
    if part.role == "demonstration":
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor.from_string("FFF3CC")
        shape.line.color.rgb = RGBColor.from_string("7A5C00")
        frame.margin_left = frame.margin_right = frame.margin_top = _emu(12)
        shape.height = _emu(text_height(part) + 24)


def _pptx_table(slide, part: Part, lang: str) -> None:
    from pptx.dml.color import RGBColor

    table = part.table
    box = part.box
    rows, cols = len(table) + 1, len(table.columns)
    height = min(table_height(table, part.size, box.width), box.height)
    shape = slide.shapes.add_table(
        rows, cols, _emu(box.left), _emu(box.top), _emu(box.width), _emu(height)
    )
    grid = shape.table
    grid.first_row = True
    for i, width in enumerate(column_widths(table, box.width, part.size)):
        grid.columns[i].width = _emu(width)
    cells = [
        list(map(str, table.columns)),
        *[list(map(str, r)) for r in table.itertuples(index=False)],
    ]
    for r, values in enumerate(cells):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.margin_left = cell.margin_right = _emu(CELL_PAD)
            cell.margin_top = cell.margin_bottom = _emu(CELL_PAD)
            cell.text_frame.clear()
            header = r == 0
            _write_runs(
                cell.text_frame,
                (value,),
                part.size,
                bold=header,
                lang=lang,
                colour="FFFFFF" if header else None,
            )
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor.from_string(
                "0B3D6B" if header else ("F2F2F2" if r % 2 else "FFFFFF")
            )


def _pptx_picture(slide, part: Part) -> None:
    box = part.box
    picture = slide.shapes.add_picture(
        io.BytesIO(part.png), _emu(box.left), _emu(box.top), _emu(box.width), _emu(box.height)
    )
    # The text alternative, where PowerPoint keeps it: the picture's non-visual properties.
    picture._element.nvPicPr.cNvPr.set("descr", part.alt)


def to_pptx(deck: Deck, pictures: dict[str, bytes] | None = None) -> bytes:
    """The deck as a PowerPoint file (16:9, 20 x 11.25 inches)."""
    try:
        from pptx import Presentation
        from pptx.util import Emu
    except ImportError as error:
        raise SlidesUnavailable(_words("slides.export.no_pptx", deck, error=str(error))) from None
    pictures = _pictures(deck) if pictures is None else pictures
    pres = Presentation()
    pres.slide_width, pres.slide_height = Emu(_emu(SLIDE_W)), Emu(_emu(SLIDE_H))
    title_only = pres.slide_layouts[5]  # a real title on every slide, for screen readers
    pres.core_properties.title = deck.title
    pres.core_properties.language = _language_tag(deck.lang)
    for slide, parts in zip(deck.slides, layout(deck, pictures), strict=True):
        page = pres.slides.add_slide(title_only)
        for part in parts:
            if part.kind == "text":
                _pptx_text(page, part, deck.lang)
            elif part.kind == "table":
                _pptx_table(page, part, deck.lang)
            else:
                _pptx_picture(page, part)
        notes = [slide.reading] + ([slide.figure.alt] if slide.figure else [])
        page.notes_slide.notes_text_frame.text = "\n\n".join(notes)
    out = io.BytesIO()
    pres.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------ PDF

_CSS = f"""
@page {{ size: {SLIDE_W}px {SLIDE_H}px; margin: 0; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: "{FONT}", sans-serif; color: #1a1a1a; line-height: {LINE}; }}
section {{ position: relative; width: {SLIDE_W}px; height: {SLIDE_H}px; overflow: hidden;
           page-break-after: always; break-after: page; }}
section:last-child {{ page-break-after: auto; break-after: auto; }}
.part {{ position: absolute; margin: 0; }}
h1, h2, p, ul {{ margin: 0; padding: 0; }}
h1, h2 {{ font-weight: bold; }}
ul {{ list-style: none; }}
li {{ margin: 0 0 0.4em 0; padding-left: 40px; text-indent: -40px; }}
li::before {{ content: "•"; display: inline-block; width: 40px; text-indent: 0; }}
.notes p {{ margin: 0 0 0.4em 0; }}
.demonstration {{ background: #FFF3CC; border: 2px solid #7A5C00; padding: 12px;
                  font-weight: bold; }}
table {{ border-collapse: collapse; table-layout: fixed; }}
th, td {{ padding: {CELL_PAD}px; overflow-wrap: break-word; text-align: left; vertical-align: top; }}
th {{ background: #0B3D6B; color: #ffffff; }}
tbody tr:nth-child(odd) td {{ background: #F2F2F2; }}
img {{ display: block; }}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _style(box: Box, size: int = 0) -> str:
    font = f" font-size: {size}px;" if size else ""
    return (
        f'style="left: {box.left}px; top: {box.top}px; width: {box.width}px;'
        f' max-height: {box.height}px;{font}"'
    )


def _html_part(part: Part, first: bool) -> str:
    if part.kind == "picture":
        data = base64.b64encode(part.png).decode("ascii")
        return (
            f'<figure class="part" {_style(part.box)}><img src="data:image/png;base64,{data}" '
            f'alt="{_e(part.alt)}" style="width: {part.box.width}px; height: {part.box.height}px">'
            "</figure>"
        )
    if part.kind == "table":
        widths = column_widths(part.table, part.box.width, part.size)
        cols = "".join(f'<col style="width: {w}px">' for w in widths)
        head = "".join(f'<th scope="col">{_e(c)}</th>' for c in part.table.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>"
            for row in part.table.itertuples(index=False)
        )
        return (
            f'<table class="part" {_style(part.box, part.size)}><colgroup>{cols}</colgroup>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )
    if part.role == "title":
        tag = "h1" if first else "h2"
        return f'<{tag} class="part" {_style(part.box, part.size)}>{_e(part.lines[0])}</{tag}>'
    if part.bullets:
        items = "".join(f"<li>{_e(line)}</li>" for line in part.lines)
        return f'<ul class="part" {_style(part.box, part.size)}>{items}</ul>'
    weight = " font-weight: bold;" if part.bold else ""
    lines = "".join(f"<p>{_e(line)}</p>" for line in part.lines)
    css = part.role if part.role in ("notes", "demonstration") else ""
    style = _style(part.box, part.size)[:-1] + weight + '"'
    return f'<div class="part {css}" {style}>{lines}</div>'


def to_html(deck: Deck, pictures: dict[str, bytes] | None = None) -> str:
    """The deck as one self-contained HTML document, a section a slide (nothing fetched)."""
    pictures = _pictures(deck) if pictures is None else pictures
    out = [
        f'<!DOCTYPE html><html lang="{_e(_language_tag(deck.lang))}"><head><meta charset="utf-8">',
        f"<title>{_e(deck.title)}</title><style>{_CSS}</style></head><body>",
    ]
    for number, parts in enumerate(layout(deck, pictures)):
        out.append("<section>")
        out += [_html_part(part, number == 0) for part in parts]
        out.append("</section>")
    out.append("</body></html>")
    return "".join(out)


def to_pdf(deck: Deck, pictures: dict[str, bytes] | None = None) -> bytes:
    """The deck as a tagged PDF/UA-1 document, a 16:9 landscape page a slide."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        raise SlidesUnavailable(
            _words(
                "slides.export.no_weasyprint", deck, packages=PANGO_PACKAGES, error=str(error)[:120]
            )
        ) from None
    options = {"pdf_variant": "pdf/ua-1", "pdf_identifier": b"hidden-communities-slides"}
    page = weasyprint.HTML(string=to_html(deck, pictures), base_url=None)
    return page.write_pdf(**options)


# ------------------------------------------------------------------------------ either


def _words(key: str, deck: Deck, **values) -> str:
    with text.language(deck.lang):
        return text.t(key, **values)


def _check_matplotlib(deck: Deck) -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError as error:
        raise SlidesUnavailable(
            _words("slides.export.no_matplotlib", deck, error=str(error))
        ) from None


def export(deck: Deck, suffix: str) -> bytes:
    """The deck as a ".pptx" or ".pdf" file's bytes."""
    suffix = suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"slides are written as {' or '.join(SUFFIXES)}, not {suffix!r}")
    _check_matplotlib(deck)
    return to_pptx(deck) if suffix == ".pptx" else to_pdf(deck)


def unavailable(lang: str = text.DEFAULT_LANGUAGE) -> Iterator[tuple[str, str]]:
    """(suffix, why) for each format this machine cannot write."""
    with text.language(lang):
        try:
            import matplotlib  # noqa: F401
        except ImportError as error:
            reason = text.t("slides.export.no_matplotlib", error=str(error))
            yield from ((suffix, reason) for suffix in SUFFIXES)
            return
        try:
            import pptx  # noqa: F401
        except ImportError as error:
            yield ".pptx", text.t("slides.export.no_pptx", error=str(error))
        try:
            import weasyprint  # noqa: F401
        except (ImportError, OSError) as error:
            yield (
                ".pdf",
                text.t(
                    "slides.export.no_weasyprint", packages=PANGO_PACKAGES, error=str(error)[:120]
                ),
            )
