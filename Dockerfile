# The lab image: the tools every lab host (server, clients, router) runs around
# the app: tcpdump (captures), iproute2 (routes, tc), nftables (loss and drops
# on the router), on Node 24.
#
# The app itself is not in here and nothing is ever bind-mounted: each run
# builds a small image on top of this one from the working tree (the services'
# sources and the node_modules packages they need, lab/engine/app-image.ts),
# tagged by the hash of what it holds, so an unchanged tree reuses it and any
# Docker engine, local or remote, runs exactly the code on disk.
#
# BASE defaults to the official Node LTS image. Where no registry is reachable,
# scripts/ensure-base-image.sh builds an equivalent base from Debian's
# packages and passes it as --build-arg BASE=udp-chat-lab-base:bookworm-node24.
ARG BASE=node:24-bookworm-slim
FROM ${BASE}

# Install only what is missing, so the locally built base (which has it all)
# builds without any network access.
RUN set -e; missing=""; \
    command -v tcpdump >/dev/null 2>&1 || missing="$missing tcpdump"; \
    command -v ip >/dev/null 2>&1 || missing="$missing iproute2"; \
    command -v nft >/dev/null 2>&1 || missing="$missing nftables"; \
    command -v ps >/dev/null 2>&1 || missing="$missing procps"; \
    if [ -n "$missing" ]; then \
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing \
      && rm -rf /var/lib/apt/lists/*; \
    fi; \
    mkdir -p /app /results /files

ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /app
CMD ["sleep", "infinity"]
