# Aviary's image: `docker build -t registry.example.com/aviary:0.1.0 .` (deploy/ runs it).
# Build stage: every dependency, the production build; runtime stage: production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 AVIARY_LISTEN_HOST=0.0.0.0 PORT=3000
COPY --from=build /app/package.json /app/next.config.js /app/server.mjs ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/.next ./.next
# The user the Deployment's securityContext names (runAsUser 1000 = node in this image).
USER node
EXPOSE 3000
CMD ["node", "server.mjs"]
