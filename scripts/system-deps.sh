#!/usr/bin/env bash
# Make sure the programs wcodoc drives are installed: LibreOffice (PDF), Liberation fonts
# (metric-compatible with Times New Roman), poppler (pdftotext for the tests), and the PDF/A
# validator the tests run: Apache PDFBox Preflight, with the Java it runs on and the two
# libraries Java 11+ no longer ships (activation, JAXB); for the HTML edition's tests, npm
# (scripts/test-deps.sh brings the Nu Html Checker, axe-core and puppeteer-core) and the
# headless Chromium they drive.
# As root with apt, install what is missing; otherwise say exactly what to install.
set -euo pipefail

packages=()
command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1 || packages+=(libreoffice-writer-nogui)
# Formulas (pandoc's math, Word equations): without its Math module LibreOffice leaves them out of the PDF.
[ -e /usr/lib/libreoffice/program/libsmlo.so ] || packages+=(libreoffice-math-nogui)
[ -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || packages+=(fonts-liberation2)
command -v pdftotext >/dev/null 2>&1 || packages+=(poppler-utils)
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
[ -e /usr/share/java/preflight.jar ] || packages+=(libpdfbox2-java)
[ -e /usr/share/java/javax.activation.jar ] || packages+=(libactivation-java)
[ -e /usr/share/java/jaxb-api.jar ] || packages+=(libjaxb-api-java)
command -v npm >/dev/null 2>&1 || packages+=(npm)
command -v chromium-headless-shell >/dev/null 2>&1 || packages+=(chromium-headless-shell)
# The warm PDF server (wcodoc pdf-server) drives LibreOffice through UNO from the system Python.
[ -e /usr/lib/python3/dist-packages/uno.py ] || packages+=(python3-uno)
# unoserver is installed into a venv of that Python (scripts/make-uno-venv.sh): venv needs ensurepip.
/usr/bin/python3 -c 'import ensurepip' >/dev/null 2>&1 || packages+=(python3-venv)

[ ${#packages[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${packages[*]} with apt-get (a few minutes on a fresh machine)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
else
  echo "wcodoc needs these system packages: ${packages[*]}" >&2
  echo "Install them with:  sudo apt-get install ${packages[*]}" >&2
  exit 1
fi
