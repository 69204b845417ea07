#!/usr/bin/env bash
# Builds the web client the node serves (web/ -> src/main/resources/web/, committed), with the
# versions pinned in web/package-lock.json. The build is reproducible: WebBundleIT rebuilds it
# into a temporary directory and fails if the committed files differ.
#   scripts/build-web.sh [OUT_DIR]     (default: src/main/resources/web)
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-src/main/resources/web}")"
command -v npm >/dev/null || { echo "build-web: npm is needed (apt-get install nodejs npm)" >&2; exit 2; }
(cd web && npm ci --no-audit --no-fund --loglevel=error >&2)
mkdir -p "$out"
web/node_modules/.bin/esbuild web/src/main.js --bundle --format=esm --minify --target=es2020 \
  --legal-comments=none --charset=utf8 --log-level=warning --outfile="$out/app.js"
cp web/static/index.html web/static/app.css "$out/"
echo "build-web: wrote $(ls "$out" | tr '\n' ' ')to $out" >&2
