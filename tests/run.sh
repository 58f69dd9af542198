#!/usr/bin/env bash
# The test command: sets up what the tests need on a fresh machine, then runs pytest.
#   bash tests/run.sh            # default suite (+ ssh, lab, browser, distributed tests when possible)
#   bash tests/run.sh -m slow    # extra pytest arguments are passed on
# Creates .venv (or reuses it), installs the project with its test extra and, when run as
# root on Debian, the system packages for the venv and the SSH, LLDP-lab, browser and
# distributed (redis-server, PostgreSQL) tests.
# With CI=true (.ci/run sets it) nothing may be quietly left out: a package that cannot be
# installed stops the run, and tests whose real-output fixtures are missing fail, not skip.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  need=()
  for pkg in python3-venv lldpd openssh-server chromium fonts-wqy-microhei iproute2 redis-server postgresql; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
  if [ "${#need[@]}" -gt 0 ]; then
    echo "installing Debian packages: ${need[*]}"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; }; then
      if [ "${CI:-}" = true ]; then
        echo "error: could not install ${need[*]} (CI=true: their tests must run, not be skipped)" >&2
        exit 1
      fi
      echo "warning: could not install ${need[*]}: the tests that need them will be skipped"
    fi
  fi
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
# The architecture and the lint first: the one-way layers (import-linter contracts) and ruff,
# both configured in pyproject.toml; either failing stops the run.
.venv/bin/lint-imports --no-cache
.venv/bin/ruff check --no-cache .
exec .venv/bin/python -m pytest -m "not slow" -p no:cacheprovider "$@"
