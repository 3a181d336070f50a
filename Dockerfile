# paroletrack container: a Debian 12 build stage and a small non-root runtime stage.
#   docker build -t paroletrack .
#   docker run -p 8080:8080 -v paroletrack-data:/var/lib/paroletrack \
#       -e PAROLETRACK_TZ=America/New_York paroletrack
FROM debian:12-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential meson ninja-build pkg-config \
      python3 libmicrohttpd-dev libsqlite3-dev libjansson-dev libsodium-dev libunistring-dev \
      liboath-dev libcrack2-dev libcurl4-openssl-dev libqrencode-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY meson.build ./
COPY server ./server
COPY migrations ./migrations
COPY static ./static
COPY scripts ./scripts
COPY demo ./demo
COPY tests ./tests
RUN meson setup /build --buildtype=release \
 && ninja -C /build server/paroletrack \
 && strip /build/server/paroletrack

FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmicrohttpd12 libsqlite3-0 libjansson4 \
      libsodium23 libunistring2 liboath0 libcrack2 cracklib-runtime libcurl4 libqrencode4 tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system paroletrack \
 && useradd --system --gid paroletrack --home-dir /var/lib/paroletrack --shell /usr/sbin/nologin paroletrack \
 && mkdir -p /var/lib/paroletrack && chown paroletrack:paroletrack /var/lib/paroletrack \
 && chmod 0700 /var/lib/paroletrack
COPY --from=build /build/server/paroletrack /usr/local/bin/paroletrack
USER paroletrack
VOLUME /var/lib/paroletrack
ENV PAROLETRACK_DB=/var/lib/paroletrack/paroletrack.db \
    PAROLETRACK_KEY_FILE=/var/lib/paroletrack/paroletrack.key \
    PAROLETRACK_LISTEN=0.0.0.0:8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/paroletrack", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/paroletrack"]
CMD ["serve"]
