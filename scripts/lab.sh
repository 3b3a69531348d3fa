#!/usr/bin/env bash
# `npm run lab`: sets up what a fresh machine lacks (npm packages, a Docker engine,
# the lab image), then runs the lab. Arguments go to the lab (`npm run lab -- --list`).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/tsx ] || [ ! -x node_modules/.bin/node ]; then
  echo "lab: installing npm packages (first run)…" >&2
  # Engine warnings come from npm running on the machine's older Node; the lab itself runs on Node 24.
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
# Node 24 from npm's `node` package, whatever node this machine has.
export PATH="$PWD/node_modules/.bin:$PATH"

# The lab itself makes sure each engine it runs on answers and holds the lab image
# (scripts/ensure-docker.sh, scripts/ensure-base-image.sh), whichever engines --engine names.
exec node --import tsx scenarios/main.ts "$@"
