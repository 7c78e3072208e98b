"""Serve the dashboard: `python -m ui.serve [--parquet FOLDER] [streamlit options]` (what
`dev.py run` does; `--parquet` serves a Parquet snapshot read-only, as HC_PARQUET_DIR).

The same as `streamlit run dashboard.py`, with one difference. Streamlit takes an app with
a `pages/` folder for one of its older, folder-based apps until the first script run
calls `st.navigation`, so on a fresh server the first visitor's deep link (say
`/engagement-map?community=lgbtq`) is looked up among the folder's file names and shows
"Page not found" above the right page. This app navigates with `st.navigation` only, so
that guess is switched off before the server starts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"


def main(argv: list[str]) -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    argv = _parquet_option(argv)
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(DASHBOARD), *argv]
    cli.main()


def _parquet_option(argv: list[str]) -> list[str]:
    """`--parquet FOLDER` (or `--parquet=FOLDER`) serves that Parquet snapshot read-only:
    the same as setting HC_PARQUET_DIR. The other options go to streamlit."""
    rest, args = [], iter(argv)
    for arg in args:
        if arg == "--parquet":
            os.environ["HC_PARQUET_DIR"] = next(args, "")
        elif arg.startswith("--parquet="):
            os.environ["HC_PARQUET_DIR"] = arg.partition("=")[2]
        else:
            rest.append(arg)
    return rest


if __name__ == "__main__":
    main(sys.argv[1:])
