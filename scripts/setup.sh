#!/usr/bin/env bash
# Installs what Galley and its tests need on Debian/Ubuntu, then the npm packages. Safe to run again.
set -euo pipefail

# Chromium prints the PDF; epubcheck (Java) validates EPUBs; poppler-utils reads PDFs in tests; the CSL
# packages hold the official styles and locales; pandoc is the reference the tests and benchmark compare with.
# fonts-dejavu-extra has DejaVu Math TeX Gyre, the math font of formulas.
packages=(chromium epubcheck default-jre-headless poppler-utils citation-style-language-styles citation-style-language-locales pandoc fonts-dejavu-core fonts-dejavu-extra)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "galley setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "galley setup: apt-get is not available. Install these yourself, then run 'npm ci':" >&2
    echo "  Chromium or Chrome (or set GALLEY_BROWSER to one), Java 17+ and epubcheck 4.2 (epubcheck.jar)," >&2
    echo "  poppler (pdfinfo, pdffonts, pdftoppm), pandoc 2.17+, and optionally the CSL styles and locales" >&2
    echo "  (https://github.com/citation-style-language/styles, set CSL_DIR to their parent directory)." >&2
    echo "  Debian names: ${missing[*]}" >&2
    exit 1
  fi
fi

# .puppeteerrc.cjs tells puppeteer never to download a browser; Galley uses the system's Chromium.
npm ci --no-audit --no-fund
