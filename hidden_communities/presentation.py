"""The public presentation: a short sequence of large, plain slides for a community hall,
built for a period and a language from the database (no Streamlit here).

The slides: a title (saying plainly when the data are a demonstration), then
1. who we hear from compared with who lives here (the overview's shares);
2. how contact has changed since the campaign began (contacts a quarter);
3. what residents tell us (each community's top topics, names only);
4. what we are doing (contact by channel, the campaign's events);
5. whose voice sets priorities (the topics reweighted to the population, against the
   district's objectives, issue 14);
6. how to get in touch (words the district sets in data/presentation.toml);
7. the data period, sources, method notes and the Open Government Licence attribution.

Disclosure holds by construction: every count comes from a SQL file and is published
(`disclosure.publish_counts`: rounded to 5, withheld under 10) before anything is computed
from it; shares, averages and ranks come from published cells only, a share only where
its published numerator is at least 10, and every total is a sum of published cells. The
deck is the public view whoever makes it. Periods are whole quarters or whole years only,
so two decks never differ by a few days.

Each slide carries its words already in the deck's language (a title, a one-sentence
reading, a short table, notes) and, where it has a chart, the chart's data and its text
alternative; `slides_charts` draws the charts and `slides_export` writes PPTX and PDF.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from babel import dates as babel_dates

from . import disclosure, periods, priorities, registry, settings, stats, text
from .filters import Filters
from .periods import Period
from .tables import is_missing

Query = Callable[..., pd.DataFrame]

CONTACT_FILE = settings.DATA_DIR / "presentation.toml"
MIN_PUBLISHED = disclosure.PUBLISH_FROM  # no share, average or ranking on fewer
EVERYONE = "everyone"  # every contact once (the topics query's whole-district group)
TOP_TOPICS = 3  # a community's top topics on the "what residents tell us" slide
TOP_PRIORITIES = priorities.TOP_REWEIGHTED
NOT_A_CONCERN = priorities.NOT_A_CONCERN  # "Other": no objective could name it
SLIDES = ("title", "heard", "change", "topics", "doing", "priorities", "contact", "about")
FAR_PAST = date(1900, 1, 1)


class PresentationError(ValueError):
    """A request the presentation cannot serve (a period, a language); the message says
    why in one plain sentence."""


class NoRecords(PresentationError):
    """The database holds no records, so there is no period to present."""


# ------------------------------------------------------------------------------ what a slide holds


@dataclass(frozen=True)
class Figure:
    """A chart's data, already published and in words, for `slides_charts.draw`.

    kind: "shares", "quarters", "channels" or "ranks"; data: one row a bar, point or topic;
    words: the chart's own words (axis titles, legend names, notes); alt: its text
    alternative, which gives every value the chart draws."""

    kind: str
    data: pd.DataFrame
    words: Mapping[str, str]
    alt: str


@dataclass(frozen=True)
class Slide:
    code: str
    title: str
    reading: str  # one sentence in plain language
    table: pd.DataFrame | None = None  # a short table, headers and cells in words
    figure: Figure | None = None
    notes: tuple[str, ...] = ()  # further lines (contact details, sources, method notes)


@dataclass(frozen=True)
class Deck:
    lang: str
    period: Period
    demonstration: bool
    slides: tuple[Slide, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        return self.slides[0].title if self.slides else ""


# ------------------------------------------------------------------------------ periods


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _add_quarters(day: date, quarters: int) -> date:
    index = day.year * 12 + day.month - 1 + 3 * quarters
    return date(index // 12, index % 12 + 1, 1)


def whole_quarters(period: Period) -> bool:
    months = period.whole_months()
    return months is not None and months % 3 == 0 and period.start.month % 3 == 1


def check_period(period: Period) -> Period:
    """The period if it is whole quarters (a year is four); PresentationError otherwise:
    published views differ by whole quarters, never by a few days."""
    if not whole_quarters(period):
        raise PresentationError(
            f"{period.code()} is not whole quarters: the presentation takes whole quarters or "
            "years, e.g. 2021Q2..2022Q1 or 2021"
        )
    return period


def parse_period(value: str) -> Period:
    """A period written as text (`periods.parse`), whole quarters only."""
    try:
        return check_period(periods.parse(value))
    except periods.PeriodError as error:
        raise PresentationError(str(error)) from None


def default_period(last_day: date) -> Period:
    """The latest full year in the data (`periods.latest_full_year`), moved back to end
    with the last whole quarter if it does not already."""
    year = periods.latest_full_year(last_day)
    end = _quarter_start(year.end + timedelta(days=1)) - timedelta(days=1)
    return Period(_add_quarters(end + timedelta(days=1), -4), end)


def period_choices(first_day: date, last_day: date) -> list[Period]:
    """The periods the page offers: the default year first, then the years and quarters
    `periods.choices` offers that are whole quarters."""
    found = [default_period(last_day)]
    for period in periods.choices(first_day, last_day):
        if whole_quarters(period) and period not in found:
            found.append(period)
    return found


def period_words(period: Period) -> str:
    return text.t("slides.common.period", start=text.date(period.start), end=text.date(period.end))


def quarter_label(day: date) -> str:
    """A quarter in the language's own short form (CLDR): "Q2 2021", "II kw. 2021"."""
    return babel_dates.format_date(day, "QQQ y", locale=text.locale_code())


# ------------------------------------------------------------------------------ published numbers


def _published(frame: pd.DataFrame, counts: list[str]) -> pd.DataFrame:
    """The public audience's counts (rounded to 5, withheld under 10) as floats, withheld
    cells NaN: everything after this sees published cells only."""
    out = disclosure.publish_counts(frame, counts)
    for name in counts:
        out[name] = pd.to_numeric(out[name]).astype(float)
    return out


def count_words(value: object) -> str:
    """A published count in words: "145", or "fewer than 10" where it was withheld."""
    if is_missing(value):
        return text.t("slides.common.withheld")
    return text.number(value)


def _enough(value: object) -> bool:
    return not is_missing(value) and float(value) >= MIN_PUBLISHED


def _share_words(value: object) -> str:
    return text.t("slides.common.too_few") if is_missing(value) else text.percent(value, 1)


def _about(value: float) -> float | None:
    """An average of published counts, itself rounded to 5; None under 10."""
    if is_missing(value) or value < MIN_PUBLISHED:
        return None
    return float(disclosure.round_count(value))


# ------------------------------------------------------------------------------ 1. who we hear from


def heard(query: Query, period: Period) -> pd.DataFrame:
    """Per community: its share of residents (Census 2021, its main measure), its published
    contacts and contacts in its base, its share of contacts (only where at least 10 were
    published) and the classification of the representation ratio (95% Wilson)."""
    raw = query("overview_by_community", **Filters(period.start, period.end).params())
    order = {code: i for i, code in enumerate(registry.codes())}
    rows = raw[raw["community"].map(registry.is_community)]
    rows = rows.sort_values("community", key=lambda c: c.map(order)).reset_index(drop=True)
    rows = _published(
        rows[["community", "residents", "population_base", "contacts", "contacts_recorded"]],
        ["contacts", "contacts_recorded"],
    )
    rows["population_share"] = rows["residents"] / rows["population_base"]
    usable = rows["contacts"].map(_enough) & (rows["contacts_recorded"] > 0)
    rows["contact_share"] = (rows["contacts"] / rows["contacts_recorded"]).where(usable)
    ratios = stats.add_representation_ratios(
        rows.assign(
            contacts=rows["contacts"].where(usable), contacts_recorded=rows["contacts_recorded"]
        ),
        "contacts",
        "contacts_recorded",
        "residents",
        "population_base",
    )
    rows["classification"] = ratios["ratio_classification"].where(usable, stats.TOO_FEW_TO_SAY)
    return rows


def _heard_slide(frame: pd.DataFrame) -> Slide:
    label = text.community
    under = [
        label(c) for c in frame.loc[frame["classification"] == "under_represented", "community"]
    ]
    over = [label(c) for c in frame.loc[frame["classification"] == "over_represented", "community"]]
    if under:
        reading = text.plural(
            "slides.heard.reading_under", len(under), names=text.join_names(under)
        )
    elif over and len(over) == len(frame):
        reading = text.t("slides.heard.reading_all_over")
    elif frame["classification"].eq(stats.TOO_FEW_TO_SAY).all():
        reading = text.t("slides.heard.reading_too_few")
    else:
        reading = text.t("slides.heard.reading_none_under")
    table = pd.DataFrame(
        {
            text.t("slides.heard.col_community"): frame["community"].map(label),
            text.t("slides.heard.col_residents"): frame["population_share"].map(_share_words),
            text.t("slides.heard.col_contacts"): frame["contact_share"].map(_share_words),
        }
    )
    data = pd.DataFrame(
        {
            "label": frame["community"].map(label),
            "population_share": frame["population_share"],
            "contact_share": frame["contact_share"],
            "population_text": frame["population_share"].map(_share_words),
            "contact_text": frame["contact_share"].map(_share_words),
        }
    )
    parts = [
        text.t(
            "slides.heard.alt_part",
            community=row.label,
            residents=row.population_text,
            contacts=row.contact_text,
        )
        for row in data.itertuples()
    ]
    words = {
        "population": text.t("slides.heard.series_residents"),
        "contacts": text.t("slides.heard.series_contacts"),
        "axis": text.t("slides.heard.axis"),
    }
    figure = Figure("shares", data, words, text.t("slides.heard.alt", parts="; ".join(parts)))
    return Slide(
        "heard",
        text.t("slides.heard.title"),
        reading,
        table,
        figure,
        (text.t("slides.heard.note"),),
    )


# ------------------------------------------------------------------------------ 2. since the campaign began


def launch_date(query: Query, period: Period) -> date | None:
    """The campaign's launch: the first event of kind "launch" up to the period's end."""
    events = query("trend_campaign_events", start_date=FAR_PAST, end_date=period.end)
    launches = events[events["kind"] == "launch"]
    return None if launches.empty else pd.Timestamp(launches["event_date"].min()).date()


def quarter_window(period: Period, launch: date | None, first: date, last: date) -> Period:
    """The quarters the change slide draws: the period and the year before it, reaching
    back to four quarters before the launch's quarter, within the data's whole quarters."""
    start = _add_quarters(period.start, -4)
    if launch is not None:
        start = min(start, _add_quarters(_quarter_start(launch), -4))
    first_whole = _quarter_start(first)
    if first_whole < first:
        first_whole = _add_quarters(first_whole, 1)
    last_whole = _quarter_start(last + timedelta(days=1)) - timedelta(days=1)
    end = min(period.end, last_whole)
    start = max(start, first_whole)
    if end < start:  # the data hold no whole quarter of the window: the period alone
        return period
    return Period(start, end)


def quarterly(query: Query, window: Period) -> pd.DataFrame:
    """Published contacts a quarter per community over the window."""
    raw = query("presentation_quarters", start_date=window.start, end_date=window.end)
    raw["quarter"] = pd.to_datetime(raw["quarter"]).dt.date
    return _published(raw, ["contacts"])


def before_after(frame: pd.DataFrame, launch: date | None) -> pd.DataFrame:
    """Per community: contacts an average quarter before the launch's quarter and from it
    on, from published cells (withheld ones add nothing), each rounded to 5 and shown
    only where the published cells add up to at least 10 and the average is 10 or more
    (None: fewer than 10 a quarter); `quarters_before`: how many quarters the data hold
    before the launch's."""
    rows = []
    for code in registry.codes():
        part = frame[frame["community"] == code]
        out = {"community": code, "before": None, "after": None, "quarters_before": 0}
        if launch is not None:
            started = _quarter_start(launch)
            out["quarters_before"] = int((part["quarter"] < started).sum())
            for name, mask in (
                ("before", part["quarter"] < started),
                ("after", part["quarter"] >= started),
            ):
                cells = part.loc[mask, "contacts"]
                total = cells.sum(skipna=True)
                if len(cells) and total >= MIN_PUBLISHED:
                    out[name] = _about(total / len(cells))
        rows.append(out)
    return pd.DataFrame(rows, columns=["community", "before", "after", "quarters_before"])


def _rose(row) -> bool:
    """Contact rose: 10 or more a quarter since the launch, against fewer before (or, with
    both shown, more than before); never without a quarter before the launch to compare."""
    if row.after is None or is_missing(row.after) or not row.quarters_before:
        return False
    return row.before is None or is_missing(row.before) or row.after > row.before


def _change_slide(frame: pd.DataFrame, launch: date | None, window: Period) -> Slide:
    changes = before_after(frame, launch)
    label = text.community
    if launch is None:
        reading = text.t("slides.change.reading_no_launch")
    else:
        risen = [label(r.community) for r in changes.itertuples() if _rose(r)]
        day, names = text.date(launch), text.join_names(risen)
        if risen:
            reading = text.plural("slides.change.reading_rose", len(risen), day=day, names=names)
        else:
            reading = text.t("slides.change.reading_not_rose", day=day)
    table = pd.DataFrame(
        {
            text.t("slides.change.col_community"): changes["community"].map(label),
            text.t("slides.change.col_before"): changes["before"].map(_average_words),
            text.t("slides.change.col_after"): changes["after"].map(_average_words),
        }
    )
    data = frame.assign(
        label=frame["community"].map(label),
        quarter_text=frame["quarter"].map(quarter_label),
        colour=frame["community"].map(registry.colour),
    )
    parts = []
    for code, rows in data.groupby("community", sort=False):
        values = ", ".join(
            f"{q} {count_words(v)}"
            for q, v in zip(rows["quarter_text"], rows["contacts"], strict=True)
        )
        parts.append(text.t("slides.change.alt_part", community=label(code), values=values))
    words = {
        "axis": text.t("slides.change.axis"),
        "launch": text.label("event_kind", "launch"),
        "gap": text.t("slides.change.gap"),
    }
    launch_words = text.t("slides.change.alt_launch", day=text.date(launch)) if launch else ""
    alt = text.t(
        "slides.change.alt",
        first=quarter_label(window.start),
        last=quarter_label(_quarter_start(window.end)),
        launch=launch_words,
        parts=" ".join(parts),
    )
    words = {**words, "launch_day": launch.isoformat() if launch else ""}
    figure = Figure("quarters", data, words, alt)
    return Slide(
        "change",
        text.t("slides.change.title"),
        reading,
        table,
        figure,
        (text.t("slides.change.note"),),
    )


def _average_words(value: object) -> str:
    if value is None or is_missing(value):
        return text.t("slides.common.withheld")
    return text.t("slides.change.about", n=text.number(value))


# ------------------------------------------------------------------------------ 3. what residents tell us


def topic_mentions(query: Query, period: Period) -> pd.DataFrame:
    """Published contacts raising each topic, per community, everyone else, not recorded
    and everyone (every contact once); "Other" left out (no concern an objective could
    name)."""
    raw = query(
        "presentation_topics",
        start_date=period.start,
        end_date=period.end,
        remainder=priorities.REMAINDER,
        unrecorded=priorities.UNRECORDED,
        everyone=EVERYONE,
    )
    raw = raw[~raw["topic"].isin(NOT_A_CONCERN)].reset_index(drop=True)
    return _published(raw, ["mentions"])


def top_topics(mentions: pd.DataFrame) -> pd.DataFrame:
    """Per community and everyone else: its published mentions added up, and its top
    topics (codes, most raised first) where that total is at least 10; none otherwise
    (too few to say). Ranks come from published cells only."""
    rows = []
    for code in [*registry.codes(), priorities.REMAINDER]:
        part = mentions[(mentions["community"] == code) & (mentions["mentions"] > 0)]
        total = float(part["mentions"].sum()) if len(part) else 0.0
        thin = total < MIN_PUBLISHED
        ordered = part.sort_values(["mentions", "topic"], ascending=[False, True])
        top = [] if thin else list(ordered["topic"].head(TOP_TOPICS))
        rows.append({"community": code, "mentions": total, "thin": thin, "top": top})
    return pd.DataFrame(rows)


def _topics_slide(mentions: pd.DataFrame) -> Slide:
    tops = top_topics(mentions)
    everyone = mentions[(mentions["community"] == EVERYONE) & (mentions["mentions"] > 0)]
    everyone = everyone.sort_values(["mentions", "topic"], ascending=[False, True])
    if everyone.empty or everyone["mentions"].sum() < MIN_PUBLISHED:
        reading = text.t("slides.topics.reading_too_few")
    else:
        reading = text.t(
            "slides.topics.reading", topic=text.label("topic", everyone["topic"].iloc[0])
        )
    cells = [
        text.t("slides.common.too_few")
        if row.thin
        else ", ".join(text.label("topic", t) for t in row.top)
        for row in tops.itertuples()
    ]
    table = pd.DataFrame(
        {
            text.t("slides.topics.col_community"): tops["community"].map(priorities.group_label),
            text.t("slides.topics.col_top"): cells,
        }
    )
    return Slide(
        "topics",
        text.t("slides.topics.title"),
        reading,
        table,
        None,
        (text.t("slides.topics.note"),),
    )


# ------------------------------------------------------------------------------ 4. what we are doing


def channels(query: Query, period: Period) -> pd.DataFrame:
    """Published contacts with the communities by channel (a contact counted once)."""
    raw = query("presentation_channels", start_date=period.start, end_date=period.end)
    return _published(raw, ["contacts"])


def _doing_slide(by_channel: pd.DataFrame, events: pd.DataFrame) -> Slide:
    shown = by_channel[by_channel["contacts"].fillna(1) > 0]  # withheld cells stay, zeros go
    ranked = shown.dropna(subset=["contacts"]).sort_values(
        ["contacts", "channel"], ascending=[False, True]
    )
    kinds = list(dict.fromkeys(events["kind"])) if not events.empty else []
    kind_words = text.join_names([text.label("event_kind", k) for k in kinds])
    if ranked.empty:
        reading = text.t("slides.doing.reading_too_few")
    else:
        top = text.label("channel", ranked["channel"].iloc[0])
        key = "slides.doing.reading" if kinds else "slides.doing.reading_no_events"
        reading = text.t(key, channel=top, events=kind_words)
    data = pd.DataFrame(
        {
            "label": shown["channel"].map(lambda c: text.label("channel", c)),
            "contacts": shown["contacts"],
            "value_text": shown["contacts"].map(count_words),
        }
    )
    data = data.sort_values("contacts", ascending=False, na_position="last")
    alt = text.t(
        "slides.doing.alt",
        parts="; ".join(f"{r.label}: {r.value_text}" for r in data.itertuples()),
    )
    figure = Figure("channels", data, {"axis": text.t("slides.doing.axis")}, alt)
    if data.empty:  # no contact with the communities in the period: nothing to draw
        figure = None
    events = events.sort_values("event_date") if not events.empty else events
    table = pd.DataFrame(
        {
            text.t("slides.doing.col_date"): [
                text.date(pd.Timestamp(d).date()) for d in events["event_date"]
            ],
            text.t("slides.doing.col_event"): [text.label("event_kind", k) for k in events["kind"]],
        }
    )
    notes = () if kinds else (text.t("slides.doing.no_events"),)
    return Slide(
        "doing", text.t("slides.doing.title"), reading, table if kinds else None, figure, notes
    )


# ------------------------------------------------------------------------------ 5. whose voice sets priorities


def reweighted(mentions: pd.DataFrame, shares: Mapping[str, float | None]) -> pd.DataFrame:
    """The topics ranked as heard (every contact once) and reweighted to the population
    (`priorities.reweight`), from published cells only. A community whose published
    mentions add up to fewer than 10 is too few to say: its cells count as none, so the
    reweighting shares its weight out among the others (in `attrs["thin"]`)."""
    tops = top_topics(mentions).set_index("community")
    thin = [c for c in registry.codes() if bool(tops.loc[c, "thin"])]
    groups = [c for c in registry.codes() if c not in thin] + [priorities.REMAINDER]
    counts = mentions[mentions["community"].isin(groups)].fillna({"mentions": 0.0})
    weights = {g: shares.get(g) for g in [*registry.codes(), priorities.REMAINDER]}
    result = priorities.reweight(counts[["community", "topic", "mentions"]], weights)
    everyone = mentions[mentions["community"] == EVERYONE].set_index("topic")["mentions"]
    heard_counts = result["topic"].map(everyone).fillna(0.0)
    result["rank_heard"] = priorities._ranks(heard_counts.to_numpy(dtype=float))
    result["heard"] = heard_counts
    result = result[result["share_reweighted"].fillna(0) > 0]
    result = result.sort_values(["rank_reweighted", "rank_heard", "topic"], ignore_index=True)
    result.attrs["thin"] = thin
    return result


def _priorities_slide(
    mentions: pd.DataFrame,
    shares: Mapping[str, float | None],
    objectives: list[priorities.Objective],
    period: Period,
) -> Slide:
    ranked = reweighted(mentions, shares)
    thin = ranked.attrs["thin"]
    everyone = mentions.loc[mentions["community"] == EVERYONE, "mentions"].sum()
    top = ranked[ranked["rank_reweighted"] <= TOP_PRIORITIES].head(TOP_PRIORITIES)
    active = [o for o in objectives if o.active(period.start, period.end)]
    covered = {t for o in active for t in o.topics}
    notes = []
    if thin:
        names = text.join_names([text.community(c) for c in thin])
        notes.append(text.t("slides.priorities.thin", names=names))
    notes.append(text.t("slides.priorities.note"))
    if top.empty or everyone < MIN_PUBLISHED:
        return Slide(
            "priorities",
            text.t("slides.priorities.title"),
            text.t("slides.priorities.reading_too_few"),
            None,
            None,
            tuple(notes),
        )
    uncovered = [t for t in top["topic"] if t not in covered]
    first = text.label("topic", top["topic"].iloc[0])
    if uncovered:
        reading = text.t(
            "slides.priorities.reading_uncovered",
            topic=first,
            uncovered=text.join_names([text.label("topic", t) for t in uncovered]),
        )
    else:
        reading = text.t("slides.priorities.reading_covered", topic=first)
    yes, no = text.t("slides.priorities.yes"), text.t("slides.priorities.no")
    table = pd.DataFrame(
        {
            text.t("slides.priorities.col_rank"): top["rank_reweighted"].map(
                lambda r: text.number(int(r))
            ),
            text.t("slides.priorities.col_topic"): top["topic"].map(
                lambda t: text.label("topic", t)
            ),
            text.t("slides.priorities.col_covered"): [
                yes if t in covered else no for t in top["topic"]
            ],
        }
    )
    data = pd.DataFrame(
        {
            "label": top["topic"].map(lambda t: text.label("topic", t)),
            "rank_heard": top["rank_heard"].astype(int),
            "rank_reweighted": top["rank_reweighted"].astype(int),
            "covered": [t in covered for t in top["topic"]],
        }
    )
    parts = [
        text.t(
            "slides.priorities.alt_part",
            topic=row.label,
            heard=text.number(row.rank_heard),
            reweighted=text.number(row.rank_reweighted),
            covered=yes if row.covered else no,
        )
        for row in data.itertuples()
    ]
    words = {
        "heard": text.t("slides.priorities.axis_heard"),
        "reweighted": text.t("slides.priorities.axis_reweighted"),
        "up": text.t("slides.priorities.up"),
        "down": text.t("slides.priorities.down"),
        "same": text.t("slides.priorities.same"),
    }
    alt = text.t("slides.priorities.alt", parts="; ".join(parts))
    return Slide(
        "priorities",
        text.t("slides.priorities.title"),
        reading,
        table,
        Figure("ranks", data, words, alt),
        tuple(notes),
    )


# ------------------------------------------------------------------------------ 6 and 7, and the title


def contact_words(lang: str, path: Path = CONTACT_FILE) -> tuple[str, tuple[str, ...]]:
    """The "how to get in touch" slide's reading and lines in a language, from the
    district's configuration file (English where the file has no such language)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise PresentationError(f"the contact file {path} cannot be read: {error}") from None
    chosen = data.get(lang) or data.get(text.DEFAULT_LANGUAGE) or {}
    lines = tuple(str(line) for line in chosen.get("lines", ()))
    return str(chosen.get("reading", "")), lines


def _contact_slide(lang: str, path: Path) -> Slide:
    reading, lines = contact_words(lang, path)
    return Slide(
        "contact",
        text.t("slides.contact.title"),
        reading or text.t("slides.contact.reading"),
        None,
        None,
        lines,
    )


def _about_slide(period: Period, demonstration: bool) -> Slide:
    adults = [c.code for c in registry.communities() if c.adults_only]
    notes = [
        text.t("slides.about.period", period=period_words(period)),
        text.t("slides.about.sources"),
        text.t("slides.about.rounding"),
        text.t("slides.about.shares"),
    ]
    if adults:
        names = text.join_names([text.community(c) for c in adults])
        notes.append(text.t("slides.about.adults", names=names))
    notes.append(text.t("slides.about.reweighting"))
    if demonstration:
        notes.append(text.t("slides.about.demonstration"))
    notes.append(text.t("slides.about.licence"))
    return Slide(
        "about",
        text.t("slides.about.title"),
        text.t("slides.about.reading"),
        None,
        None,
        tuple(notes),
    )


def _title_slide(period: Period, demonstration: bool) -> Slide:
    notes = [text.t("slides.title.period", period=period_words(period))]
    if demonstration:
        notes.append(text.t("slides.title.demonstration"))
    return Slide(
        "title",
        text.t("slides.title.title"),
        text.t("slides.title.reading"),
        None,
        None,
        tuple(notes),
    )


# ------------------------------------------------------------------------------ the deck


def _status(query: Query) -> pd.Series:
    return query("data_status").iloc[0]


def choose_period(query: Query, period: Period | None) -> Period:
    """The period asked for (whole quarters), or the default from the data's last day."""
    if period is not None:
        return check_period(period)
    status = _status(query)
    if pd.isna(status["last_date"]):
        raise NoRecords(text.t("slides.common.no_records"))
    return default_period(pd.Timestamp(status["last_date"]).date())


def build(
    query: Query,
    period: Period | None = None,
    lang: str = text.DEFAULT_LANGUAGE,
    *,
    contact_file: Path = CONTACT_FILE,
    objectives: list[priorities.Objective] | None = None,
) -> Deck:
    """The slides for a period (the latest full year of whole quarters when None) in a
    language, from `query(name, **params)` (a cached store query on the page, a short-lived
    connection on the command line)."""
    if lang not in text.languages():
        raise PresentationError(
            f"{lang!r} is not a language of the catalogues ({', '.join(text.languages())})"
        )
    with text.language(lang):
        period = choose_period(query, period)
        status = _status(query)
        demonstration = bool(status["demonstration_imports"])
        first = (
            pd.Timestamp(status["first_date"]).date()
            if pd.notna(status["first_date"])
            else period.start
        )
        last = (
            pd.Timestamp(status["last_date"]).date()
            if pd.notna(status["last_date"])
            else period.end
        )
        launch = launch_date(query, period)
        window = quarter_window(period, launch, first, last)
        mentions = topic_mentions(query, period)
        shares = priorities.population_shares(query("priority_population"))
        events = query("trend_campaign_events", start_date=period.start, end_date=period.end)
        if objectives is None:
            objectives = priorities.load_objectives()
        slides = (
            _title_slide(period, demonstration),
            _heard_slide(heard(query, period)),
            _change_slide(quarterly(query, window), launch, window),
            _topics_slide(mentions),
            _doing_slide(channels(query, period), events),
            _priorities_slide(mentions, shares, objectives, period),
            _contact_slide(lang, contact_file),
            _about_slide(period, demonstration),
        )
    return Deck(lang=lang, period=period, demonstration=demonstration, slides=slides)


__all__ = [
    "Deck",
    "Figure",
    "NoRecords",
    "PresentationError",
    "Slide",
    "build",
    "check_period",
    "default_period",
    "parse_period",
    "period_choices",
]
