# claimcheck: CPU image; the NLI model, the demo page and the JS client ship inside the package.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    CLAIMCHECK_BIND=0.0.0.0:8000

WORKDIR /app

# tcmalloc instead of glibc malloc, chosen by measurement (benchmarks/load_mix.py, docs/robustness.md): under a
# newsroom's traffic for 10 minutes, glibc workers grew 15 % to 1,043 MiB; tcmalloc workers levelled at ~760 MiB
# (+4.7 %) and verified 12 % faster than glibc (jemalloc: flatter, but 9-14 % slower).  Bookworm is pinned: the
# package name and the measured version (gperftools 2.10) are Debian 12's; the link gives one path on any arch.
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libtcmalloc-minimal4 \
    && rm -rf /var/lib/apt/lists/* \
    && ln -s "$(find /usr/lib -name libtcmalloc_minimal.so.4 | head -n 1)" /usr/local/lib/libtcmalloc_minimal.so.4
ENV LD_PRELOAD=/usr/local/lib/libtcmalloc_minimal.so.4

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
