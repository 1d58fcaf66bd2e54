#!/usr/bin/env bash
# Run Participatie with Hengelo's boundaries and demo data on http://127.0.0.1:5000
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
.venv/bin/flask --app wsgi demo
say "Participatie draait op http://127.0.0.1:${PORT:-5000} (Ctrl+C stopt)"
exec .venv/bin/flask --app wsgi run --host 127.0.0.1 --port "${PORT:-5000}"
