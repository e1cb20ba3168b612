#!/usr/bin/env bash
# The test suite's checkers of the HTML edition, from npm, into a folder of the project
# (VENV/node_modules, beside the Python test tools): the Nu Html Checker (vnu-jar, run by
# java), axe-core, and puppeteer-core, which drives Debian's chromium-headless-shell
# (scripts/system-deps.sh installs both programs). Versions pinned, as the Python validators'
# are: a new rule must not fail an output that did not change; puppeteer-core 24 is the last
# that runs on Debian 12's Node.js 18. Does nothing when they are installed already.
set -euo pipefail

venv=${1:-.venv}
packages=(vnu-jar@26.9.27 axe-core@4.14.1 puppeteer-core@24.43.1)
stamp="$venv/node_modules/.wcodoc-test-deps"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "${packages[*]}" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "The HTML tests need npm: sudo apt-get install npm (make test's system-deps does it as root)" >&2
  exit 1
fi
mkdir -p "$venv"
# --ignore-scripts: vnu-jar's install script fetches a Java runtime; Debian's java runs it.
npm install --prefix "$venv" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "${packages[@]}"
echo "${packages[*]}" >"$stamp"
