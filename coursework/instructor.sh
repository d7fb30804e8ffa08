#!/usr/bin/env bash
# For instructors: JupyterLab with nbgrader's formgrader, "Create Assignment"
# and "Validate" on the course directory of nbgrader_config.py
# (coursework/build, or $COURSE_NBGRADER_ROOT), which release.sh makes; it is
# run first if that directory has no gradebook yet. JupyterLab's
# configuration, settings and workspaces live in .jupyter/instructor/ in the
# clone, apart from the students' ones (./start.sh).
# Extra arguments go to `jupyter lab` (for example --no-browser --port=9999).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../kernel-setup/env.sh"
[ -n "${COURSE_SKIP_SETUP:-}" ] || "$COURSE_ROOT/kernel-setup/setup.sh"
# The course directory, as nbgrader will read it from nbgrader_config.py.
course=$("$COURSE_VENV/bin/python" -c '
import sys
from traitlets.config.loader import PyFileConfigLoader
print(PyFileConfigLoader("nbgrader_config.py", path=sys.argv[1]).load_config().CourseDirectory.root)' "$COURSE_ROOT/coursework")
if [ ! -f "$course/gradebook.db" ]; then
	say "no nbgrader course in ${course#$COURSE_ROOT/} yet: building it with coursework/release.sh"
	COURSE_SKIP_SETUP=1 "$COURSE_ROOT/coursework/release.sh" --course "$course"
fi
course_lab instructor
say "starting JupyterLab for instructors on ${course#$COURSE_ROOT/} (Nbgrader menu: Formgrader); open the URL with the token printed below"
args=(--ip=127.0.0.1 --ServerApp.root_dir="$course")
[ "$(id -u)" != 0 ] || args+=(--allow-root)
cd "$course"
exec jupyter lab "${args[@]}" "$@"
