# Multi-stage build: the same `cargo build --release --locked` that README and .ci/run use.
# SQLite, libpq and OpenSSL are compiled from source by their -sys crates, so only a C
# compiler, perl and make are needed (all in the toolchain image).
#
# The toolchain is pinned (the version the project is developed and tested with); change the
# tag deliberately, together with `rust-version` checks, not by a moving `rust:1`.
FROM rust:1.95.0-bookworm AS build
WORKDIR /src

# Dependency layer: with only the manifests and stub sources, this step compiles every
# dependency (the slow part: OpenSSL, libpq, SQLite, actix, diesel…). Docker reuses the
# layer until Cargo.toml or Cargo.lock change, so a source change rebuilds only this crate.
COPY Cargo.toml Cargo.lock ./
# The build settings (SQLite's compile flags): part of the dependency layer.
COPY .cargo ./.cargo
RUN mkdir src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && cargo build --release --locked \
    && rm -rf src target/release/thncd target/release/deps/thncd-* target/release/deps/libthncd-* \
        target/release/.fingerprint/thncd-*

COPY src ./src
COPY migrations ./migrations
COPY data/admin-units-vn-2025.csv data/holidays-vn.csv ./data/
RUN cargo build --release --locked

FROM debian:bookworm-slim
# postgresql-client: pg_dump for `thncd backup` against PostgreSQL (Debian's client, major
# version 15; pg_dump refuses a server newer than itself, see docs/operations.md).
# ca-certificates: `sslrootcert=system` and webhook destinations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /data thncd \
    && mkdir -p /data && chown thncd /data
COPY --from=build /src/target/release/thncd /usr/local/bin/thncd
USER thncd
# SSL_CERT_FILE: the OpenSSL compiled into thncd looks for the system CA bundle here
# (`sslrootcert=system` in DATABASE_URL).
ENV THNCD_BIND=0.0.0.0:8080 \
    THNCD_DATA_DIR=/data \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    RUST_LOG=info
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["thncd", "healthcheck"]
ENTRYPOINT ["thncd"]
CMD ["serve"]
