# syntax=docker/dockerfile:1

# Stage 1: compile NHS.UK frontend styles with Askwell's settings.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY app/static/src app/static/src
RUN npm run build

# Stage 2: the application, run as an unprivileged user.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ASKWELL_ENV=production \
    ASKWELL_ALLOWED_HOSTS=127.0.0.1,localhost
# ASKWELL_BASE_URL must be given when the container runs; 127.0.0.1 stays allowed for the
# health check below (keep it if you set ASKWELL_ALLOWED_HOSTS yourself).
# DejaVu Sans lets certificates and the learning-record PDF print names and words in any script.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 askwell
WORKDIR /srv/askwell
COPY pyproject.toml README.md alembic.ini ./
COPY app app
RUN pip install -e .
COPY templates templates
COPY modules modules
COPY migrations migrations
COPY --from=assets /build/app/static/dist app/static/dist
RUN mkdir -p var && chown askwell:askwell var
USER askwell
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
ENTRYPOINT ["askwell"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
