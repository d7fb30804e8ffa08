#!/usr/bin/env bash
# For students: sets everything up (first run: a few minutes; later runs:
# seconds) and opens the lessons in JupyterLab on http://127.0.0.1:8888 with
# a login token. nbgrader's instructor tools are not shown (instructors:
# ./coursework/instructor.sh). JupyterLab's configuration, settings and
# workspaces live in .jupyter/student/ in the clone.
# Extra arguments go to `jupyter lab` (for example --no-browser --port=9999).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/kernel-setup/env.sh"
[ -n "${COURSE_SKIP_SETUP:-}" ] || "$COURSE_ROOT/kernel-setup/setup.sh"
course_lab student
say "starting JupyterLab on the lessons; open the URL with the token printed below"
args=(--ip=127.0.0.1 --ServerApp.root_dir="${COURSE_LESSONS_DIR:-$COURSE_ROOT/notebooks}")
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
[ "$(id -u)" != 0 ] || args+=(--allow-root)
exec jupyter lab "${args[@]}" "$@"
