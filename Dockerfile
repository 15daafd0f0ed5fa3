# syntax=docker/dockerfile:1
# Switchyard gateway image: `docker build -t switchyard .` then `docker compose up` (see README, Deploy).
# Three stages: build (dev dependencies + tsc), deps (production dependencies only), runtime (no npm cache,
# no compiler, non-root, works on a read-only root filesystem with /data as its only writable path).

FROM node:20.18.1-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build

FROM node:20.18.1-bookworm-slim AS deps
WORKDIR /app
COPY . .
# --ignore-scripts: `prepare` would run tsc, which is a dev dependency; the build stage already compiled.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20.18.1-bookworm-slim AS runtime
ENV NODE_ENV=production \
    SWITCHYARD_HOST=0.0.0.0 \
    SWITCHYARD_PORT=4000 \
    SWITCHYARD_DATA_DIR=/data
WORKDIR /app
# the sources with production dependencies only, plus the compiled gateway and pipeline (dist/, so that
# `switchyard pipeline` works in the container too); src/store/lua and routing-rules/ are read at run time
COPY --from=deps /app ./
COPY --from=build /app/gateway/dist ./gateway/dist
COPY --from=build /app/pipeline/dist ./pipeline/dist
# /data holds the memory store's spend journal and keys; everything else can be read-only.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 4000
# Liveness only (the process answers); readiness, which checks Redis, is for balancers and Kubernetes.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.SWITCHYARD_PORT || 4000) + '/health/liveliness').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains requests and streams in flight (up to SWITCHYARD_DRAIN_TIMEOUT_S) before the process exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/deploy/docker/start.sh"]
