# syntax=docker/dockerfile:1
# Celeriac as one image: a build stage compiles the single binary with the Bun pinned in
# package-lock.json (the `bun` devDependency, 1.4.5), the final stage holds that binary and CA
# certificates only, and runs it as a non-root user. The same image serves every role: the
# command picks one (`all`, `api`, `worker`, `beat`); see fly.toml and README "Deploy".
#
# scripts/check-dockerfile.sh runs this file's build-stage COPY/RUN steps outside Docker and
# smoke-tests the result, so keep those steps plain shell.

# ---- build ----------------------------------------------------------------------------------
# Node only runs npm: package.json and the lockfile pin Bun itself (the `bun` package installs
# its linux binary), so the image compiles with exactly the Bun that CI and the developers use.
# Node 22: zod-openapi asks for >= 22.14.
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# The same install as .ci/run. Not `npm ci`: the lockfile lacks the other platforms' optional
# packages (biome, msgpackr-extract), which `npm ci` rejects as out of sync; `npm install` keeps
# every locked version, and bun is pinned exactly in package.json as well.
RUN npm install --no-audit --no-fund
COPY . .
# scripts/build.ts holds the compile flags and the list of Worker-thread entrypoints.
RUN npm run build -- /out/celeriac && /out/celeriac --version
# The SQLite default (sqlite://./data/celeriac.db, relative to the working directory /) and the
# outbox, exports and backups live under /data: created here, owned by the runtime user below.
RUN mkdir -p /out/data

# ---- runtime --------------------------------------------------------------------------------
# glibc + libstdc++ + CA certificates + tzdata, no shell, no package manager; uid 65532 "nonroot".
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/celeriac /celeriac
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
# Relative paths of the defaults (./data/...) resolve here, i.e. under /data (a fly volume mounts
# there for the single-machine SQLite layout).
WORKDIR /
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["/celeriac"]
CMD ["all"]
