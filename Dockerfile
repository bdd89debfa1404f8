# Multi-stage build: the same `cargo build --release --locked` that README and .ci/run use.
# SQLite and libpq are compiled from source by their -sys crates, so only a C compiler is needed.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY migrations ./migrations
COPY data/admin-units-vn-2025.csv ./data/admin-units-vn-2025.csv
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home /data thncd \
    && mkdir -p /data && chown thncd /data
COPY --from=build /src/target/release/thncd /usr/local/bin/thncd
USER thncd
ENV THNCD_BIND=0.0.0.0:8080 \
    THNCD_DATA_DIR=/data \
    RUST_LOG=info
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["thncd", "healthcheck"]
ENTRYPOINT ["thncd"]
CMD ["serve"]
