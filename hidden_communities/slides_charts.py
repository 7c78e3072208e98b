"""The presentation's charts as PNG images, drawn with matplotlib from a slide's `Figure`
(its data already published, its words already in the deck's language).

matplotlib draws offline with its Agg backend: no browser and no network. Plotly's image
export (kaleido) would need a Chromium at run time, which a laptop in a community hall
may not have; the page, the PPTX and the PDF all show these same images.

Sizes are for a 1920x1080 slide: an image is drawn for a box of `WIDTH` x `HEIGHT` slide
pixels (one matplotlib inch = 100 slide pixels), so a label of 16 points is 22 pixels high
on the slide, above the 20 pixels a hall needs. Colours are Okabe-Ito, and never carry
meaning alone: bars differ by pattern too, lines by marker and dash, moves by arrows.
"""

from __future__ import annotations

import io
import textwrap
from datetime import date

import pandas as pd

from . import text
from .charts import OKABE_ITO
from .presentation import Figure

WIDTH, HEIGHT = 1100, 560  # slide pixels the chart fills
SLIDE_DPI = 100  # slide pixels per matplotlib inch
RENDER_DPI = 170  # pixels per inch of the PNG (sharp on a projector)
LABEL_PT = 16  # tick labels and legend: 16 pt = 22 slide pixels
VALUE_PT = 17  # numbers on bars
INK = "#1a1a1a"
MARKERS = ("o", "s", "^", "D", "v", "P")
DASHES = ("-", "--", "-.", ":")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",  # has every Polish letter, and ▲ ▼ ●
            "font.size": LABEL_PT,
            "axes.labelsize": LABEL_PT,
            "xtick.labelsize": LABEL_PT,
            "ytick.labelsize": LABEL_PT,
            "legend.fontsize": LABEL_PT,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.edgecolor": "#444444",
            "text.color": INK,
            "axes.labelcolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
            "hatch.linewidth": 2.0,
        }
    )
    return plt


def _figure():
    plt = _pyplot()
    return plt, plt.figure(
        figsize=(WIDTH / SLIDE_DPI, HEIGHT / SLIDE_DPI), dpi=SLIDE_DPI, layout="constrained"
    )


def _png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=RENDER_DPI, metadata={"Software": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    return out.getvalue()


def _largest(values: pd.Series) -> float:
    """The axis's reach: the largest value drawn, and at least 10 (withheld cells and an
    empty period draw nothing)."""
    top = pd.to_numeric(values, errors="coerce").max(skipna=True)
    return 10.0 if pd.isna(top) else max(float(top), 10.0)


def _wrap(label: str, width: int = 18) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _shares(figure: Figure):
    plt, fig = _figure()
    ax = fig.add_subplot()
    data = figure.data.reset_index(drop=True)
    height = 0.38
    top = max([*data["population_share"].fillna(0), *data["contact_share"].fillna(0), 0.01])
    series = (
        (
            "population_share",
            "population_text",
            figure.words["population"],
            dict(color=OKABE_ITO["grey"], hatch="//", edgecolor="white"),
            -height / 2,
        ),
        (
            "contact_share",
            "contact_text",
            figure.words["contacts"],
            dict(color=OKABE_ITO["blue"], edgecolor=OKABE_ITO["blue"]),
            height / 2,
        ),
    )
    for column, words, name, style, offset in series:
        values = data[column].astype(float)
        ys = [i + offset for i in range(len(data))]
        ax.barh(ys, values.fillna(0), height=height, label=name, linewidth=0, **style)
        for y, value, shown in zip(ys, values, data[words], strict=True):
            x = 0 if pd.isna(value) else value
            ax.text(x + top * 0.015, y, shown, va="center", ha="left", size=VALUE_PT)
    ax.set_yticks(range(len(data)), [_wrap(v) for v in data["label"]])
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.35)
    ax.xaxis.set_major_formatter(lambda v, _: text.number(v * 100))
    ax.set_xlabel(figure.words["axis"])
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, frameon=False)
    return fig


def _quarter_tick(label: str) -> str:
    head, _, year = label.rpartition(" ")
    return f"{head}\n{year}" if head else label


def _quarters(figure: Figure):
    plt, fig = _figure()
    ax = fig.add_subplot()
    data = figure.data
    quarters = list(dict.fromkeys(data["quarter"]))
    ticks = list(dict.fromkeys(data["quarter_text"]))
    for i, (_, rows) in enumerate(data.groupby("community", sort=False)):
        xs = [quarters.index(q) for q in rows["quarter"]]
        ax.plot(
            xs,
            rows["contacts"].astype(float).tolist(),
            marker=MARKERS[i % len(MARKERS)],
            linestyle=DASHES[i % len(DASHES)],
            markersize=11,
            linewidth=3,
            color=rows["colour"].iloc[0],
            label=rows["label"].iloc[0],
        )
    ax.set_xticks(range(len(ticks)), [_quarter_tick(t) for t in ticks])
    ax.set_ylim(bottom=0, top=_largest(data["contacts"]) * 1.25)
    ax.set_ylabel(figure.words["axis"])
    ax.yaxis.set_major_formatter(lambda v, _: text.number(v))
    launch = figure.words.get("launch_day")
    if launch:
        x = _position(date.fromisoformat(launch), quarters)
        if x is not None:
            ax.axvline(x, color=INK, linewidth=2, linestyle=(0, (2, 2)))
            ax.text(
                x + 0.06,
                ax.get_ylim()[1] * 0.97,
                figure.words["launch"],
                va="top",
                ha="left",
                size=LABEL_PT,
                weight="bold",
            )
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False)
    ax.grid(axis="y", color="#dddddd")
    return fig


def _position(day: date, quarters: list[date]) -> float | None:
    """Where a day falls on an axis of quarters (0 = the first quarter's middle)."""
    for i, start in enumerate(quarters):
        end = quarters[i + 1] if i + 1 < len(quarters) else None
        if day >= start and (end is None or day < end):
            length = ((end or start.replace(year=start.year + 1)) - start).days
            length = length if end else 91
            return i - 0.5 + (day - start).days / length
    return None


def _channels(figure: Figure):
    plt, fig = _figure()
    ax = fig.add_subplot()
    data = figure.data.reset_index(drop=True)
    values = pd.to_numeric(data["contacts"], errors="coerce").astype(float)
    top = _largest(values)
    ax.barh(range(len(data)), values.fillna(0), color=OKABE_ITO["blue"], height=0.6)
    for y, value, shown in zip(range(len(data)), values, data["value_text"], strict=True):
        x = 0 if pd.isna(value) else value
        ax.text(x + top * 0.015, y, shown, va="center", ha="left", size=VALUE_PT)
    ax.set_yticks(range(len(data)), [_wrap(v) for v in data["label"]])
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.3)
    ax.xaxis.set_major_formatter(lambda v, _: text.number(v))
    ax.set_xlabel(figure.words["axis"])
    return fig


def _ranks(figure: Figure):
    plt, fig = _figure()
    ax = fig.add_subplot()
    data = figure.data
    worst = int(max(data["rank_heard"].max(), data["rank_reweighted"].max()))
    for row in data.itertuples():
        heard, now = int(row.rank_heard), int(row.rank_reweighted)
        if now < heard:
            colour, dash, move = OKABE_ITO["blue"], "-", figure.words["up"]
        elif now > heard:
            colour, dash, move = OKABE_ITO["vermillion"], "--", figure.words["down"]
        else:
            colour, dash, move = OKABE_ITO["grey"], ":", figure.words["same"]
        ax.plot(
            [0, 1],
            [heard, now],
            color=colour,
            linestyle=dash,
            linewidth=3,
            marker="o",
            markersize=11,
        )
        # The number beside each end, the topic beyond it (wrapped, so long Polish names
        # stay inside the picture), and the move's arrow by the new rank.
        ax.text(-0.05, heard, str(heard), ha="right", va="center", size=LABEL_PT)
        ax.text(
            -0.2,
            heard,
            _wrap(row.label, 16),
            ha="right",
            va="center",
            size=LABEL_PT,
            multialignment="right",
        )
        ax.text(1.05, now, f"{now} {move[0]}", ha="left", va="center", size=LABEL_PT)
        ax.text(1.3, now, _wrap(row.label, 16), ha="left", va="center", size=LABEL_PT)
    key = "     ".join(figure.words[m] for m in ("up", "down", "same"))
    ax.text(0.5, worst + 0.55, key, ha="center", va="top", size=LABEL_PT)
    ax.set_xlim(-1.05, 2.05)
    ax.set_ylim(worst + 1.0, 0.2)
    ax.text(
        0,
        0.25,
        _wrap(figure.words["heard"], 22),
        ha="right",
        va="bottom",
        size=LABEL_PT,
        weight="bold",
    )
    ax.text(
        1,
        0.25,
        _wrap(figure.words["reweighted"], 22),
        ha="left",
        va="bottom",
        size=LABEL_PT,
        weight="bold",
    )
    ax.axis("off")
    return fig


_DRAW = {"shares": _shares, "quarters": _quarters, "channels": _channels, "ranks": _ranks}


def draw(figure: Figure) -> bytes:
    """The chart of a slide as a PNG image."""
    return _png(_DRAW[figure.kind](figure))
