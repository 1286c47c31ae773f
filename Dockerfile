# The ledgerline reference server (`ledgerline-mock`) as a container image.
#
#   docker build -t ledgerline-mock .
#   docker run --rm -p 4010:4010 ledgerline-mock
#
# Configuration: the CLI's flags after the image name (`docker run ledgerline-mock --seed /data/seed.json`)
# or the LEDGERLINE_MOCK_* environment variables (docs/reference-server.md, "Run it in a container").
# Decisions (base image, user, signals): docs/decisions.md, "The container image".

# Both stages start from the same Node image; a machine without a registry passes its own.
ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: npm ci and the project's own build, packed as it is published -------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# A registry behind a TLS proxy needs its CA: pass it as a build secret, which no layer keeps
# (docker build --secret id=npm_ca,src=/etc/ssl/certs/ca-certificates.crt).
RUN --mount=type=secret,id=npm_ca \
    if [ -f /run/secrets/npm_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi; \
    npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build && npm pack --silent --pack-destination /tmp

# --- install: what `npm install ledgerline pg` gives a user, from the packed package --------------
FROM ${NODE_IMAGE} AS install
WORKDIR /app
COPY --from=build /tmp/ledgerline-*.tgz /src/package-lock.json /tmp/
# The package's production dependencies, and pg (at the version the lockfile pins) for
# --store postgres://; nothing else of the build (no sources, no dev dependencies).
RUN --mount=type=secret,id=npm_ca \
    if [ -f /run/secrets/npm_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi; \
    echo '{"private":true}' > package.json \
    && npm install --no-audit --no-fund --ignore-scripts --omit=dev /tmp/ledgerline-*.tgz \
       "pg@$(node -p "require('/tmp/package-lock.json').packages['node_modules/pg'].version")"
# An empty folder for the state volume (WORKDIR creates it; the runtime copies it with its owner).
WORKDIR /data

# --- runtime: Node, the built server and its production dependencies only -------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    LEDGERLINE_MOCK_HOST=0.0.0.0 \
    LEDGERLINE_MOCK_PORT=4010
COPY --from=install /app /app
# --state-file /data/ledger.json keeps the ledger across containers; owned by the non-root user.
COPY --from=install --chown=1000:1000 /data /data
VOLUME ["/data"]
# A numeric user exists in every base image (node:*-slim names it `node`); never root.
USER 1000:1000
WORKDIR /data
EXPOSE 4010
# Healthy while the server answers HTTP on its port below 500: a cheap read of GET /_mock/clock (a 401
# when an admin token is set still means it is up; the token never goes into a health probe).
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.LEDGERLINE_MOCK_PORT||4010)+'/_mock/clock').then(r=>process.exit(r.status<500?0:1),()=>process.exit(1))"]
# Node is PID 1: the CLI handles SIGTERM and SIGINT itself (finish in-flight requests, save, exit 0
# within --shutdown-timeout), so no init process is needed; `docker run --init` works too.
ENTRYPOINT ["node", "/app/node_modules/ledgerline/dist/cli.js"]
