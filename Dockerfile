# claimcheck: CPU image with the NLI model baked in.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    CLAIMCHECK_NLI_MODEL=/app/models/claimcheck-nli-minilm-l3 \
    CLAIMCHECK_JS_CLIENT_DIR=/app/clients/js \
    CLAIMCHECK_BIND=0.0.0.0:8000

WORKDIR /app

# CPU-only torch first, so nothing below pulls the CUDA build.
RUN pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

COPY pyproject.toml README.md ./
COPY service ./service
RUN pip install --no-cache-dir ./ \
    && groupadd --gid 10001 claimcheck \
    && useradd --create-home --uid 10001 --gid 10001 claimcheck

COPY --chown=10001:10001 models ./models
COPY --chown=10001:10001 clients/js ./clients/js
COPY --chown=10001:10001 gunicorn.conf.py ./

USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 CMD ["claimcheck", "healthcheck"]
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
