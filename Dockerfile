# flexcalc: the wheel, its [api,explainer,letters] extras pinned by requirements.lock, and the system
# libraries WeasyPrint needs (the same packages as scripts/ci-system-deps). Runs as an unprivileged user.
# The same image runs every flexcalc step of compose.yaml (migrate, api, explainer); scripts/stack runs
# those steps as processes and tests/stack/test_stack.py keeps the two in step.
FROM python:3.11-slim AS build
WORKDIR /src
COPY . .
RUN python -m pip wheel --no-deps --wheel-dir /dist .

FROM python:3.11-slim
# WeasyPrint (letters as PDF): Pango, HarfBuzz's subsetter, a font with the Danish letters
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /dist /dist
COPY requirements.lock /tmp/requirements.lock
RUN python -m venv /opt/flexcalc \
 && /opt/flexcalc/bin/pip install --no-cache-dir -c /tmp/requirements.lock "$(ls /dist/flexcalc-*.whl)[api,explainer,letters]" \
 && rm -rf /dist /tmp/requirements.lock \
 && useradd --system --uid 10001 --home-dir /var/lib/flexcalc --create-home flexcalc
ENV PATH=/opt/flexcalc/bin:$PATH PYTHONUNBUFFERED=1 FLEXCALC_DATA_DIR=/var/lib/flexcalc
USER flexcalc
WORKDIR /var/lib/flexcalc
EXPOSE 8000 8501
HEALTHCHECK --interval=30s --timeout=3s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
CMD ["flexcalc", "serve", "--no-explainer", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--forwarded-allow-ips", "*"]
