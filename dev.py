"""Set up and run the project with nothing but Python 3.11+ (standard library only).

    python3 dev.py run     # install into .venv (and Debian's Pango and fonts), then serve
    python3 dev.py test    # also Debian's chromium and poppler-utils, and axe-core from npm
                           # into .tools/, then lint and test

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
TOOLS = ROOT / ".tools"  # npm packages for the tests (axe-core), never committed
AXE_VERSION = "4.14.1"
# Debian packages. The briefing and the presentation's PDF (WeasyPrint) need Pango and its
# fonts at run time, and the slides are set in DejaVu (every Polish letter); the tests also
# drive chromium and read the PDFs back with poppler-utils (pdftotext, pdftoppm).
RUN_PACKAGES = (
    "libpango-1.0-0",
    "libpangoft2-1.0-0",
    "libharfbuzz-subset0",
    "fonts-dejavu-core",
    "fonts-dejavu-extra",
)
TEST_PACKAGES = (*RUN_PACKAGES, "poppler-utils")


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


def _missing_debian(packages) -> list[str]:
    """The packages dpkg does not list as installed (all of them where there is no dpkg)."""
    if not shutil.which("dpkg-query"):
        return list(packages)
    missing = []
    for package in packages:
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
        )
        if "install ok installed" not in status.stdout:
            missing.append(package)
    return missing


def ensure_debian(packages, why: str) -> None:
    """Install the Debian packages that are missing, when apt can; say so when it cannot."""
    missing = _missing_debian(packages)
    if not missing:
        return
    apt = shutil.which("apt-get")
    if not apt:
        _say(f"no apt-get to install {' '.join(missing)}: {why} will not work")
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    _say(f"installing Debian's {' '.join(missing)} ({why})")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    _run(*sudo, apt, "-qq", "update", env=env)
    _run(*sudo, apt, "-y", "-qq", "install", "--no-install-recommends", *missing, env=env)


def ensure_chromium() -> None:
    """The browser tests drive Debian's chromium; install it when apt can."""
    if CHROMIUM.exists():
        return
    if not shutil.which("apt-get"):
        _say("no /usr/bin/chromium and no apt-get: the browser tests will be skipped")
        return
    ensure_debian(("chromium", "fonts-dejavu-core"), "the browser tests")


def ensure_axe() -> None:
    """axe-core (the accessibility checker the browser tests inject) from npm, pinned, into
    .tools/node_modules; npm from Debian when the machine has none."""
    installed = TOOLS / "node_modules" / "axe-core" / "package.json"
    if installed.exists() and f'"version": "{AXE_VERSION}"' in installed.read_text():
        return
    if not shutil.which("npm"):
        ensure_debian(("npm",), "the accessibility checks of the browser tests")
    npm = shutil.which("npm")
    if not npm:
        _say("no npm: the accessibility checks of the browser tests will be skipped")
        return
    _say(f"installing axe-core {AXE_VERSION} from npm into .tools/")
    TOOLS.mkdir(exist_ok=True)
    _run(
        npm,
        "install",
        "--prefix",
        TOOLS,
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        f"axe-core@{AXE_VERSION}",
    )


def run() -> None:
    ensure_venv("requirements.txt")
    ensure_debian(RUN_PACKAGES, "the briefing PDF")
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
    ensure_debian(TEST_PACKAGES, "the briefing PDF and its tests")
    ensure_chromium()
    ensure_axe()
    _say("ruff")
    _run(BIN / "ruff", "check", ".")
    _run(BIN / "ruff", "format", "--check", ".")
    _say("pytest")
    # Both cores (a worker per core; a module's tests stay on one worker, so its fixtures
    # are built once). The 25 slowest tests are listed at the end, so the time budget
    # (CI's 15 minutes) is watched where it is spent.
    _run(
        PYTHON,
        "-m",
        "pytest",
        "-n",
        "auto",
        "--dist",
        "loadfile",
        "--durations=25",
        *sys.argv[2:],
    )


if __name__ == "__main__":
    commands = {"run": run, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit("usage: python3 dev.py run|test [extra arguments]")
    try:
        commands[sys.argv[1]]()
    except subprocess.CalledProcessError as failed:
        sys.exit(failed.returncode)
