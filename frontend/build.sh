#!/usr/bin/env bash
# Rebuild the article editor bundle (editorial/static/editorial/ckeditor5/) from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm run build
