"""Command line: `python -m hidden_communities <command>`."""

from .cli import main

raise SystemExit(main())
