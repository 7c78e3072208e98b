"""The district's targets, read from a TOML file (`data/targets.toml`; docs/targets.md).

Each target is one `[[target]]` table:

    [[target]]
    community = "..."          # a registered community, or all_residents for a
                               # district-wide indicator
    indicator = "contact_ratio"  # an indicator code (indicator_registry)
    comparison = "at_least"    # at_least | at_most | within
    value = 0.8                # in the indicator's unit; percentages as 40 for 40%;
                               # for `within`, a percentage either side of the reference
    period = "2021Q2..2022Q1"  # when it applies (hidden_communities.periods)
    owner = "neighbourhood_inspector"  # an owner role code

A file with any problem gives none of its targets: `TargetsError` lists every problem,
each naming the file, the line and what is wrong, in one plain sentence. The line is found
by a small line-aware pass over the text (tomllib gives no positions): the Nth
`[[target]]` header is the Nth table, and a field's line is the line that sets it within
that table. The sentences are in the language in use (the catalogues' `targets_file`);
the codes and values they quote are as written in the file.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from . import indicator_registry as ir
from . import periods, registry, settings, text

TARGETS_FILE = settings.DATA_DIR / "targets.toml"

AT_LEAST = "at_least"
AT_MOST = "at_most"
WITHIN = "within"
COMPARISONS = (AT_LEAST, AT_MOST, WITHIN)

# Who answers for a target; their titles are in the catalogues (owner_role.<code>).
OWNER_ROLES = (
    "district_commander",
    "neighbourhood_inspector",
    "community_engagement_officer",
    "hate_crime_coordinator",
    "performance_analyst",
)

FIELDS = ("community", "indicator", "comparison", "value", "period", "owner")

_HEADER = re.compile(r"^\s*\[\[\s*target\s*\]\]\s*(#.*)?$")
_TABLE = re.compile(r"^\s*\[")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


@dataclass(frozen=True)
class Target:
    community: str
    indicator: str
    comparison: str
    value: float  # as written in the file (percentages as 40)
    period: periods.Period
    owner: str
    line: int  # the line of its [[target]] header

    @property
    def threshold(self) -> float:
        """The value in the indicator's own scale (a percentage as a fraction)."""
        if self.comparison == WITHIN or ir.get(self.indicator).unit == ir.PERCENT:
            return self.value / 100
        return self.value

    def band(self) -> tuple[float, float]:
        """The range of values that meet the target."""
        if self.comparison == AT_LEAST:
            return (self.threshold, math.inf)
        if self.comparison == AT_MOST:
            return (-math.inf, self.threshold)
        reference = ir.get(self.indicator).reference
        return (reference * (1 - self.threshold), reference * (1 + self.threshold))

    def active_for(self, period: periods.Period) -> bool:
        """A target is active for a scorecard period whose last day falls within its own."""
        return self.period.contains(period.end)


def as_written(value: float) -> str:
    """A number from the file with the decimals it was given (0.8, 40, 12.5), in the
    current language (0,8 in Polish)."""
    written = f"{value:g}"
    decimals = len(written.partition(".")[2]) if "e" not in written else 0
    return text.number(value, decimals)


def _say(key: str, **values: object) -> str:
    return text.t(f"targets_file.{key}", **values)


class TargetsError(ValueError):
    """The targets file cannot be used; `problems` holds one sentence per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def _field_lines(lines: list[str], header: int, end: int) -> dict[str, int]:
    found = {}
    for number in range(header + 1, end):
        match = re.match(r"^\s*([A-Za-z0-9_\-\"']+)\s*=", lines[number - 1])
        if match:
            found.setdefault(match[1].strip("\"'"), number)
    return found


def _headers(lines: list[str]) -> list[tuple[int, int]]:
    """(header line, first line after the table) for each [[target]] table, 1-based."""
    starts = [i for i, line in enumerate(lines, 1) if _HEADER.match(line)]
    tables = [i for i, line in enumerate(lines, 1) if _TABLE.match(line)]
    spans = []
    for start in starts:
        later = [t for t in tables if t > start]
        spans.append((start, later[0] if later else len(lines) + 1))
    return spans


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _check(table: dict, at: dict[str, int], header: int) -> tuple[list, Target | None]:
    """The problems of one table as (line, sentence), and its Target when there are none."""
    problems = []

    def problem(name: str | None, sentence: str) -> None:
        problems.append((at.get(name, header) if name else header, sentence))

    for name in table:
        if name not in FIELDS:
            problem(name, _say("unknown_field", name=repr(name), fields=", ".join(FIELDS)))
    missing = [name for name in FIELDS if name not in table]
    if missing:
        problem(None, _say("missing", names=", ".join(repr(m) for m in missing)))
    community, code = table.get("community"), table.get("indicator")
    known = registry.population_codes()
    if "community" in table and community not in known:
        problem(
            "community",
            _say("unknown_community", value=repr(community), known=", ".join(known)),
        )
    indicator = ir.INDICATORS.get(code) if isinstance(code, str) else None
    if "indicator" in table and indicator is None:
        problem(
            "indicator", _say("unknown_indicator", value=repr(code), known=", ".join(ir.codes()))
        )
    if indicator and community in known:
        if indicator.scope == ir.DISTRICT and community != registry.ALL_RESIDENTS:
            problem(
                "community",
                _say("district_only", indicator=repr(code), all=repr(registry.ALL_RESIDENTS)),
            )
        if indicator.scope == ir.COMMUNITY and community == registry.ALL_RESIDENTS:
            problem("community", _say("needs_community", indicator=repr(code)))
    comparison = table.get("comparison")
    if "comparison" in table and comparison not in COMPARISONS:
        problem(
            "comparison",
            _say("unknown_comparison", value=repr(comparison), known=", ".join(COMPARISONS)),
        )
    if comparison == WITHIN and indicator and indicator.reference is None:
        problem("comparison", _say("within_needs_reference", indicator=repr(code)))
    value = _number(table.get("value"))
    if "value" in table and value is None:
        problem("value", _say("not_a_number", value=repr(table["value"])))
    elif value is not None and value < 0:
        problem("value", _say("below_zero", value=as_written(value)))
    elif value is not None and indicator and indicator.unit == ir.PERCENT and value > 100:
        problem("value", _say("above_100", value=as_written(value)))
    period = None
    if "period" in table:
        try:
            if not isinstance(table["period"], str):
                raise periods.PeriodError(_say("period_not_text", value=repr(table["period"])))
            period = periods.parse(table["period"])
        except periods.PeriodError as error:
            problem("period", str(error))
    owner = table.get("owner")
    if "owner" in table and owner not in OWNER_ROLES:
        problem("owner", _say("unknown_owner", value=repr(owner), known=", ".join(OWNER_ROLES)))
    if problems:
        return problems, None
    return [], Target(community, code, comparison, value, period, owner, header)


def parse_targets(source: str, name: str = "targets.toml") -> list[Target]:
    """Targets from the text of a targets file; TargetsError lists every problem."""
    lines = source.splitlines()
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = _TOML_LINE.search(message)
        line = int(where[1]) if where else 1
        reason = _TOML_LINE.sub("", message).strip()
        raise TargetsError([_say("not_toml", file=name, line=line, reason=reason)]) from None
    problems: list[tuple[int, str]] = []
    for key in data:
        if key != "target":
            number = next((i for i, t in enumerate(lines, 1) if key in t), 1)
            problems.append((number, _say("unknown_section", value=repr(key))))
    tables = data.get("target", [])
    spans = _headers(lines)
    if not isinstance(tables, list) or len(spans) != len(tables):
        raise TargetsError([_say("own_tables", file=name)])
    found: list[Target] = []
    for table, (header, end) in zip(tables, spans, strict=True):
        table_problems, target = _check(table, _field_lines(lines, header, end), header)
        problems += table_problems
        if target:
            for other in found:
                same = (other.community, other.indicator) == (target.community, target.indicator)
                if (
                    same
                    and other.period.start <= target.period.end
                    and (target.period.start <= other.period.end)
                ):
                    problems.append((header, _say("overlap", line=other.line)))
                    break
            else:
                found.append(target)
    if problems:
        raise TargetsError(
            [_say("where", file=name, line=line, sentence=sentence) for line, sentence in problems]
        )
    return found


def load_targets(path: Path | None = None) -> list[Target]:
    """The targets in a file (the district's, data/targets.toml, by default)."""
    path = Path(path or TARGETS_FILE)
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as error:
        raise TargetsError([_say("unreadable", file=path.name, error=error)]) from None
    return parse_targets(source, path.name)


def active(targets: list[Target], period: periods.Period) -> list[Target]:
    """The targets that apply to a scorecard period, in the file's order."""
    return [t for t in targets if t.active_for(period)]
