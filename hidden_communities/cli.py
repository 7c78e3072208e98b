"""The project's command line. Each command is a thin wrapper over a library function."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import settings


def _build_reference(args: argparse.Namespace) -> int:
    from .reference_build import build_reference

    counts = build_reference(Path(args.raw), args.district, Path(args.out))
    print(f"wrote {args.out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _build_db(args: argparse.Namespace) -> int:
    from .database import build_database

    path = build_database(
        Path(args.db), demo_data=not args.no_demo, seed=args.seed, scale=args.scale,
        progress=lambda fraction, text: print(f"[{fraction:4.0%}] {text}", file=sys.stderr),
    )  # fmt: skip
    print(f"built {path}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m hidden_communities")
    sub = p.add_subparsers(dest="command", required=True)

    ref = sub.add_parser("build-reference", help="rebuild data/reference from the raw census files")
    ref.add_argument("--raw", default=str(settings.RAW_REFERENCE_DIR))
    ref.add_argument("--district", default="E07000170", help="local-authority code or name")
    ref.add_argument("--out", default=str(settings.REFERENCE_DIR))
    ref.set_defaults(func=_build_reference)

    db = sub.add_parser("build-db", help="(re)build the DuckDB file: reference tables + demo data")
    db.add_argument("--db", default=str(settings.db_path()))
    db.add_argument("--seed", type=int, default=settings.DEMO_SEED)
    db.add_argument("--scale", type=float, default=settings.DEMO_SCALE)
    db.add_argument("--no-demo", action="store_true", help="reference tables only, no records")
    db.set_defaults(func=_build_db)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)
