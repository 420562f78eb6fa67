# claimcheck: CPU image; the NLI model, the demo page and the JS client ship inside the package.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    CLAIMCHECK_BIND=0.0.0.0:8000

WORKDIR /app

# jemalloc instead of glibc malloc: measured under a newsroom's traffic (benchmarks/load_mix.py), glibc
# workers grew 15 % in 10 minutes to 1,043 MiB; jemalloc workers stayed flat at ~650 MiB (docs/robustness.md).
# The version follows the base image's Debian release; the link gives one path on every architecture.
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libjemalloc2 \
    && rm -rf /var/lib/apt/lists/* \
    && ln -s "$(find /usr/lib -name libjemalloc.so.2 | head -n 1)" /usr/local/lib/libjemalloc.so.2
ENV LD_PRELOAD=/usr/local/lib/libjemalloc.so.2

# CPU-only torch first, so nothing below pulls the CUDA build.
RUN pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

COPY pyproject.toml README.md ./
COPY service ./service
RUN pip install --no-cache-dir ./ \
    && rm -rf /app/service /app/build \
    && groupadd --gid 10001 claimcheck \
    && useradd --create-home --uid 10001 --gid 10001 claimcheck

USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 CMD ["claimcheck", "healthcheck"]
CMD ["claimcheck", "serve"]
