"""The classroom server's settings keep the app's own and add what a lecture needs."""

import re
import tomllib
from pathlib import Path

from models.prediction import images

ROOT = Path(__file__).resolve().parents[2]
CLASSROOM = tomllib.loads((ROOT / "deploy" / "classroom.config.toml").read_text())
APP = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_the_upload_limit_is_the_apps_image_limit():
    assert CLASSROOM["server"]["maxUploadSize"] * 2**20 == images.MAX_BYTES
    assert "client_max_body_size 25m;" in (ROOT / "deploy" / "nginx.conf").read_text()


def test_no_usage_stats_and_no_developer_toolbar():
    assert CLASSROOM["browser"]["gatherUsageStats"] is False
    assert CLASSROOM["client"]["toolbarMode"] == "viewer"


def test_the_script_health_check_that_warms_a_server_is_on():
    assert APP["server"]["scriptHealthCheckEnabled"] is True


def test_every_setting_of_the_app_is_kept():
    for section, settings in APP.items():
        for key, value in settings.items():
            assert CLASSROOM[section][key] == value, f"[{section}] {key}"


def test_the_images_use_the_classroom_config_and_nginx_is_sticky():
    for dockerfile in ("Dockerfile", "Dockerfile.cuda"):
        text = (ROOT / "deploy" / dockerfile).read_text()
        assert "COPY deploy/classroom.config.toml .streamlit/config.toml" in text
        assert re.search(r"apt-get install [^\n]*graphviz", text), f"{dockerfile}: the tree's layout needs dot"
        assert "pip install -r requirements-ray.txt" in text  # the Ray Serve worker, on request
        assert "/_stcore/script-health-check" in text.partition("HEALTHCHECK")[2], f"{dockerfile}: healthy = warm"
    assert "ip_hash;" in (ROOT / "deploy" / "nginx.conf").read_text()
