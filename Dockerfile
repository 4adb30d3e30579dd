# A reproducible image that builds pqbridge and runs its test suite as a non-root user.
FROM debian:bookworm
# the second platform's tools too (scripts/cross-arm64, run by scripts/test): the aarch64 cross
# compilers, qemu-user, and the arm64 architecture for `apt-get download` of its libpq and JRE,
# which is also why the package lists stay in the image
RUN dpkg --add-architecture arm64 \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-17-jdk-headless maven cmake gcc g++ make libpq-dev postgresql ca-certificates \
      gcc-aarch64-linux-gnu g++-aarch64-linux-gnu qemu-user-static
RUN useradd --create-home builder
USER builder
WORKDIR /home/builder/pqbridge
COPY --chown=builder:builder . .
RUN mvn -B -ntp -q -DskipTests package
CMD ["scripts/test"]
