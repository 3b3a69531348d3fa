# One image for every lab host: server, clients and the router.
#
# The app code is NOT copied in: the lab bind-mounts the working tree
# read-only at /app, so a run always exercises the code as it is on disk
# (including node_modules/.bin/tsx and the repo's own Node 24 binary), and an
# edit never needs an image rebuild. The image only carries the tools the lab
# runs around the app: tcpdump (captures), iproute2 (routes, tc), nftables
# (loss and drops on the router).
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

# The repo's node_modules/.bin (Node 24, tsx) comes first once /app is mounted.
ENV PATH=/app/node_modules/.bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /app
CMD ["sleep", "infinity"]
