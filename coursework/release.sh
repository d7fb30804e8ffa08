#!/usr/bin/env bash
# Builds the nbgrader course from the lessons: for every lesson notebook with
# exercises, the instructor version (coursework/build/source/<lesson>/, with
# the solutions from lessons/<topic>/solutions/ and the hidden tests) and the
# student release (coursework/build/release/<lesson>/, the same notebook as
# in notebooks/, with nbgrader's metadata), and the gradebook that
# autograde.sh grades against.
#
# Usage: coursework/release.sh [--course DIR] [notebooks/NN-name.ipynb ...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../kernel-setup/env.sh"
[ -n "${COURSE_SKIP_SETUP:-}" ] || "$COURSE_ROOT/kernel-setup/setup.sh" >/dev/null
exec "$COURSE_VENV/bin/python" "$COURSE_ROOT/coursework/coursework.py" release "$@"
