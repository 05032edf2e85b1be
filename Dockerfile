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
# node runs as PID 1's child under tini-like init from Docker (--init recommended); SIGTERM is handled by the app.
CMD ["node", "dist/main.js"]
