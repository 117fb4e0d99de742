#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh Debian/Ubuntu machine, then run it all:
# Debian's Chromium for the browser tests, Graphviz for the tree's layout, a virtual environment with requirements-dev.txt
# and the optional Ray Serve worker's requirements-ray.txt,
# then pytest (extra arguments are passed on, e.g. `bash tests/run.sh -k lineage`).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v chromium >/dev/null || ! command -v dot >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q . || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    chromium fonts-dejavu-core fonts-wqy-microhei graphviz python3-venv >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -r requirements-ray.txt
exec .venv/bin/python -m pytest "$@"
