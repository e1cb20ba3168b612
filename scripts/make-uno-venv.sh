#!/usr/bin/env bash
# Create the environment `wcodoc pdf-server` runs unoserver from: the system Python (the one
# Debian's python3-uno, LibreOffice's Python bridge, is built for) with its site packages
# visible, plus unoserver from PyPI. wcodoc finds it at <its own venv>/uno, or $WCODOC_UNO_VENV.
set -euo pipefail
venv=${1:?usage: make-uno-venv.sh DIR}
python=${UNO_PYTHON:-/usr/bin/python3}
# API 3: the XML-RPC calls wcodoc makes (wcodoc/pdf/client.py); unoserver.server's XMLRPCServer
# and main(), which wcodoc/pdf/unoserver_launcher.py wraps.
requirement='unoserver>=3.7,<4'

if ! "$python" -c 'import uno' >/dev/null 2>&1; then
  echo "wcodoc pdf-server needs LibreOffice's Python bridge for $python: sudo apt-get install python3-uno" >&2
  exit 1
fi
if ! "$python" -m venv --system-site-packages "$venv" 2>/dev/null; then
  rm -rf "$venv"
  echo "Cannot create $venv with $python: sudo apt-get install python3-venv" >&2
  exit 1
fi
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$requirement"; then
  echo "Cannot install $requirement into $venv (see pip's message above)" >&2
  exit 1
fi
