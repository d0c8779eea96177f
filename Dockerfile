# syntax=docker/dockerfile:1
# Installer onboarding assistant: build with the toolchain, run on a slim image as a non-root user.
#   docker build -t installer-assistant .
#   docker run -p 3978:3978 -v installer-data:/data --env-file .env installer-assistant
# NODE_ENV=production: the .env must set PUBLIC_URL and SMTP_URL (or DEV_MAILBOX=true), or start-up stops.

# ---- build: compile TypeScript and the better-sqlite3 native module, then drop dev dependencies ----
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund
# Gather what the runtime needs: the compiled code, production node_modules, package.json (for
# projectRoot()), the optional asset folders that exist, and non-TypeScript files kept under src/.
RUN mkdir -p /out \
 && cp -r package.json node_modules dist /out/ \
 && for dir in locales public assets views; do if [ -d "$dir" ]; then cp -r "$dir" /out/; fi; done \
 && find src -type f ! -name '*.ts' -exec cp --parents {} /out/ \;

# ---- runtime ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3978 DATA_DIR=/data
WORKDIR /app
COPY --from=build /out/ ./
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3978
# No curl in slim images: node does the probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const r=require('http').get('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz',s=>process.exit(s.statusCode===200?0:1));r.on('error',()=>process.exit(1));r.setTimeout(4000,()=>process.exit(1))"]
CMD ["node", "dist/src/index.js"]
