# One image per Kinitro app, from one recipe: the apps share every library and differ only by their entry point.
#   docker build -f infra/docker/app.Dockerfile --build-arg APP=api -t kinitro/api .            (api, projector,
#   scheduler, chain-monitor, validator: target `app`, the default)
#   docker build -f infra/docker/app.Dockerfile --target evaluator -t kinitro/evaluator .
# Each image holds the whole build (every app and the `kinitro` CLI: `docker run kinitro/api kinitro dlq list`);
# APP only chooses what it runs. Build context: the repository root (see .dockerignore).
ARG NODE_IMAGE=node:20.19-bookworm-slim

# Compile with the dev dependencies (TypeScript), the way `npm run build` does on a developer's machine.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps apps
COPY libs libs
COPY test test
RUN npm run build

# Production dependencies only: no TypeScript, jest or build tools in the running image.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules node_modules
COPY --from=build /src/dist/apps dist/apps
COPY --from=build /src/dist/libs dist/libs
# The dashboard the api serves at / (vite build, part of npm run build).
COPY --from=build /src/dist/dashboard dist/dashboard
# The Python SDK (kinitro_agent) is bind-mounted read-only into every agent sandbox (libs/agent/src/runtime).
COPY sdk/python sdk/python
RUN ln -s /app/dist/apps/cli/src/main.js /usr/local/bin/kinitro && chmod +x /app/dist/apps/cli/src/main.js

FROM runtime AS app
ARG APP=api
# A wrong APP fails the build here, not the first start.
RUN test -f "dist/apps/${APP}/src/main.js" || { echo "APP=${APP}: no dist/apps/${APP}/src/main.js" >&2; exit 1; } \
 && ln -s "dist/apps/${APP}/src/main.js" main.js
# The image's own user (uid 1000 in the node image), never root.
USER node
ENV LOG_FORMAT=json HEALTH_HOST=0.0.0.0 API_HOST=0.0.0.0
ENTRYPOINT ["node"]
CMD ["/app/main.js"]

# The evaluator runs untrusted agents: bubblewrap for the default sandbox (it needs unprivileged user namespaces
# on the node: see docs/operations.md) and Debian's python3 with grpcio/protobuf/numpy, the agents' runtime.
FROM runtime AS evaluator
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap python3 python3-grpcio python3-protobuf python3-numpy \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s dist/apps/evaluator/src/main.js main.js \
 && mkdir -p /app/data && chown node:node /app/data
USER node
ENV LOG_FORMAT=json HEALTH_HOST=0.0.0.0 AGENT_CACHE_DIR=/app/data/agents
ENTRYPOINT ["node"]
CMD ["/app/main.js"]
