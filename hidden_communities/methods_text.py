"""The Methods page's text: docs/methods.md, then the census section of data/README.md,
each in the reader's language where a translation sits beside it.

A translation is a file of its own (`methods.pl.md`, `README.pl.md`) rather than catalogue
keys: the methods are long prose with formulas and tables, written and reviewed as a
whole. English is the fallback for a language with no file yet, so a new language needs no
code. The heading that starts the census section is a catalogue key, so each language's
file can use its own words for it.
"""

from __future__ import annotations

from pathlib import Path

from . import settings, text

METHODS = settings.PROJECT_ROOT / "docs" / "methods.md"
DATA_NOTES = settings.DATA_DIR / "README.md"


def localised(path: Path, lang: str) -> Path:
    """The language's version of a Markdown file (`methods.md` -> `methods.pl.md`) when it
    exists, else the file itself (English)."""
    if lang == text.DEFAULT_LANGUAGE:
        return path
    translated = path.with_name(f"{path.stem}.{lang}{path.suffix}")
    return translated if translated.is_file() else path


def methods(lang: str | None = None) -> str:
    """docs/methods.md in the language (the current one unless given), or in English."""
    lang = lang or text.current_language()
    return localised(METHODS, lang).read_text(encoding="utf-8")


def census_section(lang: str | None = None) -> str | None:
    """The data notes' census section ("What the census can and cannot say" to the end),
    under the page's own heading for it, in the language or in English; None when the
    notes have no such section."""
    lang = lang or text.current_language()
    path = localised(DATA_NOTES, lang)
    # The heading is looked for in the language of the file actually read.
    file_lang = lang if path != DATA_NOTES else text.DEFAULT_LANGUAGE
    with text.language(file_lang):
        start = text.t("methods_page.census_section")
    notes = path.read_text(encoding="utf-8")
    if start not in notes:
        return None
    with text.language(lang):
        heading = text.t("methods_page.baselines_heading")
    return f"# {heading}\n\n" + notes[notes.index(start) :]
