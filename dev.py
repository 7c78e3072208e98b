"""Set up and run the project with nothing but Python 3.11+ (standard library only).

    python3 dev.py run     # install into .venv, then serve the dashboard
    python3 dev.py test    # install into .venv (and Debian's chromium), then lint and test

The virtual environment is reused while requirements*.txt are unchanged.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
CHROMIUM = Path("/usr/bin/chromium")


def _say(text: str) -> None:
    print(f"==> {text}", flush=True)


def _run(*args: str | Path, **kwargs) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)


def ensure_venv(requirements: str) -> None:
    """Create .venv and install the pinned requirements (skipped when nothing changed)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on whatever python3 is
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
    files = sorted(ROOT.glob("requirements*.txt"))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    if not PYTHON.exists():
        _say("creating .venv")
        venv.create(VENV, with_pip=True)
    _say(f"installing {requirements} (pinned versions)")
    _run(
        PYTHON,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-r",
        ROOT / requirements,
    )
    stamp.write_text(digest)


def ensure_chromium() -> None:
    """The browser tests drive Debian's chromium; install it when apt can."""
    if CHROMIUM.exists():
        return
    apt = shutil.which("apt-get")
    if not apt:
        _say("no /usr/bin/chromium and no apt-get: the browser tests will be skipped")
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    _say("installing Debian's chromium for the browser tests")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    _run(*sudo, apt, "-qq", "update", env=env)
    _run(
        *sudo,
        apt,
        "-y",
        "-qq",
        "install",
        "--no-install-recommends",
        "chromium",
        "fonts-dejavu-core",
        env=env,
    )


def run() -> None:
    ensure_venv("requirements.txt")
    _say("starting the dashboard on http://localhost:8501 (first run builds the database)")
    upload_limit = os.environ.get("HC_MAX_UPLOAD_MB", "50")
    os.chdir(ROOT)  # `-m ui.serve` imports the project from here
    os.execv(
        PYTHON,
        [
            str(PYTHON),
            "-m",
            "ui.serve",  # streamlit run dashboard.py; see ui/serve.py for the one difference
            "--browser.gatherUsageStats",
            "false",
            "--server.maxUploadSize",
            str(int(float(upload_limit))),
            *sys.argv[2:],
        ],
    )


def test() -> None:
    ensure_venv("requirements-dev.txt")
    ensure_chromium()
    _say("ruff")
    _run(BIN / "ruff", "check", ".")
    _run(BIN / "ruff", "format", "--check", ".")
    _say("pytest")
    _run(PYTHON, "-m", "pytest", *sys.argv[2:])


if __name__ == "__main__":
    commands = {"run": run, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit("usage: python3 dev.py run|test [extra arguments]")
    try:
        commands[sys.argv[1]]()
    except subprocess.CalledProcessError as failed:
        sys.exit(failed.returncode)
