# Orienta: multi-stage image. Build: docker build -t orienta .   Run: docker run -it -v orienta-data:/app/data orienta
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
COPY knowledge ./knowledge
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
# Several instances: set REDIS_URL (shared sessions, rate limits, seen ids); see the README,
# "Running one instance or several".
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The app handles SIGTERM/SIGINT itself (drains channels, closes the HTTP server, saves or closes
# the stores), so node may run as PID 1; `docker run --init` adds zombie reaping.
STOPSIGNAL SIGTERM
# The same V8 flags as `npm start` (a small young generation: the RSS stays near 100 MB).
CMD ["node", "--max-semi-space-size=2", "dist/main.js"]
