"""The lessons as nbgrader assignments (coursework/), with real nbgrader and
the GoNB kernel.

For every lesson with exercises: the release is exactly the student notebook
of notebooks/ plus nbgrader's metadata; the instructor's solutions pass every
test cell under the grader; the stubs fail every one. For lesson 07, the whole
round trip through ./coursework/autograde.sh: the instructor version gets full
marks, a correct student full marks, the unchanged release 0, and adversarial
submissions (endless loop, panic, os.Exit, fake pass messages, redefined check
functions, reading the tests from disk) 0 on the cells they attack, with a
reason, without breaking the grading of the other cells.
"""
import copy
import csv
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time

import nbformat
import pytest
from nbclient import NotebookClient

import nbtools

ROOT = nbtools.ROOT
sys.path.insert(0, str(ROOT / "coursework"))
import coursework  # noqa: E402
import gonbgrader  # noqa: E402
from nbgrader import utils as nbgutils  # noqa: E402

LESSONS = coursework.lesson_notebooks()
LAMPORT = "07-logical-time-lamport"
TIME_LIMIT = 20  # seconds per cell in the round trip (its cells take about 1 s)


def test_there_are_lessons_with_exercises():
    assert any(p.stem == LAMPORT for p in LESSONS), [p.name for p in LESSONS]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """All lessons released with nbgrader, in a fresh course directory, from
    a snapshot of notebooks/ (authors may be re-executing them meanwhile)."""
    root = tmp_path_factory.mktemp("course")
    (root / "notebooks").mkdir()
    for p in LESSONS:
        shutil.copy(p, root / "notebooks" / p.name)
    coursework.release(root, [root / "notebooks" / p.name for p in LESSONS])
    return root


def student(course, path):
    return nbformat.read(course / "notebooks" / path.name, as_version=4)


def released(course, path):
    return nbformat.read(course / "release" / path.stem / path.name, as_version=4)


def source(course, path):
    return nbformat.read(course / "source" / path.stem / path.name, as_version=4)


def nbg(cell):
    return cell.metadata.get("nbgrader", {})


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_release_is_the_student_notebook(course, path):
    stu, rel, src = student(course, path), released(course, path), source(course, path)
    assert not coursework.differences(stu, rel)
    exs = coursework.exercises(stu)
    for ex in exs:
        check = rel.cells[ex.check]
        assert nbg(check).get("grade") and nbg(check).get("locked") and nbg(check)["points"] > 0, ex.names
        assert check.metadata.get("editable") is False and check.metadata.get("deletable") is False
        for i in ex.answers:
            assert nbg(rel.cells[i]).get("solution") and not nbg(rel.cells[i]).get("locked")
            # the instructor version holds a solution, different from the stub
            assert "// BEGIN SOLUTION" in src.cells[i].source and src.cells[i].source != rel.cells[i].source
        hidden = src.cells[ex.check].source
        assert "// BEGIN HIDDEN TESTS" in hidden and "show.Require(" in hidden
    text = json.dumps(rel)
    for secret in ("BEGIN SOLUTION", "HIDDEN TESTS", "show.Require(", '"stub"'):
        assert secret not in text, f"the release contains {secret!r}"
    first_code = next(c for c in rel.cells if c.cell_type == "code")
    assert nbg(first_code).get("locked"), "the imports cell is locked"
    assert sum(1 for c in rel.cells if nbg(c).get("grade")) == len(exs)


def as_submitted(src, answers_from):
    """The source notebook with the answer cells of another notebook: what
    nbgrader runs when that notebook is submitted (it restores the test
    cells, hidden tests included, from the instructor version)."""
    nb = copy.deepcopy(src)
    answers = {nbg(c)["grade_id"]: c.source for c in answers_from.cells if nbg(c).get("solution")}
    for c in nb.cells:
        if nbg(c).get("solution"):
            c.source = answers[nbg(c)["grade_id"]]
    return nb


def run_graded(nb, monkeypatch):
    """Executes nb in GoNB the way the grader does (nbgrader's environment and
    a stamp key), then judges its test cells with VerifyGrading and nbgrader's
    own determine_grade. Returns {grade_id: (score, max, reason)}."""
    key = "k" + os.urandom(16).hex()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setenv(gonbgrader.KEY_ENV, key)
    NotebookClient(nb, kernel_name="gonb", timeout=120, allow_errors=True, startup_timeout=120,
                   resources={"metadata": {"path": str(nbtools.NOTEBOOKS)}}).execute()
    nb, _ = gonbgrader.VerifyGrading().preprocess(nb, {"course_grader_key": key})
    why = coursework.reasons(nb)
    return {nbg(c)["grade_id"]: (*nbgutils.determine_grade(c), why.get(nbg(c)["grade_id"], ""))
            for c in nb.cells if nbg(c).get("grade")}


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_solutions_pass_and_stubs_fail_under_the_grader(course, path, monkeypatch):
    """The cells grading depends on (declarations and checks, not the
    experiments), executed in GoNB as the grader does."""
    src = source(course, path)
    full = run_graded(coursework.reduced(src), monkeypatch)
    assert full and all(score == mx for score, mx, _ in full.values()), \
        f"{path.name}: the solutions in {coursework.solutions_file(path).relative_to(ROOT)} do not pass: {full}"
    stubs = run_graded(coursework.reduced(as_submitted(src, released(course, path))), monkeypatch)
    assert set(stubs) == set(full)
    for gid, (score, mx, reason) in stubs.items():
        assert score == 0, f"{path.name}: the stub passes {gid}"
        assert "✗" in reason, f"{path.name}: {gid} fails without the check's explanation: {reason!r}"


# ---- the grader's preprocessors, on hand-made cells --------------------------------

def grade_cell(source, outputs):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = coursework.nbgrader_meta("ex-check", grade=True, locked=True, points=1)
    cell.outputs = [nbformat.NotebookNode(o) for o in outputs]
    return cell


def out(text, name="stdout"):
    return {"output_type": "stream", "name": name, "text": text}


def verify(cell, key="secret"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell]
    nb, _ = gonbgrader.VerifyGrading(time_limit=7).preprocess(nb, {"course_grader_key": key})
    c = nb.cells[0]
    return nbgutils.determine_grade(c)[0], coursework.reasons(nb).get("ex-check", ""), c


SRC = '%%\nshow.Check("Ex 1", lesson.Check(a))\ngrader1_show.Require("Ex 1", grader1_lesson.Check(a))'


def test_verify_accepts_a_valid_stamp_and_removes_it():
    stamp = gonbgrader.stamp("secret", "Ex 1")
    # GoNB may split a line over several stream outputs.
    score, why, c = verify(grade_cell(SRC, [out("✓ Ex 1: correct\ngrader-st"), out(f"amp {stamp} Ex 1\n")]))
    assert (score, why) == (1, "")
    assert [o["text"] for o in c.outputs] == ["✓ Ex 1: correct\n"]


@pytest.mark.parametrize("outputs, reason", [
    ([out("✓ Ex 1: correct\n")], "did not run to its end"),  # os.Exit(0), or a fake show.Check
    ([out("✓ Ex 1: correct\ngrader-stamp " + "0" * 64 + " Ex 1\n")], "pass message that the check did not make"),
    ([out("✗ Ex 1: expected 2, got 0. hint: add\n✗ Ex 1: expected 2, got 0. hint: add\n"), out("exit status 1\n", "stderr"),
      {"output_type": "error", "ename": "ERROR", "evalue": "exit status 1", "traceback": []}], "✗ Ex 1: expected 2, got 0"),
    ([out("signal: interrupt\n", "stderr"), {"output_type": "error", "ename": "ERROR", "evalue": "signal: interrupt", "traceback": []}],
     "ran longer than 7 s"),
    ([out("panic: boom\n\ngoroutine 1", "stderr")], "crashed before the check finished (panic: boom)"),
])
def test_verify_explains_every_zero(outputs, reason):
    score, why, c = verify(grade_cell(SRC, outputs))
    assert score == 0 and reason in why, why
    assert sum(o.get("text", "").count("✗ Ex 1") for o in c.outputs) <= 1, "the verdict is shown once"


def test_a_stamp_made_with_another_key_is_refused():
    stamp = gonbgrader.stamp("guessed", "Ex 1")
    score, why, _ = verify(grade_cell(SRC, [out(f"grader-stamp {stamp} Ex 1\n")]))
    assert score == 0 and "did not make" in why


def test_sanitize_disables_gonb_commands_in_student_cells_only():
    student = nbformat.v4.new_code_cell("!cat ../../../gradebook.db\n%env COURSE_GRADER_KEY x\n//gonb:%cd /\n%%\nfmt.Println(1)")
    locked = nbformat.v4.new_code_cell("%%\n!ls")
    locked.metadata["nbgrader"] = coursework.nbgrader_meta("l", locked=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [student, locked]
    nb, _ = gonbgrader.SanitizeGoNB().preprocess(nb, {})
    lines = nb.cells[0].source.split("\n")
    assert all(l.startswith("// [grader]") for l in lines[:3]) and lines[3:] == ["%%", "fmt.Println(1)"]
    assert nb.cells[1].source == "%%\n!ls"


def test_hidden_tests_reach_packages_through_private_names():
    names = {"show": "github.com/dslessons/course/pkg/show", "lesson": "example.com/lesson", "fmt": "fmt"}
    cell = coursework.with_hidden_tests('%%\nshow.Check("Ex 1: show.Check(", lesson.Check(a, "lesson.x"))', "", names, "g1_")
    assert cell.startswith('// BEGIN HIDDEN TESTS\nimport (\n\tg1_lesson "example.com/lesson"\n\tg1_show "github.com/dslessons/course/pkg/show"\n)')
    assert 'g1_show.Require("Ex 1: show.Check(", g1_lesson.Check(a, "lesson.x"))' in cell
    assert coursework.imports('import (\n\t"fmt"\n\t"math/rand/v2"\n\tbz "x/byzantine"\n)') == \
        {"fmt": "fmt", "rand": "math/rand/v2", "bz": "x/byzantine"}


# ---- the round trip for lesson 07 ------------------------------------------------

CORRECT = {
    "exercise-1-answer": 'var prediction = map[string]lamport.Timestamp{\n\t"c1": 1, "b1": 1, "a1": 1, "a2": 2, "a3": 3,\n\t"b2": 3, "b3": 4, "b4": 5, "a4": 6,\n}',
    "exercise-2-answer": "func myReceive(own, msg lamport.Timestamp) lamport.Timestamp {\n\tif own > msg {\n\t\treturn own + 1\n\t}\n\treturn msg + 1\n}",
    # Exercise 3's answer depends on the lesson's seed: the reference one.
    "exercise-3-answer": coursework.read_solutions(
        coursework.solutions_file(nbtools.NOTEBOOKS / f"{LAMPORT}.ipynb")).answers["Exercise 3"],
}
FOREVER = "func myReceive(own, msg lamport.Timestamp) lamport.Timestamp {\n\tfor {\n\t}\n}"
PANIC = 'func myReceive(own, msg lamport.Timestamp) lamport.Timestamp {\n\tpanic("not implemented")\n}'
EXIT_IN_ANSWER = ('func myReceive(own, msg lamport.Timestamp) lamport.Timestamp {\n'
                  '\tfmt.Println("✓ Exercise 2: correct")\n\tos.Exit(0)\n\treturn 0\n}')
# GoNB runs every init_ function before each cell: print passes, then stop.
FAKE_PASS = ('var prediction = map[string]lamport.Timestamp{}\n\n'
             'func init_pass() {\n'
             '\tfor _, n := range []string{"Exercise 1", "Exercise 2", "Exercise 2, counters far apart or equal", "Exercise 3"} {\n'
             '\t\tfmt.Println("✓ " + n + ": correct")\n'
             '\t\tfmt.Printf("grader-stamp %064d %s\\n", 0, n)\n'
             '\t}\n\tos.Exit(0)\n}')
# Redefine what the test cell calls: GoNB lets a variable replace an
# imported package's name.
REDEFINE = ('type fakeLesson struct{}\n\n'
            'func (fakeLesson) CheckMisleadingPair(a, b string) error { return nil }\n\n'
            'var logicaltime = fakeLesson{}\n\n'
            'type fakeShow struct{}\n\n'
            'func (fakeShow) Check(name string, err error) bool { fmt.Println("✓ " + name + ": correct"); return true }\n'
            'func (fakeShow) Require(name string, err error) bool { return true }\n\n'
            'var show = fakeShow{}\n\nvar pairA, pairB = "", ""')
# Look for the answer in the grader's files: the cell being run (hidden tests
# included), and the course directory around the submission (source
# notebooks with solutions, gradebook, other submissions).
READ_DISK = r'''import (
	"io/fs"
	"path/filepath"
	"regexp"
)

var pairA, pairB = stolen()

func stolen() (string, string) {
	re := regexp.MustCompile(`var pairA, pairB = \\?"(\w+)\\?", \\?"(\w+)\\?"`)
	places := []string{filepath.Join(os.Getenv("GONB_TMP_DIR"), "main.go")}
	filepath.WalkDir("../../..", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			places = append(places, p)
		}
		return nil
	})
	for _, p := range places {
		b, _ := os.ReadFile(p)
		if m := re.FindSubmatch(b); m != nil {
			return string(m[1]), string(m[2])
		}
	}
	return "", ""
}'''
STEAL = re.compile(r'var pairA, pairB = \\?"(\w+)\\?", \\?"(\w+)\\?"')

SUBMISSIONS = {
    # name: (answers by cell, expected score by test cell, reason snippets by test cell)
    "instructor": (None, {"exercise-1-check": 1, "exercise-2-check": 2, "exercise-3-check": 1}, {}),
    "correct": (CORRECT, {"exercise-1-check": 1, "exercise-2-check": 2, "exercise-3-check": 1}, {}),
    "unchanged": ({}, {"exercise-1-check": 0, "exercise-2-check": 0, "exercise-3-check": 0},
                  {"exercise-1-check": "✗ Exercise 1: no prediction for a1", "exercise-2-check": "✗ Exercise 2: receiving",
                   "exercise-3-check": "✗ Exercise 3: expected two event names"}),
    "loop-and-disk": (dict(CORRECT, **{"exercise-2-answer": FOREVER, "exercise-3-answer": READ_DISK}),
                      {"exercise-1-check": 1, "exercise-2-check": 0, "exercise-3-check": 0},
                      {"exercise-2-check": "time limit exceeded", "exercise-3-check": "✗ Exercise 3: expected two event names"}),
    "panic-and-redefine": (dict(CORRECT, **{"exercise-2-answer": PANIC, "exercise-3-answer": REDEFINE}),
                           {"exercise-1-check": 1, "exercise-2-check": 0, "exercise-3-check": 0},
                           {"exercise-2-check": "panic: not implemented", "exercise-3-check": "✗ Exercise 3: expected two event names"}),
    "exit-in-answer": (dict(CORRECT, **{"exercise-2-answer": EXIT_IN_ANSWER}),
                       {"exercise-1-check": 1, "exercise-2-check": 0, "exercise-3-check": 1},
                       {"exercise-2-check": "stopped early"}),
    "fake-pass-then-exit": ({"exercise-1-answer": FAKE_PASS},
                            {"exercise-1-check": 0, "exercise-2-check": 0, "exercise-3-check": 0},
                            {"exercise-1-check": "pass message that the check did not make",
                             "exercise-3-check": "pass message that the check did not make"}),
}


def test_autograde_round_trip_lamport(course, tmp_path):
    path = nbtools.NOTEBOOKS / f"{LAMPORT}.ipynb"
    src, rel = source(course, path), released(course, path)
    # The disk-reading submission would find the solution in the instructor's
    # course directory: the grader must not run submissions next to it.
    assert STEAL.search((course / "source" / LAMPORT / path.name).read_text())
    subs = tmp_path / "submissions"
    for student, (answers, _, _) in SUBMISSIONS.items():
        nb = copy.deepcopy(src if answers is None else rel)
        for c in nb.cells:
            if answers and nbg(c).get("grade_id") in answers:
                c.source = answers[nbg(c)["grade_id"]]
            if c.cell_type == "code":
                c.outputs, c.execution_count = [], None
        (subs / student / LAMPORT).mkdir(parents=True)
        nbformat.write(nb, subs / student / LAMPORT / path.name)
    out = tmp_path / "grades"
    env = dict(os.environ, COURSE_SKIP_SETUP="1", COURSE_GRADE_TIMEOUT=str(TIME_LIMIT))
    start = time.monotonic()
    r = subprocess.run([str(ROOT / "coursework" / "autograde.sh"), "--course", str(course), str(subs), str(out)],
                       capture_output=True, text=True, env=env, timeout=1800)
    total = time.monotonic() - start
    print(r.stdout)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    with open(out / "scores.csv") as f:
        scores = {row["student"]: row for row in csv.DictReader(f)}
    with open(out / "cells.csv") as f:
        cells = {(row["student"], row["cell"]): row for row in csv.DictReader(f)}
    problems = []
    for student, (_, want, why) in SUBMISSIONS.items():
        row = scores[student]
        assert not row["error"], row
        assert float(row["max_score"]) == 4
        if float(row["score"]) != sum(want.values()):
            problems.append(f"{student}: {row['score']} points, expected {sum(want.values())}")
        for cell, points in want.items():
            got = cells[(student, cell)]
            if float(got["score"]) != points:
                problems.append(f"{student} {cell}: {got['score']} points, expected {points} ({got['reason']})")
            if points == 0 and not got["reason"]:
                problems.append(f"{student} {cell}: 0 points without a reason")
            if cell in why and why[cell] not in got["reason"]:
                problems.append(f"{student} {cell}: reason {got['reason']!r} lacks {why[cell]!r}")
    assert not problems, "\n".join(problems) + "\n" + r.stdout
    # Feedback for every student, and no grader stamps left in it (the fake
    # passer's own code prints some).
    for student in SUBMISSIONS:
        html = (out / "feedback" / student / LAMPORT / f"{LAMPORT}.html").read_text()
        assert "Exercise" in html
        if student != "fake-pass-then-exit":
            assert gonbgrader.STAMP_PREFIX not in html, student
    times = {s: float(row["grading_seconds"]) for s, row in scores.items()}
    print(f"grading time per notebook: {times}; total {total:.0f} s")
    # A cell that loops forever is stopped at the limit; nothing hangs.
    assert times["loop-and-disk"] < 6 * TIME_LIMIT
