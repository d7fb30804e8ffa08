#!/usr/bin/env bash
# Runs every test of the course on a fresh or an existing clone:
#   1. installs what is missing (kernel-setup/setup.sh);
#   2. gofmt, go vet and go test ./... (unit, property, example and fuzz-seed
#      tests), and the race detector on the real-time demo layer;
#   3. the notebook tests: every notebook under notebooks/ executed top to
#      bottom in a fresh GoNB kernel and compared with its committed outputs,
#      and a JupyterLab started the way start.sh starts it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/kernel-setup/env.sh"
cd "$COURSE_ROOT"
"$COURSE_ROOT/kernel-setup/setup.sh"

# The browser test needs Debian's Chromium (Playwright cannot download browsers here).
if ! command -v chromium >/dev/null 2>&1; then
	say "installing Chromium for the browser test (apt-get)"
	if [ "$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else
		die "the browser test needs Chromium: install the Debian package 'chromium' (apt-get install chromium) and run this again."
	fi
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

say "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.venv/*'))
[ -z "$unformatted" ] || die "gofmt would change: $unformatted"
say "go vet ./..."
go vet ./...
say "go test ./..."
go test -count=1 ./...
if [ -d pkg/netsim/live ] && command -v gcc >/dev/null; then
	say "go test -race ./pkg/netsim/live/..."
	go test -count=1 -race ./pkg/netsim/live/...
fi
say "notebook and JupyterLab tests (pytest)"
python -m pytest -p no:cacheprovider tests "$@"
