#!/usr/bin/env bash
# Create the project's virtual environment, installing Debian's python3-venv if that is what
# is missing (a fresh Debian has python3 without ensurepip).
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}

if ! command -v "$python" >/dev/null 2>&1; then
  echo "wcodoc needs Python 3.11 or newer: sudo apt-get install python3 python3-venv" >&2
  exit 1
fi
"$python" - <<'PY' || { echo "wcodoc needs Python 3.11 or newer (found $("$python" --version 2>&1))" >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY
if ! "$python" -m venv "$venv" 2>/dev/null; then
  rm -rf "$venv"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing python3-venv with apt-get…"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    "$python" -m venv "$venv"
  else
    echo "Cannot create a virtual environment: sudo apt-get install python3-venv" >&2
    exit 1
  fi
fi
