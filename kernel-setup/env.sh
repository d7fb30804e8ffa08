# Sourced by the course scripts: where things live. Nothing here is
# machine-specific; everything is relative to the clone.
COURSE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COURSE_VENV="${COURSE_VENV:-$COURSE_ROOT/.venv}"
export COURSE_ROOT COURSE_VENV
# The GoNB kernel, JupyterLab and the tools live in the project's venv; its
# kernel spec and lab extensions are the only ones Jupyter finds besides
# system-wide ones (a JUPYTER_PATH of the user's is not used).
export PATH="$COURSE_VENV/bin:$PATH"
export JUPYTER_PATH="$COURSE_VENV/share/jupyter"
export JUPYTER_PLATFORM_DIRS=1
export PIP_DISABLE_PIP_VERSION_CHECK=1

# Jupyter's own directories, all inside the clone (.jupyter/, git-ignored),
# one set per mode: configuration, data (notebook_secret, trusted-notebook
# signatures), runtime files (kernel connection files, server info),
# JupyterLab's user settings and workspaces. Nothing is read from or written
# to ~/.jupyter, ~/.config/jupyter or ~/.local/share/jupyter, and the user's
# JUPYTER_CONFIG_PATH, JUPYTER_TOKEN and JUPYTER_TOKEN_FILE are ignored.
# Tests point COURSE_JUPYTER_HOME elsewhere so that they never change what a
# student's JupyterLab opens.
export COURSE_JUPYTER_HOME="${COURSE_JUPYTER_HOME:-$COURSE_ROOT/.jupyter}"
course_jupyter_dirs() {
	local d="$COURSE_JUPYTER_HOME/$1"
	export JUPYTER_CONFIG_DIR="$d/config" JUPYTER_DATA_DIR="$d/data" JUPYTER_RUNTIME_DIR="$d/runtime"
	export JUPYTERLAB_SETTINGS_DIR="$d/lab/user-settings" JUPYTERLAB_WORKSPACES_DIR="$d/lab/workspaces"
	export IPYTHONDIR="$d/ipython"
	# IPython (imported by Jupyter's clients) warns unless the parent exists.
	(umask 077 && mkdir -p "$d") 2>/dev/null || true
	unset JUPYTER_CONFIG_PATH JUPYTER_TOKEN JUPYTER_TOKEN_FILE
}
course_jupyter_dirs student

# course_lab MODE: the directories and configuration of JupyterLab in MODE,
# student (./start.sh) or instructor (./coursework/instructor.sh); see
# kernel-setup/courselab.py.
course_lab() {
	course_jupyter_dirs "$1"
	(umask 077 && mkdir -p "$JUPYTER_CONFIG_DIR" "$JUPYTER_DATA_DIR" "$JUPYTER_RUNTIME_DIR" \
		"$JUPYTERLAB_SETTINGS_DIR" "$JUPYTERLAB_WORKSPACES_DIR")
	"$COURSE_VENV/bin/python" "$COURSE_ROOT/kernel-setup/courselab.py" "$1"
}

say() { printf '\033[1m[course]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[course] error:\033[0m %s\n' "$*" >&2; exit 1; }
