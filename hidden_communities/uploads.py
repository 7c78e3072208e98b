"""How large a file the Data page takes, and how to take larger ones.

Two settings bound an upload: Streamlit's `server.maxUploadSize` (in
`.streamlit/config.toml`; over it the browser refuses the file with Streamlit's own
message, before the dashboard sees it) and `HC_MAX_UPLOAD_MB` (over it the import refuses
the file, naming the setting). The smaller one is the limit; the note under the uploader
says what it is and which settings raise it, since Streamlit's message names neither.
"""

from __future__ import annotations

from . import settings, text

STREAMLIT_CONFIG = ".streamlit/config.toml"


def limit_mb(server_max_upload_mb: float) -> float:
    """The largest upload taken, in megabytes: the smaller of the two settings."""
    return min(float(server_max_upload_mb), settings.MAX_UPLOAD_MB)


def limit_note(server_max_upload_mb: float) -> str:
    """The sentence under the uploader: the limit, and the settings that raise it."""
    return text.t(
        "import_page.upload_limit",
        size=text.number(limit_mb(server_max_upload_mb)),
        where=STREAMLIT_CONFIG,
        setting="HC_MAX_UPLOAD_MB",
    )
