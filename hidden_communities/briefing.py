"""The one-page briefing: an A4 PDF for a leadership review, made offline.

It holds the scorecard, two small charts (briefing_charts), three to five findings written
by rules (findings), the active targets with their colours, the data period, the sources,
the method note and, when demonstration data is loaded, a mark saying so. It always uses
the leadership disclosure rules, whoever makes it.

The page is HTML laid out by WeasyPrint as a tagged PDF/UA-1 document: headings are
tagged headings, the charts are figures with alternative text, every word is real text.
WeasyPrint needs Debian's Pango library; without it (or matplotlib), `make_briefing`
raises `BriefingUnavailable` with one plain sentence, never a traceback.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from . import (
    briefing_charts,
    disclosure,
    findings,
    periods,
    registry,
    scorecard,
    targets,
    text,
    trends,
)
from .periods import Period

Query = Callable[..., pd.DataFrame]

PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"


class BriefingUnavailable(RuntimeError):
    """A piece the briefing needs is missing on this machine (the message says which)."""


class NoRecords(BriefingUnavailable):
    """The database holds no records, so there is no period to brief on."""


@dataclass(frozen=True)
class Briefing:
    period: Period
    card: pd.DataFrame  # the scorecard after the leadership rules
    full: pd.DataFrame  # the scorecard before disclosure control (for the page's audience)
    active: list[targets.Target]
    findings: list[str]
    monthly: pd.DataFrame
    events: pd.DataFrame
    demonstration: bool
    first_day: date | None
    last_day: date | None


def default_period(query: Query) -> Period:
    """The latest full year in the data (twelve whole months to its last full month)."""
    status = query("data_status").iloc[0]
    if pd.isna(status["last_date"]):
        raise NoRecords(text.t("briefing.no_records"))
    return periods.latest_full_year(pd.Timestamp(status["last_date"]).date())


def counts_for(query: Query, period: Period) -> dict[str, pd.DataFrame]:
    """The scorecard's counts for a period, the previous one and a year earlier."""
    spans = {"now": period, "previous": period.previous(), "year": period.year_earlier()}
    return {
        key: query("scorecard_counts", start_date=span.start, end_date=span.end)
        for key, span in spans.items()
    }


def gather(query: Query, period: Period | None, all_targets: list[targets.Target]) -> Briefing:
    """Everything the briefing shows, from `query(name, **params)` (a cached store query on
    the page, a short-lived connection on the command line)."""
    period = period or default_period(query)
    card = scorecard.build(counts_for(query, period), all_targets, period)
    shown = disclosure.apply_disclosure(card, scorecard.SCORECARD_SPEC, disclosure.LEADERSHIP)
    start = period.previous().start
    params = {
        "start_date": start,
        "end_date": period.end,
        "area_codes": [],
        "channels": [],
        "directions": ["proactive"],
        "crime_types": [],
        "hate_strands": [],
    }
    monthly = trends.monthly(query("trend_monthly", **params), "contacts", registry.codes())
    monthly = disclosure.apply_disclosure(monthly, trends.MONTHLY_SPEC, disclosure.LEADERSHIP)
    events = query("trend_campaign_events", start_date=start, end_date=period.end)
    status = query("data_status").iloc[0]
    return Briefing(
        period=period,
        card=shown,
        full=card,
        active=targets.active(all_targets, period),
        findings=findings.findings(shown),
        monthly=monthly,
        events=events,
        demonstration=bool(status["demonstration_imports"]),
        first_day=None if pd.isna(status["first_date"]) else pd.Timestamp(status["first_date"]),
        last_day=None if pd.isna(status["last_date"]) else pd.Timestamp(status["last_date"]),
    )


# ------------------------------------------------------------------------------ the page

_CSS = """
@page { size: A4; margin: 8mm 10mm 7mm 10mm; }
body { font-family: "DejaVu Sans", sans-serif; font-stretch: condensed; font-size: 7.6pt;
       line-height: 1.22; color: #111; }
h1 { font-size: 12.5pt; margin: 0 0 0.8mm 0; }
h2 { font-size: 9pt; margin: 1.8mm 0 0.8mm 0; border-bottom: 0.5pt solid #666; }
p { margin: 0 0 0.8mm 0; }
.demo { border: 1pt solid #7a5c00; background: #FFF3CC; padding: 0.6mm 2mm; font-weight: bold;
        margin: 0.8mm 0; }
ol, ul { margin: 0 0 0 4mm; padding: 0; }
li { margin: 0 0 0.3mm 0; }
table { border-collapse: collapse; width: 100%; font-size: 6.9pt; table-layout: fixed; }
th, td { border-bottom: 0.4pt solid #bbb; padding: 0.2mm 0.7mm; text-align: left;
         vertical-align: top; }
thead th { background: #eee; font-weight: bold; }
th.group { background: #f3f3f3; padding-top: 0.5mm; }
td.num { text-align: right; }
.rag { font-weight: bold; }
.charts { display: flex; gap: 4mm; margin-top: 1mm; }
figure { margin: 0; width: 50%; }
figure img { width: 100%; }
figcaption, .note { font-size: 6.8pt; color: #222; }
"""


# Smaller type, tried in turn when the page would spill onto a second one.
_TIGHTER = (
    "",
    "body { font-size: 7.1pt; } table { font-size: 6.5pt; } figure img { width: 88%; }",
    "body { font-size: 6.7pt; } table { font-size: 6.2pt; } figure img { width: 76%; }"
    " h2 { margin-top: 1mm; }",
)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _day(day) -> str:
    return text.date(day, "short")


def _rag_cell(words: str) -> str:
    colours = scorecard.colour_of(words)
    if not colours or not words:
        return f"<td>{_e(words)}</td>"
    fill, ink = colours
    return f'<td class="rag" style="background:{fill};color:{ink}">{_e(words)}</td>'


# Column widths of the briefing's table (percent): indicator, count, this period, previous,
# a year earlier, all residents, direction, against target, flag.
_WIDTHS = (16.5, 5, 12, 11.5, 11.5, 8, 15, 13.5, 7)


def _table(brief: Briefing) -> str:
    shown = scorecard.display(brief.card, brief.period, compact=True)
    community_col, *heads = list(shown.columns)
    out = ["<table>", "<colgroup>"]
    out += [f'<col style="width:{w}%">' for w in _WIDTHS]
    out.append("</colgroup><thead><tr>")
    out += [f'<th scope="col">{_e(h)}</th>' for h in heads]
    out.append("</tr></thead><tbody>")
    group = None
    for _, row in shown.iterrows():
        if row[community_col] != group:
            group = row[community_col]
            out.append(
                f'<tr><th class="group" scope="colgroup" colspan="{len(heads)}">{_e(group)}</th></tr>'
            )
        cells = [f'<th scope="row">{_e(row[heads[0]])}</th>']
        cells.append(f'<td class="num">{_e(row[heads[1]])}</td>')
        cells += [f"<td>{_e(row[h])}</td>" for h in heads[2:-2]]
        cells += [_rag_cell(row[h]) for h in heads[-2:]]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _figure(png: bytes, alt: str, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{_e(alt)}">'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
    )


def to_html(brief: Briefing) -> str:
    """The briefing as one self-contained HTML page (images inlined, nothing fetched)."""
    t = text.t
    period = brief.period
    previous, year = period.previous(), period.year_earlier()
    title = t(
        "briefing.title",
        start=text.date(period.start, "month_short"),
        end=text.date(period.end, "month_short"),
    )
    parts = [
        f'<!DOCTYPE html><html lang="{_e(text.current_language())}"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        '<p class="meta">'
        + _e(
            t(
                "briefing.meta",
                start=_day(period.start),
                end=_day(period.end),
                previous_start=_day(previous.start),
                previous_end=_day(previous.end),
                year_start=_day(year.start),
                year_end=_day(year.end),
            )
        )
        + "</p>",
    ]
    if brief.demonstration:
        parts.append(f'<p class="demo">{_e(t("briefing.demonstration"))}</p>')
    parts.append(f"<h2>{_e(t('scorecard.findings_heading'))}</h2><ol>")
    parts += [f"<li>{_e(sentence)}</li>" for sentence in brief.findings]
    parts.append("</ol>")
    parts.append(f"<h2>{_e(t('scorecard.targets_heading'))}</h2>")
    if brief.active:
        parts.append("<ul>")
        for target in brief.active:
            colour = scorecard.rag_of(brief.card, target)
            line = t(
                "scorecard.target_colour",
                line=scorecard.active_target_sentence(target),
                colour=colour,
            )
            parts.append(f"<li>{_e(line)}</li>")
        parts.append("</ul>")
    else:
        parts.append(f"<p>{_e(t('scorecard.targets_none'))}</p>")
    parts.append(f"<h2>{_e(t('scorecard.table_heading'))}</h2>")
    parts.append(_table(brief))
    parts.append(f'<p class="note">{_e(t("briefing.rules"))}</p>')
    parts.append('<div class="charts">')
    parts.append(
        _figure(
            briefing_charts.ratio_chart(brief.card),
            briefing_charts.ratio_alt(brief.card),
            t("briefing.chart.ratio_caption"),
        )
    )
    parts.append(
        _figure(
            briefing_charts.monthly_chart(brief.monthly, brief.events),
            briefing_charts.monthly_alt(brief.monthly, brief.events),
            t("briefing.chart.monthly_caption"),
        )
    )
    parts.append("</div>")
    span = (
        t("briefing.span", first=_day(brief.first_day), last=_day(brief.last_day))
        if brief.first_day is not None
        else ""
    )
    parts.append(f"<h2>{_e(t('briefing.sources_heading'))}</h2>")
    words = " ".join(filter(None, (span, t("briefing.sources"), t("briefing.method"))))
    parts.append(f'<p class="note">{_e(words)}</p>')
    parts.append("</body></html>")
    return "".join(parts)


def to_pdf(page: str) -> bytes:
    """An HTML page as a tagged PDF/UA-1 document."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        raise BriefingUnavailable(
            text.t("briefing.no_weasyprint", packages=PANGO_PACKAGES, error=str(error)[:120])
        ) from None
    options = {"pdf_variant": "pdf/ua-1", "pdf_identifier": b"hidden-communities"}
    html_page = weasyprint.HTML(string=page, base_url=None)
    # One page: when the content spills (a long list of targets, a community added to the
    # registry), the type is set a step smaller, twice at most.
    for tighter in _TIGHTER:
        sheets = [weasyprint.CSS(string=tighter)] if tighter else None
        document = html_page.render(stylesheets=sheets, **options)
        if len(document.pages) == 1:
            break
    return document.write_pdf(**options)


def unavailable() -> str | None:
    """Why no briefing can be made on this machine (a missing library), or None."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as error:
        return text.t("briefing.no_matplotlib", error=str(error))
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        return text.t("briefing.no_weasyprint", packages=PANGO_PACKAGES, error=str(error)[:120])
    return None


def pdf_in(brief: Briefing, lang: str) -> bytes:
    """The briefing's PDF in a language. The page's download makes it when the button is
    clicked, outside the page's run and its language, so the language is passed along (its
    findings were written in it)."""
    with text.language(lang):
        return to_pdf(to_html(brief))


def make_briefing(
    query: Query, period: Period | None = None, all_targets: list[targets.Target] | None = None
) -> bytes:
    """The briefing PDF for a period (the latest full year in the data when None)."""
    reason = unavailable()
    if reason:
        raise BriefingUnavailable(reason)
    if all_targets is None:
        all_targets = targets.load_targets()
    return to_pdf(to_html(gather(query, period, all_targets)))
