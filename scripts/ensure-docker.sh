#!/usr/bin/env bash
# Make sure a Docker engine answers `docker info`. On the project's machines
# (Debian 12, root, no systemd) only the CLI is present: install Debian's
# docker.io if dockerd is missing and start the daemon in the background.
# Idempotent and silent when the engine is already up. An engine elsewhere
# (DOCKER_HOST, or a Docker context, naming tcp:// or ssh://) is never
# installed or started from here: it must already answer.
set -euo pipefail

WAIT_SECONDS="${DOCKER_WAIT_SECONDS:-60}"
LOG="${DOCKERD_LOG:-/tmp/dockerd.log}"

if docker info >/dev/null 2>&1; then
  exit 0
fi

endpoint="$(docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null || echo "${DOCKER_HOST:-unix:///var/run/docker.sock}")"
if [ "$endpoint" != "unix:///var/run/docker.sock" ]; then
  echo "ensure-docker: ERROR: the engine at $endpoint does not answer: $(docker info 2>&1 >/dev/null | tail -n1)" >&2
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "ensure-docker: no dockerd on this machine; installing Debian's docker.io" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi

# A second dockerd would fight the first over its pid file and socket: only
# start one when none runs (one may still be starting up).
if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "ensure-docker: starting dockerd (log: $LOG)" >&2
  nohup dockerd >"$LOG" 2>&1 &
fi

for ((i = 0; i < WAIT_SECONDS * 4; i++)); do
  if docker info >/dev/null 2>&1; then
    echo "ensure-docker: engine up after $((i / 4)) s" >&2
    exit 0
  fi
  sleep 0.25
done

echo "ensure-docker: ERROR: docker info did not answer within ${WAIT_SECONDS} s; last lines of $LOG:" >&2
tail -n 20 "$LOG" >&2 || true
exit 1
