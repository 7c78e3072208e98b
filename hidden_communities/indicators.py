"""Indicators built from query results with the `stats` methods.

Each function takes the DataFrame a `queries/*.sql` file returns and adds the shares,
ratios, intervals and classifications, with column names the charts, tables and
disclosure spec share. No streamlit here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from . import baselines, registry, stats, text, vocab
from .disclosure import DisclosureSpec
from .tables import Col, is_missing, readable


def _derived(prefix: str, count: str, total: str) -> dict[str, tuple[str, str]]:
    """Shares and ratios hide with their numerator and with their denominator."""
    names = [
        f"{prefix}_{what}{end}" for what in ("share", "ratio") for end in ("", "_lower", "_upper")
    ]
    names.append(f"{prefix}_classification")
    return dict.fromkeys(names, (count, total))


def _bands(prefix: str, count: str, total: str) -> dict[str, tuple[str, str]]:
    """The sensitivity figures hide with the counts they are built on."""
    return {
        f"{prefix}_ratio_if_adult": (f"{count}_if_adult", f"{total}_if_adult"),
        f"{prefix}_ratio_none_unrecorded": (count, total),
        f"{prefix}_ratio_all_unrecorded": (count, total),
    }


OVERVIEW_SPEC = DisclosureSpec(
    counts=(
        "contacts",
        "contacts_recorded",
        "contacts_unrecorded",
        "all_contacts",
        "contacts_if_adult",
        "contacts_recorded_if_adult",
        "reports",
        "reports_recorded",
        "reports_unrecorded",
        "all_reports",
        "reports_if_adult",
        "reports_recorded_if_adult",
    ),
    derived={
        **_derived("contact", "contacts", "contacts_recorded"),
        **_derived("report", "reports", "reports_recorded"),
        **_bands("contact", "contacts", "contacts_recorded"),
        **_bands("report", "reports", "reports_recorded"),
    },
    # A contact can involve several communities and most involve none, so the community
    # counts are not parts of a shown total: no secondary suppression is needed.
    totals_shown=False,
    public_columns=("residents", "population_base", "population_share"),
)


def overview_columns() -> list[Col]:
    """The overview table's columns, headed in the current language."""
    head = text.t
    return [
        Col(head("overview_table.community"), ("community",), "text", "community"),
        Col(head("overview_table.residents"), ("residents",)),
        Col(head("overview_table.population_share"), ("population_share",), "percent"),
        Col(head("overview_table.record_base"), ("record_base",), "text", "record_base"),
        Col(head("overview_table.contacts"), ("contacts",)),
        Col(head("overview.all_contacts_column"), ("all_contacts",)),
        Col(
            head("overview_table.contact_share"),
            ("contact_share", "contact_share_lower", "contact_share_upper"),
            "percent",
        ),
        Col(
            head("overview_table.contact_ratio"),
            ("contact_ratio", "contact_ratio_lower", "contact_ratio_upper"),
            "ratio",
        ),
        Col(
            head("overview_table.contact_reading"),
            ("contact_classification",),
            "text",
            "classification",
        ),
        Col(
            head("overview_table.contact_band"),
            ("contact_ratio_none_unrecorded", "contact_ratio_all_unrecorded"),
            "ratio",
        ),
        Col(head("overview_table.contact_if_adult"), ("contact_ratio_if_adult",), "ratio"),
        Col(head("overview_table.reports"), ("reports",)),
        Col(head("overview.all_reports_column"), ("all_reports",)),
        Col(
            head("overview_table.report_share"),
            ("report_share", "report_share_lower", "report_share_upper"),
            "percent",
        ),
        Col(
            head("overview_table.report_ratio"),
            ("report_ratio", "report_ratio_lower", "report_ratio_upper"),
            "ratio",
        ),
        Col(
            head("overview_table.report_reading"),
            ("report_classification",),
            "text",
            "classification",
        ),
        Col(
            head("overview_table.report_band"),
            ("report_ratio_none_unrecorded", "report_ratio_all_unrecorded"),
            "ratio",
        ),
        Col(head("overview_table.report_if_adult"), ("report_ratio_if_adult",), "ratio"),
        Col(head("overview_table.measure"), ("measure_label",), "text"),
    ]


class _Columns(Sequence):
    """`overview_columns()` read each time it is indexed, so a module that builds its own
    columns from these at import still gets a list, and the overview its current words."""

    def __getitem__(self, index):
        return overview_columns()[index]

    def __len__(self) -> int:
        return len(overview_columns())


OVERVIEW_COLUMNS = _Columns()


def measure_words(frame: pd.DataFrame) -> pd.Series:
    """Each row's census measure in words: the catalogue's, by measure code, else the
    label the reference data gives it."""
    data_label = frame.get("measure_label", pd.Series(None, index=frame.index, dtype=object))
    codes = frame.get("measure", pd.Series(None, index=frame.index, dtype=object))
    words = []
    for code, given in zip(codes, data_label, strict=True):
        key = f"population_measure.{code}"
        words.append(text.t(key) if not is_missing(code) and text.has(key) else given)
    return pd.Series(words, index=frame.index, dtype=object)


def overview_display(shown: pd.DataFrame) -> pd.DataFrame:
    # The measure's label as the catalogue words it (the data's label where it has none).
    return readable(shown.assign(measure_label=measure_words(shown)), overview_columns())


def overview(raw: pd.DataFrame) -> pd.DataFrame:
    """Per community: population share, shares of contacts and reports, representation
    ratios with 95% intervals and their classification."""
    out = raw.copy()
    for name in OVERVIEW_SPEC.counts:  # a frame from before the sensitivities: not known
        if name not in out:
            out[name] = math.nan
    out["community_label"] = out["community"].map(text.community)
    out["population_share"] = out["residents"] / out["population_base"]
    for prefix, count, total in (
        ("contact", "contacts", "contacts_recorded"),
        ("report", "reports", "reports_recorded"),
    ):
        shares = stats.add_proportion_intervals(out, count, total, prefix=f"{prefix}_share")
        ratios = stats.add_representation_ratios(
            out, count, total, "residents", "population_base", prefix=f"{prefix}_ratio"
        )
        for suffix in ("", "_lower", "_upper"):
            out[f"{prefix}_share{suffix}"] = shares[f"{prefix}_share{suffix}"]
            out[f"{prefix}_ratio{suffix}"] = ratios[f"{prefix}_ratio{suffix}"]
        out[f"{prefix}_classification"] = ratios[f"{prefix}_ratio_classification"].astype(object)
        _sensitivities(out, prefix, count, total)
    if "record_base" not in out:
        out["record_base"] = "all_ages"
    # The comparator is everyone: its share is 100% by definition, with nothing to estimate.
    comparator = out["community"] == vocab.ALL_RESIDENTS
    for prefix in ("contact", "report"):
        interval = [f"{prefix}_{w}{e}" for w in ("share", "ratio") for e in ("_lower", "_upper")]
        interval += [f"{prefix}_ratio{b}" for b in SENSITIVITIES]
        out.loc[comparator, interval + [f"{prefix}_ratio"]] = math.nan
        out.loc[comparator, f"{prefix}_classification"] = "comparator"
    # The comparator counts the records that say who was involved, everywhere (the trends
    # too); every record, including those that do not say, is `all_contacts` / `all_reports`.
    out["record_base"] = out["record_base"].astype(object)
    out.loc[comparator, "record_base"] = COMPARATOR_BASE
    return out


COMPARATOR_BASE = "said_who"


SENSITIVITIES = ("_if_adult", "_none_unrecorded", "_all_unrecorded")


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame:
        return pd.Series(math.nan, index=frame.index)
    return pd.to_numeric(frame[name], errors="coerce").astype(float)


def _ratio(count: pd.Series, total: pd.Series, population_share: pd.Series) -> pd.Series:
    ok = (total > 0) & (population_share > 0)
    return (count / total.where(ok) / population_share.where(ok)).astype(float)


def _sensitivities(out: pd.DataFrame, prefix: str, count: str, total: str) -> None:
    """Beside the ratio: `_if_adult`, the ratio if every record whose age was not recorded
    were about an adult (communities compared with adults' records only); and the Manski
    band, from none (`_none_unrecorded`) to all (`_all_unrecorded`) of the records in the
    base whose community field was not filled in being in the community."""
    share = _column(out, "population_share")
    out[f"{prefix}_ratio_if_adult"] = _ratio(
        _column(out, f"{count}_if_adult"), _column(out, f"{total}_if_adult"), share
    )
    x, n, u = _column(out, count), _column(out, total), _column(out, f"{count}_unrecorded")
    out[f"{prefix}_ratio_none_unrecorded"] = _ratio(x, n + u, share)
    out[f"{prefix}_ratio_all_unrecorded"] = _ratio(x + u, n + u, share)


def record_noun(row: pd.Series, kind: str) -> str:
    """The records a community's share is of, in words: "adults' contacts" for a community
    the census counts among adults, "contacts (all ages)" otherwise."""
    base = row.get("record_base")
    base = "all_ages" if is_missing(base) else base
    return text.t(f"record_base_noun.{kind}_{base}")


def overview_sentence(row: pd.Series, kind: str = "contact") -> str:
    """A plain-English reading of one community's representation, stating its base, e.g.
    "Armed-forces veterans made 2.1% of adults' contacts but are 4.0% of adults: about half
    their share"."""
    noun = record_noun(row, kind)
    people = text.people(row["community"])
    share, ratio = row.get(f"{kind}_share"), row.get(f"{kind}_ratio")
    universe = text.universe_noun(row["community"])
    if is_missing(share) or is_missing(ratio):
        return text.t("overview_text.too_few", people=people, records=noun)
    sentence = text.t(
        "overview_text.made",
        people=people,
        share=text.percent(share, 1),
        records=noun,
        population_share=text.percent(row["population_share"], 1),
        universe=universe,
        ratio_words=ratio_words(ratio),
        reading=text.label("classification", row[f"{kind}_classification"]),
    )
    if_adult = row.get(f"{kind}_ratio_if_adult")
    if not is_missing(if_adult) and round(if_adult, 2) != round(ratio, 2):
        sentence += "; " + text.t(
            "overview_text.if_adult",
            records=text.label("kind_noun", kind),
            ratio=text.number(if_adult, 2),
        )
    return sentence + "."


_FRACTIONS = (
    (1 / 4, "quarter"),
    (1 / 3, "third"),
    (1 / 2, "half"),
    (2 / 3, "two_thirds"),
    (3 / 4, "three_quarters"),
)


def ratio_words(ratio: float) -> str:
    """0.52 -> "about half their share"; 1.8 -> "1.8 times their share"."""
    if 0.9 <= ratio <= 1.1:
        return text.t("ratio_words.about")
    if ratio > 1.1:
        return text.t("ratio_words.times", ratio=text.number(ratio, 1))
    for value, code in _FRACTIONS:
        if abs(ratio - value) <= 0.04:
            return text.t(f"ratio_words.{code}")
    return text.t("ratio_words.percent", percent=text.percent(ratio, 0))


def chosen_with_comparator(table: pd.DataFrame, communities) -> pd.DataFrame:
    """The chosen communities' rows, then the all-resident comparator's."""
    return table[table["community"].isin((*communities, registry.ALL_RESIDENTS))]


def community_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of communities (the comparator left out)."""
    return table[table["community"] != registry.ALL_RESIDENTS]


def overview_alt(shown: pd.DataFrame) -> str:
    sentences = " ".join(overview_sentence(r) for _, r in community_rows(shown).iterrows())
    return text.t("overview_text.alt", sentences=sentences)


def area_filter_note(communities, held: baselines.Held | None = None) -> str:
    """Why an area filter still compares with district shares, built from the registry:
    which communities this build's reference data has only for the whole district.

    `held`: the (measure, level) pairs the data has rows for (the database's, from
    queries/baseline_levels.sql; by default those of data/reference)."""
    held = baselines.in_reference_dir() if held is None else held
    chosen = registry.ordered(communities)
    levels_of = {c: registry.get(c).baseline_levels(held) for c in chosen}
    district_only = [c for c in chosen if not levels_of[c]]
    proxied = [c for c in chosen if levels_of[c]]
    names = text.join_names([text.people_mid(c) for c in district_only])
    parts = []
    if district_only:
        parts.append(text.t("overview.district_only", names=names))
    for code in proxied:
        levels = ", ".join(text.label("level", lv) for lv in levels_of[code])
        parts.append(text.t("overview.small_area", names=text.people_mid(code), levels=levels))
    return text.t("overview.area_note", reasons=" ".join(parts))
