# Migrant rights bot: polling by default; set WEBHOOK_URL/WEBHOOK_SECRET (and publish 8080) for webhook mode.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATE_DIR=/var/lib/migrant-bot

RUN groupadd --system --gid 10001 bot \
    && useradd --system --uid 10001 --gid bot --home-dir /app --shell /usr/sbin/nologin bot \
    && mkdir -p /var/lib/migrant-bot && chown 10001:10001 /var/lib/migrant-bot

WORKDIR /app
# Dependencies first, in their own layer: a change to the code or content does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import subprocess, sys, tomllib; \
deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; \
subprocess.run([sys.executable, '-m', 'pip', 'install', '--no-cache-dir', *deps], check=True)"

COPY README.md LICENSE MANIFEST.in setup.py ./
COPY bot ./bot
COPY locales ./locales
COPY data ./data
# Editable install of the code alone: the bot reads locales/ and data/ beside its package, and
# staff-edited content can be mounted over /app/data.
RUN pip install --no-cache-dir --no-deps -e .

USER 10001:10001
VOLUME ["/var/lib/migrant-bot"]
EXPOSE 8080
HEALTHCHECK --interval=60s --timeout=10s --start-period=90s --retries=3 CMD ["python", "-m", "bot", "health"]
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
