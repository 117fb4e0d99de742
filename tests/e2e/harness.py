"""Start the real Streamlit server and headless Debian Chromium; shared by e2e tests and bench/."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
# Without the networking flags Chromium keeps trying to reach Google's hosts through a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def free_port() -> int:
    """An unused TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(log_path: Path, env: dict[str, str] | None = None, timeout: float = 120, script: str = "app.py"):
    """Run `streamlit run <script>` (the app by default) on a free loopback port; yield its base URL, stop it after."""
    port = free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, **(env or {})),
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, process, timeout, log_path)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Streamlit exited early; see {log_path}")
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"Streamlit did not become healthy in {timeout:.0f} s; see {log_path}")


def run_script_health_check(url: str, timeout: float = 70) -> tuple[int, str]:
    """GET the server's script health check, which runs the home page's script once (and so warms a
    fresh server); its status and text: 200 "ok", or 503 with "error" or "timeout"."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/script-health-check", timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def launch_chromium(playwright):
    """Headless Debian Chromium (Playwright cannot download its own browser here)."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian's chromium is required for the browser tests: run `bash tests/run.sh`")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def wait_idle(page, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_selector(APP_IDLE, timeout=timeout_ms)


def open_page(page, url: str) -> None:
    """Load a URL and wait for the first script run to end."""
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp']")
    wait_idle(page)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/e2e/artifacts/ for a human to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
