# Sourced by the course scripts: where things live. Nothing here is
# machine-specific; everything is relative to the clone.
COURSE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COURSE_VENV="${COURSE_VENV:-$COURSE_ROOT/.venv}"
export COURSE_ROOT COURSE_VENV
# The GoNB kernel, JupyterLab and the tools live in the project's venv; its
# kernel spec is found first, before any kernel the user installed globally.
export PATH="$COURSE_VENV/bin:$PATH"
export JUPYTER_PATH="$COURSE_VENV/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export JUPYTER_PLATFORM_DIRS=1
export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf '\033[1m[course]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[course] error:\033[0m %s\n' "$*" >&2; exit 1; }
