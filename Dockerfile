# syntax=docker/dockerfile:1
# Ferry's one image: every role (api, serve, worker --queue …) from the same layers, run as a non-root
# user with production dependencies only and the workflow bundle built in. See docs/deploy.md.
#   docker build --build-arg VERSION=0.1.0 --build-arg GIT_REVISION=$(git rev-parse HEAD) -t ferry .
#   buildah bud --format docker --isolation chroot --build-arg BASE_IMAGE=… -t ferry .   (as CI does)
# Any Node.js ≥ 20.3 image on glibc with `sh` will do as the base (CI builds one locally: no registry).
ARG BASE_IMAGE=node:20-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json ./
# Install scripts are off: the only package that wants one is the optional @tensorflow/tfjs-node,
# whose script downloads libtensorflow from outside the npm registry. Without it (and the ~250 MB it
# pulls in) training uses the WebAssembly backend; WITH_TFJS_NODE=true builds it in (needs that
# download to be reachable). Then what no process here loads goes: the Temporal core bridge's
# binaries for other platforms and its Rust sources, source maps, type declarations, READMEs.
# Behind a TLS-intercepting proxy, pass its CA as a build secret (`--secret id=npm_ca,src=ca.pem`):
# npm trusts it for this step only and it never lands in a layer.
ARG WITH_TFJS_NODE=false
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    --mount=type=secret,id=npm_ca \
    if [ -s /run/secrets/npm_ca ]; then export npm_config_cafile=/run/secrets/npm_ca; fi \
    && npm ci --omit=dev --ignore-scripts \
    && if [ "$WITH_TFJS_NODE" = true ]; then npm rebuild @tensorflow/tfjs-node; \
       else npm uninstall --no-save --omit=dev --ignore-scripts @tensorflow/tfjs-node; fi \
    && arch="$(uname -m)-unknown-linux-gnu" \
    && find node_modules/@temporalio/core-bridge/releases -mindepth 1 -maxdepth 1 ! -name "$arch" -exec rm -rf {} + \
    && rm -rf node_modules/@temporalio/core-bridge/sdk-core \
    && find node_modules -type f \( -name '*.map' -o -name '*.md' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) -delete
COPY tsconfig.json ./
COPY core core
COPY workflows workflows
COPY activities activities
COPY worker worker
COPY api api
COPY pipelines pipelines
COPY deploy/container/entrypoint.sh deploy/container/entrypoint.sh
# Built after the sources are in place, so the worker finds it newer than them and never rebuilds.
RUN node --import tsx worker/build-bundle.ts

FROM ${BASE_IMAGE} AS runtime
ARG BASE_IMAGE
ARG VERSION=0.0.0-dev
ARG GIT_REVISION=unknown
ARG CREATED=
LABEL org.opencontainers.image.title="ferry" \
      org.opencontainers.image.description="Ferry: MLOps orchestrator on durable Temporal workflows" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${GIT_REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${BASE_IMAGE}"
# A fixed uid (no useradd: not every base has it) that Kubernetes' runAsNonRoot can verify.
RUN echo 'ferry:x:10001:10001:Ferry:/var/lib/ferry:/usr/sbin/nologin' >> /etc/passwd \
    && echo 'ferry:x:10001:' >> /etc/group \
    && mkdir -p /var/lib/ferry && chown 10001:10001 /var/lib/ferry
WORKDIR /app
# Code and dependencies stay root-owned: the process can read them, not change them.
COPY --from=build /app /app
ENV NODE_ENV=production \
    HOME=/var/lib/ferry \
    FERRY_HOME=/var/lib/ferry \
    FERRY_BIND_HOST=0.0.0.0
USER 10001:10001
EXPOSE 8080 8091
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/app/deploy/container/entrypoint.sh", "healthcheck"]
ENTRYPOINT ["/app/deploy/container/entrypoint.sh"]
CMD ["api"]
