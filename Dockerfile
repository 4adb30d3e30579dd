# A reproducible image that builds pqbridge and runs its test suite as a non-root user.
FROM debian:bookworm
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-17-jdk-headless maven cmake gcc g++ make libpq-dev postgresql ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home builder
USER builder
WORKDIR /home/builder/pqbridge
COPY --chown=builder:builder . .
RUN mvn -B -ntp -q -DskipTests package
CMD ["scripts/test"]
