#!/usr/bin/env bash
# Installs everything the lessons need into the clone, idempotently:
#   - a Python venv (.venv) with JupyterLab and the notebook test tools,
#     pinned by requirements.txt and constraints.txt;
#   - GoNB, goimports and gopls at the versions in tools/go.mod, built into
#     .venv/bin;
#   - the GoNB kernel spec in .venv/share/jupyter (never in ~/.local), set up
#     so that notebooks import this repo's packages through a go.work file;
#   - a warm Go build cache, so the first plotting cell is quick.
# Running it again only redoes what changed.
#
# Usage: kernel-setup/setup.sh [--refreeze]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$COURSE_ROOT"

GO_MIN=1.26
PY_MIN=3.9

# ---- prerequisites -----------------------------------------------------
command -v go >/dev/null 2>&1 || die "Go is not installed (or not on PATH). Install Go $GO_MIN or newer from the Go website, then run this again."
gov=$(go env GOVERSION 2>/dev/null | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')
if ! printf '%s\n%s\n' "$GO_MIN" "$gov" | sort -V -C; then
	die "Go $gov is too old: the course needs Go $GO_MIN or newer (found $(go version))."
fi
PY=${PYTHON:-python3}
command -v "$PY" >/dev/null 2>&1 || die "Python 3 is not installed (or not on PATH as $PY). Install Python $PY_MIN or newer."
pyv=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if ! printf '%s\n%s\n' "$PY_MIN" "$pyv" | sort -V -C; then
	die "Python $pyv is too old: the course needs Python $PY_MIN or newer."
fi
"$PY" -c 'import venv, ensurepip' 2>/dev/null || die "Python $pyv lacks the venv module (on Debian/Ubuntu: apt-get install python3-venv)."

# ---- Python venv ---------------------------------------------------------
stamp="$COURSE_VENV/.course-requirements"
want=$( { cat kernel-setup/requirements.txt kernel-setup/constraints.txt; echo "$pyv"; } | sha256sum | cut -c1-16)
if [ ! -x "$COURSE_VENV/bin/python" ]; then
	say "creating the Python venv in ${COURSE_VENV#$COURSE_ROOT/}"
	"$PY" -m venv "$COURSE_VENV"
fi
if [ "${1:-}" = "--refreeze" ]; then
	say "reinstalling from requirements.txt and refreezing constraints.txt"
	"$COURSE_VENV/bin/pip" install -q -r kernel-setup/requirements.txt
	{ echo "# Full pin set for requirements.txt (pip freeze of a fresh install). Regenerate with"
	  echo "# kernel-setup/setup.sh --refreeze after changing requirements.txt."
	  "$COURSE_VENV/bin/pip" freeze; } > kernel-setup/constraints.txt
	want=$( { cat kernel-setup/requirements.txt kernel-setup/constraints.txt; echo "$pyv"; } | sha256sum | cut -c1-16)
	echo "$want" > "$stamp"
elif [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	say "installing JupyterLab and the test tools (pinned) into the venv"
	"$COURSE_VENV/bin/pip" install -q -r kernel-setup/requirements.txt -c kernel-setup/constraints.txt
	echo "$want" > "$stamp"
else
	say "Python venv is up to date"
fi

# ---- Go tools: GoNB, goimports, gopls --------------------------------------
# `go install github.com/janpfeifer/gonb@v0.11.4` does not work everywhere
# (it needs the module proxy to list versions); building the tools from a
# module that requires them at fixed versions does.
say "building GoNB, goimports and gopls (pinned in kernel-setup/tools/go.mod)"
(cd kernel-setup/tools && GOBIN="$COURSE_VENV/bin" go install tool)
"$COURSE_VENV/bin/gonb" -V >/dev/null 2>&1 || die "GoNB was built but does not run: $COURSE_VENV/bin/gonb -V failed."

# ---- the kernel spec ----------------------------------------------------------
say "installing the GoNB kernel spec into ${COURSE_VENV#$COURSE_ROOT/}/share/jupyter"
JUPYTER_DATA_DIR="$COURSE_VENV/share/jupyter" "$COURSE_VENV/bin/gonb" --install --go_work="$COURSE_ROOT" \
	--logtostderr=false --alsologtostderr=false --log_file=/dev/null --stderrthreshold=FATAL 2>/dev/null \
	|| die "gonb --install failed; run '$COURSE_VENV/bin/gonb --install --go_work=$COURSE_ROOT' to see why."
"$COURSE_VENV/bin/python" kernel-setup/kernelspec.py "$COURSE_VENV/share/jupyter/kernels/gonb/kernel.json" "$COURSE_VENV/bin"

# ---- JupyterLab settings for the course ------------------------------------
# No news or update checks: the lessons work offline, and pop-ups distract.
mkdir -p "$COURSE_VENV/share/jupyter/lab/settings"
cat > "$COURSE_VENV/share/jupyter/lab/settings/overrides.json" <<'JSON'
{
  "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}
}
JSON

# ---- warm the Go build cache ------------------------------------------------
say "compiling the course's Go packages (warms the build cache)"
go build ./...
say "running one plotting cell through the kernel (warms GoNB's build)"
"$COURSE_VENV/bin/python" kernel-setup/warm.py
say "setup done"
