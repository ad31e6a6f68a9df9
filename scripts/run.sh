#!/usr/bin/env bash
# Install eskg in a local virtualenv and serve the bundled data on the embedded store:
# GraphQL (GraphiQL) at http://127.0.0.1:8000/graphql, health at /health.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/eskg serve --store embedded --host 127.0.0.1 --port 8000 "$@"
