#!/usr/bin/env bash
# Autogrades a folder of submissions with nbgrader and the GoNB kernel:
#   SUBMISSIONS/<student id>/<lesson>/<lesson>.ipynb
# (nbgrader's submitted/ layout; <lesson> as released by release.sh). Writes
# OUT/scores.csv (one row per student and lesson), OUT/cells.csv (one row per
# test cell, with the reason of every 0), OUT/autograded/ (the executed
# notebooks), OUT/feedback/ (HTML feedback per student) and OUT/logs/. OUT defaults to
# coursework/grades. Every notebook runs in the bubblewrap sandbox and a judge
# outside it decides (README, "For instructors"). Each cell may run
# COURSE_GRADE_TIMEOUT seconds (default 60), each notebook COURSE_NOTEBOOK_BUDGET
# (default 900); -j N grades N submissions at a time (default: one per core).
#
# Usage: coursework/autograde.sh [--course DIR] [-j N] SUBMISSIONS [OUT]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../kernel-setup/env.sh"
[ -n "${COURSE_SKIP_SETUP:-}" ] || "$COURSE_ROOT/kernel-setup/setup.sh" >/dev/null
exec "$COURSE_VENV/bin/python" "$COURSE_ROOT/coursework/coursework.py" autograde "$@"
