# The two set-up commands: `make build` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# What WeasyPrint needs from the system (Pango; HarfBuzz-Subset, without which it
# falls back to the slow fontTools subsetter and says so for every PDF), the fonts
# the handouts use, and poppler-utils (pdftoppm) to look at PDF pages as images.
# The fonts cover the scripts patients write their names in: fonts-noto-core has Latin,
# Greek, Cyrillic, Arabic, Hebrew, Devanagari, Thai and most others (about 42 MB),
# fonts-noto-cjk Chinese, Japanese and Korean (about 91 MB); fontconfig's fc-list says
# which characters they have (decisionaid/output/fonts.py).
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
	fonts-noto-core fonts-noto-cjk fonts-dejavu-core poppler-utils openssh-client
# The tests also check the pages against WCAG (axe-core) in Debian's Chromium, and
# read the summary's QR code back with zbarimg, and put the app behind Debian's nginx
# with a self-signed certificate (openssl), as the README's deployment does.
TEST_DEB_PACKAGES := chromium zbar-tools nginx openssl

.PHONY: build test fuzz floors lint system clean serve

build: $(VENV)/.installed
	$(PY) build.py build

# The tests run in one process per core (pytest-xdist), a test file to a process; the
# few that search the whole temp folder for a patient's name run after, alone, where no
# other test's files can be mistaken for a leak.
test: $(VENV)/.installed
	@$(MAKE) --no-print-directory system DEB_PACKAGES="$(TEST_DEB_PACKAGES)"
	$(PY) -m pytest -q -n auto --dist loadfile -m "not serial"
	$(PY) -m pytest -q -m serial
	$(VENV)/bin/ruff check decisionaid tests scripts build.py
	$(VENV)/bin/ruff format --check decisionaid tests scripts build.py
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# Fuzzing at length: 20 times the examples `make test` runs, new ones each time
# (make test runs a fixed set, so that a red run can be run again).
fuzz: $(VENV)/.installed
	DECISIONAID_FUZZ=20 $(PY) -m pytest -q -n auto tests/test_fuzz.py

# The lowest dependency versions pyproject.toml allows, installed in a temp virtualenv
# and given a smoke test (README, "Dependencies"); needs the package index.
floors:
	PYTHON=$(PYTHON) scripts/check_floors.sh

# The staff web app on http://127.0.0.1:8000/ (Ctrl+C stops it).
serve: $(VENV)/.installed
	$(VENV)/bin/decisionaid serve

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check decisionaid tests scripts build.py

system:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml | system
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) out
