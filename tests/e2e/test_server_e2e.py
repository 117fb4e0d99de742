"""A freshly started server warms itself through its script health check (the Docker images call it on
start): the check runs the home script without error, and the first student's visit then finds the
tree's caches filled, read from Streamlit's own cache metrics rather than from a clock."""

import re
import urllib.request

import pytest

from tests.e2e.harness import open_page, run_script_health_check, streamlit_server
from tests.e2e.plotly_points import wait_for_points

pytestmark = pytest.mark.e2e
WARMED = ("lineage_graph", "lineage_layout", "lineage_figure")  # what the tree's first paint needs


def cache_lookups(url: str) -> dict[tuple[str, str], int]:
    """Streamlit's `/_stcore/metrics`: lookups of each of the app's cached functions, by hit or miss."""
    text = urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=30).read().decode()
    lookups = re.findall(r'^cache_lookups_total\{cache="ui\.lineage_cache\.(\w+)",[^}]*result="(hit|miss)"\} (\d+)', text, re.M)
    return {(name, result): int(count) for name, result, count in lookups}


@pytest.fixture
def fresh_server(tmp_path):
    with streamlit_server(tmp_path / "streamlit.log", {"LINEAGE_CACHE_DIR": str(tmp_path), "LINEAGE_OFFLINE": "1"}) as url:
        yield url


def test_the_health_check_runs_the_home_script_and_the_first_visit_finds_its_caches_filled(fresh_server, page):
    assert not any(cache_lookups(fresh_server).values())  # fresh: nothing looked up yet
    assert run_script_health_check(fresh_server) == (200, "ok")
    warmed = cache_lookups(fresh_server)
    assert all(warmed[name, "miss"] == 1 for name in WARMED), warmed  # each built once, by the check's run

    open_page(page, fresh_server)
    wait_for_points(page)
    visited = cache_lookups(fresh_server)
    for name in WARMED:
        assert visited[name, "miss"] == 1, f"{name} was built again for the first visit"
        assert visited[name, "hit"] > warmed[name, "hit"], f"the first visit did not use {name}"
