#!/usr/bin/env bash
# Runs every test of the course on a fresh or an existing clone:
#   1. installs what is missing (kernel-setup/setup.sh, and the Debian
#      packages chromium and bubblewrap with apt-get);
#   2. gofmt, go vet and go test ./... (unit, property, example and fuzz-seed
#      tests), the race detector on the real-time demo layer, and the tests
#      of the kernel's go wrapper;
#   3. the Python tests (tests/): every notebook under notebooks/ executed
#      top to bottom in a fresh GoNB kernel and compared with its committed
#      outputs; JupyterLab as start.sh (students) and
#      coursework/instructor.sh (instructors) start it, in a browser too;
#      set-up interrupted and resumed; the nbgrader round trip.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/kernel-setup/env.sh"
cd "$COURSE_ROOT"
"$COURSE_ROOT/kernel-setup/setup.sh"

# Debian packages the tests need: Chromium for the browser test (Playwright
# cannot download browsers here) and bubblewrap (bwrap) for the grading
# sandbox.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
if [ ${#missing[@]} -gt 0 ]; then
	say "installing ${missing[*]} for the tests (apt-get)"
	if [ "$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else
		die "the tests need the Debian packages ${missing[*]}: install them (apt-get install ${missing[*]}) and run this again."
	fi
	command -v apt-get >/dev/null 2>&1 || die "the tests need ${missing[*]}, and this machine has no apt-get: install them and run this again."
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

say "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.venv/*'))
[ -z "$unformatted" ] || die "gofmt would change: $unformatted"
say "go vet ./..."
go vet ./...
say "go test ./..."
go test -count=1 ./...
say "go vet and go test of the kernel's go wrapper (kernel-setup/tools/kernelgo)"
(cd kernel-setup/tools && go vet ./kernelgo && go test -count=1 ./kernelgo)
if [ -d pkg/netsim/live ] && command -v gcc >/dev/null; then
	say "go test -race ./pkg/netsim/live/..."
	go test -count=1 -race ./pkg/netsim/live/...
fi
say "notebook and JupyterLab tests (pytest)"
python -m pytest -p no:cacheprovider tests "$@"
