#!/usr/bin/env bash
# Run the whole test suite: PostGIS, a loopback SMTP server and Debian's Chromium.
set -euo pipefail
WITH_BROWSER=1 WITH_REDIS=1 WITH_DATABASE=0 source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-${DATABASE_URL%/*}/participatie_test}"
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
