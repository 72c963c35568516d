# QuickTakes: `make run` serves the demo site, `make test` runs the whole suite.
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
BACKEND_PORT ?= 8001
MATHJS := mathjs/node_modules/.installed

.PHONY: run serve mathjs test faults audit screenshots pygments-css lint format bench bench-scale lock clean

$(VENV)/.installed: requirements.lock
	@python=$$(.ci/find-python) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

run: $(VENV)/.installed $(MATHJS) .env
	$(PY) manage.py migrate --no-input
	$(PY) manage.py import_quicktakes fixtures/
	$(PY) manage.py runserver $(HOST):$(PORT)

# gunicorn on BACKEND_PORT with Varnish (quicktakes/varnish/quicktakes.vcl) in front on
# PORT, on one machine; each change bans its pages in that Varnish. Ctrl-C stops both.
serve: $(VENV)/.installed $(MATHJS) .env
	.ci/install-varnish
	$(PY) manage.py migrate --no-input
	$(PY) manage.py import_quicktakes fixtures/
	$(PY) manage.py collectstatic --no-input -v0
	HOST=$(HOST) PORT=$(PORT) BACKEND_PORT=$(BACKEND_PORT) $(PY) -m quicktakes.varnish

# Development settings, read by manage.py: written once, with a key of its own, and
# never committed. Production sets its variables in the environment instead.
.env:
	@umask 077; key=$$(head -c 45 /dev/urandom | base64 | tr -d '\n' | tr '+/' '-_'); \
	printf '# Development settings for manage.py, written by make run.\nDEBUG=1\nSECRET_KEY=%s\n' "$$key" > $@
	@echo "Wrote $@ (DEBUG=1 and a generated SECRET_KEY) for development."

# Temml (TeX to MathML, run in-process by mini-racer's V8 at import time) and the math
# font, pinned by mathjs/package-lock.json: needs npm, not Java. The font is then cut
# into subsets by Unicode range (bench/math_font.py, into mathjs/fonts/).
$(MATHJS): mathjs/package.json mathjs/package-lock.json bench/math_font.py $(VENV)/.installed
	@command -v npm >/dev/null || { echo "Math conversion needs Node.js's npm to install Temml (apt-get install nodejs npm)." >&2; exit 1; }
	npm ci --prefix mathjs --no-audit --no-fund
	$(PY) -m bench.math_font
	@touch $@

mathjs: $(MATHJS)

# axe-core, the Nu HTML checker and Lighthouse, pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "The browser tests need Node.js and npm (apt-get install nodejs npm)." >&2; exit 1; }
	@command -v java >/dev/null || { echo "The HTML checker needs Java 11+ (apt-get install default-jre-headless)." >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

test: $(VENV)/.installed $(MATHJS) node_modules/.installed
	.ci/install-browser
	.ci/install-varnish
	$(PY) -m pytest

# kill -9 of imports and a PostgreSQL cluster of its own stopped under gunicorn (tests/faults).
faults: $(VENV)/.installed $(MATHJS)
	$(PY) -m pytest tests/faults -m faults

# Lighthouse, axe and the HTML checker against the demo content served as in production.
audit: $(VENV)/.installed $(MATHJS) node_modules/.installed
	.ci/install-browser
	$(PY) -m bench.audit

# docs/screenshots/: an article, home and the topics index at phone and desktop widths, light and
# dark, and the editors' admin pages (the live preview, the reports, an import run).
screenshots: $(VENV)/.installed $(MATHJS)
	.ci/install-browser
	$(PY) -m bench.screenshots

# static/css/pygments.css: generated once, committed; rerun after changing its styles.
pygments-css: $(VENV)/.installed
	$(PY) bench/pygments_css.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.installed $(MATHJS)
	.ci/install-varnish
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(PY) -m bench.run
	$(PY) -m bench.math
	$(PY) -m bench.search
	$(PY) -m bench.hostile

# Page costs at 10k and 100k articles (1M with BENCH_SCALE_1M=1) on PostgreSQL, 100k on SQLite.
bench-scale: $(VENV)/.installed $(MATHJS)
	$(PY) -m bench.scale

# Re-pin every dependency from pyproject.toml into requirements.lock.
lock:
	@python=$$(.ci/find-python) || exit 1; rm -rf /tmp/quicktakes-lock; \
	"$$python" -m venv /tmp/quicktakes-lock && \
	/tmp/quicktakes-lock/bin/pip install --quiet --disable-pip-version-check ".[dev]" && \
	/tmp/quicktakes-lock/bin/pip freeze --exclude quicktakes > requirements.lock

clean:
	rm -rf $(VENV) node_modules mathjs/node_modules mathjs/fonts db.sqlite3 staticfiles cache
