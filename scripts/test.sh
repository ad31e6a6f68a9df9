#!/usr/bin/env bash
# Install eskg with its test tools in a local virtualenv and run the whole suite.
# The suite starts a real Neo4j 5.26 itself (jars fetched once from Maven Central into
# ~/.cache/eskg/neo4j) and stops it at the end; set NEO4J_URI to use another server.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed (apt-get install openjdk-17-jre-headless maven)" >&2; exit 2; }
done
# The explorer's browser tests (tests/e2e) drive Debian's Chromium; as root, install it and
# the CJK fonts if missing, otherwise those tests skip and say why.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
      || echo "warning: could not install chromium; the e2e tests will skip" >&2
  fi
fi
# The explorer's and GraphiQL's bundles are checked against a rebuild of their sources
# (that needs esbuild), and tests/test_http.py runs graphql-http's server audits (Node).
for dir in frontend frontend/graphiql; do
  if command -v npm >/dev/null && [ ! -x "$dir/node_modules/.bin/esbuild" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
      || echo "warning: npm ci failed in $dir; its bundle rebuild test will skip" >&2
  fi
done
if command -v npm >/dev/null && [ ! -d tests/graphql_http/node_modules/graphql-http ]; then
  (cd tests/graphql_http && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || echo "warning: npm ci failed in tests/graphql_http; the audit test will skip" >&2
fi
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
export PATH="$PWD/.venv/bin:$PATH"
# Two test processes (ESKG_TEST_WORKERS; 0 runs in this one), each taking whole files, so a
# module's fixtures stay in one process; each process starts its own Neo4j.
exec .venv/bin/python -m pytest -q -n "${ESKG_TEST_WORKERS:-2}" --dist loadfile "$@"
