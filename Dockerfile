# Orienta: multi-stage image. Build: docker build -t orienta .   Run: docker run -it --init -v orienta-data:/app/data orienta
# Settings: -e NAME=value or --env-file .env (the .env file itself never enters the image: .dockerignore).
# Stage 1 compiles src/ to dist/ with the dev dependencies (TypeScript); the runtime stage has only
# the production dependencies (`npm ci --omit=dev`: no tsc, no tsx, no esbuild) and dist/, so every
# command runs as compiled JavaScript:
#   docker run --rm -v orienta-data:/app/data orienta node dist/cli/report.js --top 30
#   docker run --rm orienta node dist/cli/kb-check.js
#   docker run --rm orienta node dist/cli/ask.js como saco la credencial
#   echo '{"user":"a","text":"hola"}' | docker run --rm -i orienta node dist/cli/ask.js --json
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20.20-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/app/data KNOWLEDGE_DIR=/app/knowledge
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# `npm start` works in the image too: its prestart (scripts/build-if-stale.mjs) finds no src/ and
# builds nothing.
COPY scripts ./scripts
COPY knowledge ./knowledge
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
VOLUME ["/app/data"]
# Knowledge hot reload: the bot polls KNOWLEDGE_DIR every 2 s (so a bind mount works on Docker
# Desktop too) and swaps in every valid edit; an invalid one is logged and the previous knowledge
# keeps answering. The image carries a copy of knowledge/; to edit it without rebuilding, mount
# the folder over it (read-only is enough; the parsed snapshot goes to DATA_DIR/cache):
#   docker run -d --init -p 3000:3000 -v orienta-data:/app/data -v "$PWD/knowledge:/app/knowledge:ro" orienta
# and check an edit first with: docker run --rm -v "$PWD/knowledge:/app/knowledge:ro" orienta node dist/cli/kb-check.js
EXPOSE 3000
# Several instances: set REDIS_URL (shared sessions, rate limits, seen ids); see the README,
# "Running one instance or several".
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The app handles SIGTERM/SIGINT itself (drains channels, closes the HTTP server, saves or closes
# the stores), so node may run as PID 1; `docker run --init` adds zombie reaping.
STOPSIGNAL SIGTERM
# The same V8 flags as `npm start` (a small young generation: the RSS stays near 100 MB).
CMD ["node", "--max-semi-space-size=2", "dist/main.js"]
