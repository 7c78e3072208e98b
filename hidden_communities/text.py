"""The text layer: every word shown comes from a catalogue keyed by code.

`catalogues/<lang>.toml` holds one language (a translator may also split it into
`catalogues/<lang>/*.toml`, merged in name order); English is complete and is the fallback
for any key a translation has not filled in yet, so a new language is a file alone. Data,
URLs, classifications and readings carry codes; only this module turns a code into words.

Numbers, dates and plurals follow the language's CLDR rules through Babel rather than
hand-written rules: Polish has three plural forms (1 kontakt, 2 kontakty, 5 kontaktów)
and writes 1 234,5 and 12 kwietnia 2021.

The language in use is a context variable, so each Streamlit session (each script run
is one thread) and each export can use its own without passing it through every call.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from . import registry

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogues"
DEFAULT_LANGUAGE = "en"

_language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def _flatten(tree: Mapping, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


# The CLDR locale behind each language code (English as written in the UK).
LOCALES = {"en": "en_GB"}


def _catalogue_files(lang: str) -> list[Path]:
    files = [CATALOGUE_DIR / f"{lang}.toml"]
    files += sorted((CATALOGUE_DIR / lang).glob("*.toml"))
    return [path for path in files if path.is_file()]


@cache
def _file_catalogue(lang: str) -> Mapping[str, str]:
    entries: dict[str, str] = {}
    for path in _catalogue_files(lang):
        with path.open("rb") as handle:
            found = _flatten(tomllib.load(handle))
        repeated = sorted(set(found) & set(entries))
        if repeated:  # two files giving one key different words would be a silent choice
            raise ValueError(f"{path.name} repeats catalogue keys: {repeated[:5]}")
        entries.update(found)
    return entries


def languages() -> tuple[str, ...]:
    """The languages with a catalogue (a file or a folder), English first."""
    found = {p.stem for p in CATALOGUE_DIR.glob("*.toml")}
    found |= {p.name for p in CATALOGUE_DIR.iterdir() if p.is_dir() and any(p.glob("*.toml"))}
    return (DEFAULT_LANGUAGE, *sorted(found - {DEFAULT_LANGUAGE}))


def native_name(lang: str) -> str:
    """A language's name in itself ("English", "Polski"), from CLDR: the language control
    names each language so that its readers recognise it."""
    name = Locale.parse(locale_code(lang)).get_language_name(locale_code(lang)) or lang
    return name[:1].upper() + name[1:]


def locale_code(lang: str | None = None) -> str:
    lang = lang or current_language()
    return LOCALES.get(lang, lang)


def catalogue(lang: str) -> dict[str, str]:
    """Every entry of one language: its file, then entries registered at run time."""
    entries = dict(_file_catalogue(lang))
    entries.update(registry.extra_texts().get(lang, {}))
    return entries


def current_language() -> str:
    return _language.get()


def set_language(lang: str) -> None:
    """Use this language for the rest of the current context (a Streamlit script run)."""
    _language.set(lang if lang in languages() else DEFAULT_LANGUAGE)


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Use a language for a block (exports, tests)."""
    token = _language.set(lang if lang in languages() else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _language.reset(token)


def in_language_now(format_func: Callable[[object], object]) -> Callable[[object], object]:
    """`format_func` kept in the language in use now, for a widget's option labels: the
    widget's labels are worked out in the run, but streamlit's test harness formats the
    chosen value again outside it (where the language is the default), and a Polish list
    of options would not hold the English label of its own choice."""
    lang = current_language()

    def formatted(value: object) -> object:
        with language(lang):
            return format_func(value)

    return formatted


def has(key: str) -> bool:
    return key in catalogue(DEFAULT_LANGUAGE)


def t(key: str, /, **values: object) -> str:
    """The text of a key in the current language (English where it is not translated),
    with its {placeholders} filled. An unknown key raises: a typo must not reach a page."""
    lang = current_language()
    text = registry.extra_texts().get(lang, {}).get(key) or _file_catalogue(lang).get(key)
    if text is None:
        text = catalogue(DEFAULT_LANGUAGE).get(key)
    if text is None:
        raise KeyError(f"no text for {key!r}")
    return text.format(**values) if values else text


def label(kind: str, code: object) -> str:
    """The display label of a code of one vocabulary ("channel", "classification", ...);
    the code itself when the catalogue has no entry, and "" for a missing value."""
    if code is None or (isinstance(code, float) and code != code):
        return ""
    if kind == "community":
        return community(str(code))
    key = f"{kind}.{code}"
    return t(key) if has(key) else str(code)


def labels(kind: str, codes) -> dict[str, str]:
    """Code -> label for a vocabulary, in the order given (for a widget's format_func)."""
    return {code: label(kind, code) for code in codes}


def community(code: str, form: str = "label") -> str:
    """How a community is named: "label" (short), "people" (a sentence's subject),
    "people_mid" (mid-sentence) or "described" (what the census counts)."""
    key = f"community.{code}.{form}"
    return t(key) if has(key) else str(code)


def old_labels(kind: str, codes) -> dict[str, str]:
    """English label (lower case) -> code, so a link that still carries a label made
    before URLs carried codes opens the same view."""
    english = catalogue(DEFAULT_LANGUAGE)
    found = {}
    for code in codes:
        key = f"community.{code}.label" if kind == "community" else f"{kind}.{code}"
        if key in english:
            found[english[key].strip().lower()] = code
    return found


def people(code: str) -> str:
    """A community's people as a sentence's subject ("Armed-forces veterans")."""
    return community(code, "people")


def people_mid(code: str) -> str:
    """A community's people mid-sentence ("armed-forces veterans")."""
    return community(code, "people_mid")


def universe_noun(code: str) -> str:
    """Who a community's census share is a share of: "adults" (16+) or "residents"."""
    return t(f"universe_noun.{registry.universe(code)}")


def proxy(code: str, level: str) -> str | None:
    """The named proxy that stands in for a community's baseline at a level, or None."""
    if code == registry.ALL_RESIDENTS or not registry.get(code).is_proxy_at(level):
        return None
    return t(f"community.{code}.proxy.{level}")


# ------------------------------------------------------------------------------ numbers, dates, plurals


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: object, decimals: int = 0) -> str:
    """A number in the current language, grouped and with exactly `decimals` places:
    "1,234.5" in English, "1 234,5" in Polish (a no-break space groups). "" when missing."""
    if _missing(value):
        return ""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=locale_code())


def percent(share: object, decimals: int = 1) -> str:
    """A share (0.123) as a percentage in the current language: "12.3%", "12,3%"."""
    if _missing(share):
        return ""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return babel_numbers.format_percent(share, format=pattern, locale=locale_code())


def date(value: dt.date | None, form: str = "long") -> str:
    """A date in the current language: "long" is "12 April 2021" / "12 kwietnia 2021";
    "short" is "12 Apr 2021" / "12 kwi 2021"; "month" is "April 2021" / "kwiecień 2021"."""
    if value is None:
        return ""
    patterns = {"long": "d MMMM y", "short": "d MMM y", "month": "LLLL y", "month_short": "LLL y"}
    written = babel_dates.format_date(value, patterns[form], locale=locale_code())
    # CLDR's British English shortens September to "Sept"; every other month has three
    # letters, and so has September in the app's tables, files and links: keep it to three.
    return re.sub(r"\bSept\b", "Sep", written) if locale_code() == "en_GB" else written


def plural_form(count: float) -> str:
    """The CLDR plural category of a count in the current language (one, few, many, other)."""
    return Locale.parse(locale_code()).plural_form(count)


def plural(key: str, count: float, /, **values: object) -> str:
    """The text of a plural key for a count: the catalogue holds `<key>.one`, `.few`,
    `.many`, `.other` (as the language needs); `{n}` is the count in the language's digits.
    "{n} contacts" -> "1 contact", "2 contacts"; Polish "1 kontakt", "2 kontakty", "5 kontaktów"."""
    form = plural_form(count)
    chosen = f"{key}.{form}"
    lang = current_language()
    own = _file_catalogue(lang)
    if chosen not in own and f"{key}.other" in own:
        chosen = f"{key}.other"
    elif chosen not in own and lang != DEFAULT_LANGUAGE:
        # Not translated: English's own forms (one or other) for the count.
        with language(DEFAULT_LANGUAGE):
            return plural(key, count, **values)
    decimals = 0 if float(count).is_integer() else 1
    return t(chosen, n=number(count, decimals), **values)


def name_separator(names: list[str]) -> str:
    """What goes between names in a list: a comma, or a semicolon when a name holds a comma
    itself ("Herefordshire, County of"), so the reader can tell where each ends."""
    return "; " if any("," in name for name in names) else ", "


def join_names(names: list[str]) -> str:
    """ "a", "a and b", "a, b and c" in the current language ("a; b, c and d" when a name
    holds a comma)."""
    if len(names) <= 1:
        return "".join(names)
    return f"{name_separator(names).join(names[:-1])} {t('words.and')} {names[-1]}"
