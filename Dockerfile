# syntax=docker/dockerfile:1
#
# shopcore container image: one process serves one region (REGION=eu|us|apac|...).
#
#   docker build -t shopcore:local .
#   docker run --rm -p 3000:3000 -e REGION=eu -e DATABASE_URL=... -e REDIS_URL=... -e KAFKA_BROKERS=... \
#     -e FAKE_PSP_WEBHOOK_SECRET=... shopcore:local   (NODE_ENV=production requires the webhook key)
#   docker run --rm -e DATABASE_URL=... shopcore:local node dist/src/migrate.cli.js   (migrations only;
#     the Kubernetes init container and compose's migrate-* services run this)
#
# Stages: base (Node 20 + npm 11) → deps (all dependencies) → build (tsc → dist/)
#                                 → prod-deps (runtime dependencies only) → runtime (non-root, no npm cache).

ARG NODE_IMAGE=node:20-bookworm-slim
# package.json carries an npm 11 "allowScripts" policy: only approved packages run install scripts.
# The npm bundled with Node 20 is 10.x, which ignores that policy and would run every install
# script, so the install stages use a pinned npm 11.
ARG NPM_VERSION=11.19.1

############################################################################### base
FROM ${NODE_IMAGE} AS base
ARG NPM_VERSION
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    NPM_CONFIG_LOGLEVEL=warn
RUN npm install --global "npm@${NPM_VERSION}" && npm cache clean --force
WORKDIR /app

############################################################################### deps
# Everything, including devDependencies (typescript), keyed only on the manifest and lockfile so
# that source edits do not bust this layer.
FROM base AS deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci

############################################################################### build
FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
# tsc -p tsconfig.build.json: src/ → dist/src (entry dist/src/main.js), migrations/ → dist/migrations.
# tsc copies no other files: the email templates (src/notifications/adapters/templates/**/*.eta) are
# copied beside the compiled renderer, which reads them from its own folder.
RUN npm run build && test -f dist/src/main.js \
 && cd src && find . -name '*.eta' -exec cp --parents {} ../dist/src/ \; \
 && test -f ../dist/src/notifications/adapters/templates/en/order-confirmed.html.eta

############################################################################### prod-deps
# Runtime dependencies only, installed under the same allowScripts policy: the approved
# @embedded-postgres postinstall runs here, protobufjs's stays denied; esbuild, ssh2 and
# cpu-features are development-only and not installed at all.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev

############################################################################### runtime
FROM ${NODE_IMAGE} AS runtime

LABEL org.opencontainers.image.title="shopcore" \
      org.opencontainers.image.description="Headless e-commerce backend: one Fastify process per region" \
      org.opencontainers.image.licenses="UNLICENSED"

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000

WORKDIR /app

# Code and dependencies belong to root and are read-only for the process user; the only writable
# path in the image is .data/, used solely by the embedded mode (no DATABASE_URL). In Kubernetes
# the root filesystem is mounted read-only and /tmp is an emptyDir.
COPY --from=prod-deps /app/package.json /app/package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# tini as PID 1: forwards SIGTERM/SIGINT to node and reaps orphaned children (the embedded mode's
# Postgres, a crashed helper), which node itself does not do as PID 1.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /app/.data && chown node:node /app/.data

# The `node` user (uid/gid 1000) ships with the official image.
USER node

EXPOSE 3000

# No curl in the slim image: Node's built-in fetch probes the liveness endpoint. /healthz only says
# the process lives; dependency health is /readyz, which orchestrators use for routing, not restarts.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# main.ts handles SIGTERM itself: stop accepting, drain in-flight requests, stop the outbox relay
# and consumers, close the pools (bounded by SHUTDOWN_TIMEOUT_MS). tini passes the signal on; the
# exec form matters: the signal must reach node, not a shell. `node dist/src/migrate.cli.js` as the
# command runs the migrations only.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
