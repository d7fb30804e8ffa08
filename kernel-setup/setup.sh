#!/usr/bin/env bash
# Installs everything the lessons need into the clone, idempotently:
#   - a Python venv (.venv) with JupyterLab and the notebook test tools,
#     pinned by requirements.txt and constraints.txt;
#   - GoNB, goimports and gopls at the versions in tools/go.mod, built into
#     .venv/bin, and the kernel's wrapper (tools/kernelgo) as
#     .venv/gonb-bin/go (makes cells cheap) and .venv/gonb-bin/gopls (ends
#     gopls with its kernel);
#   - the GoNB kernel spec in .venv/share/jupyter (never in ~/.local), set up
#     so that notebooks import this repo's packages through a go.work file;
#   - a warm Go build cache, so the first plotting cell is quick.
# Running it again only redoes what changed or what an earlier run left
# unfinished. Any step may be interrupted (Ctrl-C, a closed terminal, a
# failed download): its result is built aside and renamed into place, or
# marked complete only at its very end, so the next run knows what to redo.
# A venv that is not known complete (python -m venv or pip interrupted or
# failed, the clone moved, another Python) is deleted and rebuilt.
#
# Usage: kernel-setup/setup.sh [--refreeze]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$COURSE_ROOT"

# The oldest Go the course supports is the go line of go.mod (every go.mod of
# the repository has the same one; tests/test_setup.py checks it).
GO_MIN=$(sed -nE 's/^go[[:space:]]+([0-9]+(\.[0-9]+)*)[[:space:]]*$/\1/p' go.mod)
[ -n "$GO_MIN" ] || die "go.mod has no 'go' line"
PY_MIN=3.9

# ---- prerequisites -----------------------------------------------------
command -v go >/dev/null 2>&1 || die "Go is not installed (or not on PATH). Install Go $GO_MIN or newer from https://go.dev/dl, then run this again."
# The Go on PATH itself, not one it would download (GOTOOLCHAIN=local).
gov=$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null | sed -nE 's/^go([0-9]+(\.[0-9]+)*).*/\1/p')
if [ -z "$gov" ] || ! printf '%s\n%s\n' "$GO_MIN" "$gov" | sort -V -C; then
	die "Go ${gov:-of unknown version} is too old: the course needs Go $GO_MIN or newer (found $(go version 2>&1))."
fi
# The Python to make the venv with: python3 from PATH, but never the course
# venv's own (env.sh puts it first on PATH), and for a python3 that is itself
# in a venv, the Python that venv was made from.
PY=${PYTHON:-$(PATH=${PATH#"$COURSE_VENV/bin:"} command -v python3 || echo python3)}
if [ -f "$(dirname "$PY")/../pyvenv.cfg" ]; then
	PY=$("$PY" -c 'import sys; print(getattr(sys, "_base_executable", "") or sys.executable)')
fi
command -v "$PY" >/dev/null 2>&1 || die "Python 3 is not installed (or not on PATH as $PY). Install Python $PY_MIN or newer."
pyv=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if ! printf '%s\n%s\n' "$PY_MIN" "$pyv" | sort -V -C; then
	die "Python $pyv is too old: the course needs Python $PY_MIN or newer."
fi
"$PY" -c 'import venv, ensurepip' 2>/dev/null || die "Python $pyv lacks the venv module (on Debian/Ubuntu: apt-get install python3-venv)."

# Writes a stamp file atomically: a stamp says its step finished.
stamp() { echo "$2" > "$1.tmp" && mv -f "$1.tmp" "$1"; }
rel() { echo "${1#$COURSE_ROOT/}"; }

# ---- Python venv ---------------------------------------------------------
# The venv is complete when .course-venv names its path and Python (written
# after python -m venv succeeded and pip runs) and no pip run is pending.
venv_id="$COURSE_VENV python$pyv"
venv_marker="$COURSE_VENV/.course-venv"
pip_pending="$COURSE_VENV/.course-pip-pending"
venv_ok() {
	[ "$(cat "$venv_marker" 2>/dev/null)" = "$venv_id" ] && [ ! -e "$pip_pending" ] &&
		"$COURSE_VENV/bin/python" -c 'import pip' >/dev/null 2>&1
}
remove_venv() {
	# Only what a venv (or the start of one) holds is deleted.
	local f
	for f in "$COURSE_VENV"/* "$COURSE_VENV"/.[!.]*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		case "${f##*/}" in
		bin | include | lib | lib64 | share | etc | pyvenv.cfg | .gitignore | gonb-bin | .course-* | .tools.tmp | .kernelspec.tmp) ;;
		*) die "$COURSE_VENV holds '${f##*/}', which is not part of a venv: it is not the course's venv. Move it away (or set COURSE_VENV) and run this again." ;;
		esac
	done
	rm -rf "$COURSE_VENV"
}
if ! venv_ok; then
	if [ -e "$COURSE_VENV" ] || [ -L "$COURSE_VENV" ]; then
		say "the venv in $(rel "$COURSE_VENV") is incomplete (an earlier set-up was interrupted or failed) or was made for another path or Python: rebuilding it"
		remove_venv
	fi
	say "creating the Python venv in $(rel "$COURSE_VENV")"
	"$PY" -m venv "$COURSE_VENV" || die "python -m venv failed (see above)."
	"$COURSE_VENV/bin/python" -c 'import pip' 2>/dev/null || die "the new venv has no pip: $PY -m ensurepip failed (on Debian/Ubuntu: apt-get install python3-venv)."
	stamp "$venv_marker" "$venv_id"
fi

# pip changes the venv in place; .course-pip-pending marks it untrustworthy
# until pip has finished (if pip fails or is stopped, the next run rebuilds
# the venv from scratch).
pip_install() {
	touch "$pip_pending"
	"$COURSE_VENV/bin/python" -m pip install -q "$@" ||
		die "pip could not install the course's Python packages (see above). Fix the cause (network, disk space) and run this again; the venv will be rebuilt."
}
req_stamp="$COURSE_VENV/.course-requirements"
req_id() { { cat kernel-setup/requirements.txt kernel-setup/constraints.txt; echo "$pyv"; } | sha256sum | cut -c1-16; }
if [ "${1:-}" = "--refreeze" ]; then
	say "reinstalling from requirements.txt and refreezing constraints.txt"
	pip_install -r kernel-setup/requirements.txt
	{ echo "# Full pin set for requirements.txt (pip freeze of a fresh install). Regenerate with"
	  echo "# kernel-setup/setup.sh --refreeze after changing requirements.txt."
	  "$COURSE_VENV/bin/python" -m pip freeze; } > kernel-setup/constraints.txt.tmp
	mv -f kernel-setup/constraints.txt.tmp kernel-setup/constraints.txt
	stamp "$req_stamp" "$(req_id)"
	rm -f "$pip_pending"
elif [ "$(cat "$req_stamp" 2>/dev/null)" != "$(req_id)" ]; then
	say "installing JupyterLab and the test tools (pinned) into the venv"
	pip_install -r kernel-setup/requirements.txt -c kernel-setup/constraints.txt
	stamp "$req_stamp" "$(req_id)"
	rm -f "$pip_pending"
else
	say "Python venv is up to date"
fi

# ---- Go tools: GoNB, goimports, gopls, the kernel's go wrapper -------------
# `go install github.com/janpfeifer/gonb@v0.11.4` does not work everywhere
# (it needs the module proxy to list versions); building the tools from a
# module that requires them at fixed versions does. They are built into a
# scratch directory and renamed into place; the stamp comes last.
tools_stamp="$COURSE_VENV/.course-tools"
tools_id=$({ go env GOVERSION GOOS GOARCH; cat kernel-setup/tools/go.mod kernel-setup/tools/go.sum kernel-setup/tools/kernelgo/*.go; } | sha256sum | cut -c1-16)
tools_ok() {
	[ "$(cat "$tools_stamp" 2>/dev/null)" = "$tools_id" ] && [ -x "$COURSE_VENV/bin/goimports" ] &&
		[ -x "$COURSE_VENV/bin/gopls" ] && [ -x "$COURSE_VENV/gonb-bin/go" ] && [ -x "$COURSE_VENV/gonb-bin/gopls" ] &&
		"$COURSE_VENV/bin/gonb" -V >/dev/null 2>&1
}
if tools_ok; then
	say "GoNB and the Go tools are up to date"
else
	say "building GoNB, goimports and gopls (pinned in kernel-setup/tools/go.mod) and the kernel's go wrapper"
	tmp="$COURSE_VENV/.tools.tmp"
	rm -rf "$tmp"
	mkdir -p "$tmp" "$COURSE_VENV/gonb-bin"
	(cd kernel-setup/tools && GOBIN="$tmp" go install tool && go build -o "$tmp/kernelgo" ./kernelgo) ||
		die "building the Go tools failed (see above)."
	"$tmp/gonb" -V >/dev/null 2>&1 || die "GoNB was built but does not run: $tmp/gonb -V failed."
	for t in gonb goimports gopls; do mv -f "$tmp/$t" "$COURSE_VENV/bin/$t"; done
	# The same program, as gonb-bin/gopls, ties gopls's life to the kernel's.
	cp "$tmp/kernelgo" "$tmp/kernelgopls"
	mv -f "$tmp/kernelgopls" "$COURSE_VENV/gonb-bin/gopls"
	mv -f "$tmp/kernelgo" "$COURSE_VENV/gonb-bin/go"
	rm -rf "$tmp"
	stamp "$tools_stamp" "$tools_id"
fi

# ---- the kernel spec ----------------------------------------------------------
say "installing the GoNB kernel spec into $(rel "$COURSE_VENV")/share/jupyter"
new="$COURSE_VENV/.kernelspec.tmp"
rm -rf "$new"
JUPYTER_DATA_DIR="$new" "$COURSE_VENV/bin/gonb" --install --go_work="$COURSE_ROOT" \
	--logtostderr=false --alsologtostderr=false --log_file=/dev/null --stderrthreshold=FATAL 2>/dev/null ||
	die "gonb --install failed; run '$COURSE_VENV/bin/gonb --install --go_work=$COURSE_ROOT' to see why."
"$COURSE_VENV/bin/python" kernel-setup/kernelspec.py "$new/kernels/gonb" \
	"$COURSE_VENV/share/jupyter/kernels/gonb" "$COURSE_VENV/bin" "$COURSE_VENV/gonb-bin"
rm -rf "$new"

# ---- JupyterLab settings for the course ------------------------------------
# No news or update checks: the lessons work offline, and pop-ups distract.
mkdir -p "$COURSE_VENV/share/jupyter/lab/settings"
cat > "$COURSE_VENV/share/jupyter/lab/settings/overrides.json.tmp" <<'JSON'
{
  "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}
}
JSON
mv -f "$COURSE_VENV/share/jupyter/lab/settings/overrides.json.tmp" "$COURSE_VENV/share/jupyter/lab/settings/overrides.json"

# ---- warm the Go build cache ------------------------------------------------
# Every run: it is quick when nothing changed, and it keeps the cache entries
# a lesson needs from being trimmed as unused.
say "compiling the course's Go packages (warms the build cache)"
go build ./...
warm_stamp="$COURSE_VENV/.course-warm"
warm_id=$({ echo "$tools_id"; cat go.sum; } | sha256sum | cut -c1-16)
if [ "$(cat "$warm_stamp" 2>/dev/null)" != "$warm_id" ]; then
	say "running one plotting cell through the kernel (warms GoNB's build)"
	"$COURSE_VENV/bin/python" kernel-setup/warm.py
	stamp "$warm_stamp" "$warm_id"
fi
say "setup done"
