#!/usr/bin/env bash
# The dependency floors, checked: installs the LOWEST version of every dependency that
# pyproject.toml allows (each `NAME>=FLOOR` pinned to `NAME==FLOOR` as a pip constraint;
# what those need in turn is resolved by pip as usual) into a fresh virtualenv in a temp
# folder, and runs a smoke test there against the repository's examples:
#   - `decisionaid check` and `decisionaid build` (HTML and PDF) into a temp folder;
#   - the web app imported, started as `decisionaid serve`, and asked for /healthz, the
#     catalog, a chart note and a patient's PDF (Starlette, uvicorn, python-multipart,
#     watchfiles and the PDF workers, each at its floor).
# A floor that is too low fails here, not on a clinic's server. Usage (from anywhere):
#   scripts/check_floors.sh            # or: make floors
#   PYTHON=python3.12 scripts/check_floors.sh
# Needs the package index (pip) and what WeasyPrint needs from the system (make build).
set -euo pipefail
export PIP_DISABLE_PIP_VERSION_CHECK=1

repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" -m venv "$work/venv"
py="$work/venv/bin/python"
"$py" -m pip install -q --upgrade pip

# Every dependency at its floor; a requirement written any other way is refused, since
# its floor could not be checked.
"$py" - "$repo/pyproject.toml" >"$work/floors.txt" <<'PY'
import re
import sys
import tomllib

with open(sys.argv[1], "rb") as file:
    dependencies = tomllib.load(file)["project"]["dependencies"]
for requirement in dependencies:
    found = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*>=\s*([0-9][^,;\s]*)\s*", requirement)
    if found is None:
        sys.exit(f"pyproject.toml: {requirement!r}: write it as NAME>=FLOOR to check its floor")
    print(f"{found[1]}=={found[2]}")
PY
echo "== the floors:"
cat "$work/floors.txt"

# Not editable: the wheel, with its templates, as a clinic installs it.
"$py" -m pip install -q --constraint "$work/floors.txt" "$repo"
echo "== installed:"
"$py" -m pip list --format=freeze | grep -i -F -f <(sed 's/==.*//' "$work/floors.txt")

bin="$work/venv/bin"
cd "$work"  # nothing is read from the repository but the content root it is given
echo "== decisionaid check"
"$bin/decisionaid" check --root "$repo"
echo "== decisionaid build"
"$bin/decisionaid" build --root "$repo" --out "$work/out" 2>&1 | tee "$work/build.log"
test -s "$work/out/en/rhinoplasty.pdf" && test -s "$work/out/index.html"
# The examples build without a warning (tests/conftest.py holds them to it): one here
# is a dependency that behaves differently at its floor (WeasyPrint 68.0 refused the
# pictures' data: URLs).
if grep -q "^warning:" "$work/build.log"; then
  echo "the build warned at the floors (above): raise the floor that changed it" >&2
  exit 1
fi

echo "== the web app"
if ! "$py" - "$repo" "$work/serve.log" <<'PY'; then
import socket
import subprocess
import sys
import time
import urllib.request

import decisionaid.web.app  # noqa: F401 - every module the app needs imports

root, log = sys.argv[1], sys.argv[2]
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
url = f"http://127.0.0.1:{port}"
command = [sys.executable, "-m", "decisionaid", "serve", "--root", root, "--port", str(port)]
with open(log, "wb") as sink:
    server = subprocess.Popen([*command, "--workers", "1"], stdout=sink, stderr=sink)


def ask(path: str, body: str | None = None) -> bytes:
    data = body.encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(url + path, data), timeout=120) as answer:
        return answer.read()


try:
    for _ in range(300):
        try:
            if ask("/healthz") == b"ok":
                break
        except OSError:
            time.sleep(0.2)
    assert b"Nose surgery" in ask("/?q=nose"), "the catalog"
    form = "patient=Floor+Check&clinician=Dr.+Floor&date=2027-03-01&options=surgery"
    assert b"Chart note" in ask("/en/rhinoplasty/note", form), "the chart note"
    assert ask("/en/rhinoplasty/handout", form + "&kind=handout").startswith(b"%PDF")
finally:
    server.terminate()
    server.wait(30)
text = open(log, encoding="utf-8", errors="replace").read()
assert "Traceback" not in text, text
print("the web app answered: /healthz, the catalog, a chart note, a PDF")
PY
  echo "== the app's log:" >&2
  cat "$work/serve.log" >&2
  exit 1
fi
echo "== the floors hold"
