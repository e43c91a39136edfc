# Lead Assistant as a container image: built in one stage with the dev dependencies, run in another
# without them, as the non-root `node` user, with the embedded store in the /data volume.
#   docker build -t lead-assistant .
#   docker run -p 3978:3978 -v lead-data:/data --env-file .env lead-assistant
# scripts/image-steps.sh runs these RUN lines on a clean clone without Docker, and checks they match.
# (STORE=azure-table with several replicas does not use /data; the embedded store is one replica.)

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/build-tab.ts ./scripts/
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    PORT=3978 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3978
# No curl in slim images: node itself asks /healthz (200 while the store can write).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form, node as PID 1 and no npm in between: `docker stop`'s SIGTERM reaches the server, which
# answers what it received and exits 0 (npm start would build, and npm does not pass signals on).
CMD ["node", "--max-semi-space-size=16", "dist/index.js"]
