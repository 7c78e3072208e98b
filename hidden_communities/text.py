"""The text layer: every word shown comes from a catalogue keyed by code.

`catalogues/<lang>.toml` holds one language; English is complete and is the fallback for
any key a translation has not filled in yet. Data, URLs, classifications and readings
carry codes; only this module turns a code into words.

The language in use is a context variable, so each Streamlit session (each script run
is one thread) and each export can use its own without passing it through every call.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

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


@cache
def _file_catalogue(lang: str) -> Mapping[str, str]:
    path = CATALOGUE_DIR / f"{lang}.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        return _flatten(tomllib.load(handle))


def languages() -> tuple[str, ...]:
    """The languages with a catalogue file, English first."""
    found = sorted(p.stem for p in CATALOGUE_DIR.glob("*.toml"))
    return (DEFAULT_LANGUAGE, *(lang for lang in found if lang != DEFAULT_LANGUAGE))


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


def join_names(names: list[str]) -> str:
    """ "a", "a and b", "a, b and c" in the current language."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {t('words.and')} {names[-1]}"
