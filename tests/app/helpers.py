"""Run a page of the app under Streamlit's AppTest, optionally with query parameters."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def run_page(script: str, timeout: float = 60, **query: str) -> AppTest:
    """Run `script` (relative to the repo root) once with the given query string; no exceptions allowed.

    Pages run inside the multipage app (entry script app.py), so links between pages resolve.
    """
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if script != "app.py":
        app.switch_page(script)
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def all_text(app: AppTest) -> str:
    """Every markdown, caption, header and alert text of the last run, joined."""
    parts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        parts += [element.value for element in getattr(app, kind)]
    return "\n".join(str(p) for p in parts)


def download_bars(app: AppTest) -> list:
    """The weights download's progress bars (the top-k answers are bars too)."""
    return [bar for bar in app.get("progress") if bar.proto.text.startswith("Downloading")]


def answer_bars(app: AppTest) -> list[str]:
    """The texts of the top-k answers' bars ("label — 12.3%"), not the weights download's."""
    return [bar.proto.text for bar in app.get("progress") if not bar.proto.text.startswith("Downloading")]
