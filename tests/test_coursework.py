"""The lessons as nbgrader assignments (coursework/), graded the way an
instructor grades them — with real nbgrader, the GoNB kernel in the
bubblewrap sandbox and the judge — and attacked the way a dishonest student
would.

For every lesson with exercises: the release is exactly the student notebook
of notebooks/ plus nbgrader's metadata and holds no solution; the
instructor's solutions get full marks and the stubs none, through
./coursework/autograde.sh. For the pilot lesson: every attack of issue 10
scores 0 on the cell it attacks and leaves other students' grades and files,
the clone and the output unchanged, without hanging the grader; the fairness
cases get the points a correct answer deserves; a class of 20 generated
submissions is graded end to end; `nbgrader autograde` run directly is
sandboxed too.
"""
import copy
import csv
import hashlib
import json
import os
import pathlib
import random
import shutil
import socket
import subprocess
import sys
import threading
import time

import nbformat
import pytest

import nbtools

ROOT = nbtools.ROOT
sys.path.insert(0, str(ROOT / "coursework"))
import coursework  # noqa: E402
import gonbgrader  # noqa: E402

LESSONS = coursework.lesson_notebooks()
PILOT = "03-timeouts"
TIME_LIMIT = 30  # seconds per cell (graded cells take about a second)
CANARY = "canary-" + os.urandom(8).hex()  # in the grader's environment only


def test_there_are_lessons_with_exercises():
    assert any(p.stem == PILOT for p in LESSONS), [p.name for p in LESSONS]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """All lessons released with nbgrader, in a fresh course directory, from
    a snapshot of notebooks/."""
    root = tmp_path_factory.mktemp("course")
    (root / "notebooks").mkdir()
    for p in LESSONS:
        shutil.copy(p, root / "notebooks" / p.name)
    coursework.release(root, [root / "notebooks" / p.name for p in LESSONS])
    return root


def read(course, kind, lesson):
    return nbformat.read(course / kind / lesson / f"{lesson}.ipynb", as_version=4)


def nbg(cell):
    return cell.metadata.get("nbgrader", {})


def tree_digest(path: pathlib.Path) -> dict:
    """{relative path: sha256} of every file under path."""
    out = {}
    for p in sorted(path.rglob("*")):
        if p.is_file() and not p.is_symlink():
            out[str(p.relative_to(path))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def clone_digest() -> dict:
    """The tracked files of the clone (plus anything new in pkg/ and lessons/)."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    return {f: hashlib.sha256((ROOT / f).read_bytes()).hexdigest() for f in files if (ROOT / f).is_file()}


def autograde(course, subs, out, jobs=2, limit=TIME_LIMIT):
    env = dict(os.environ, COURSE_SKIP_SETUP="1", COURSE_GRADE_TIMEOUT=str(limit), COURSE_TEST_CANARY=CANARY)
    start = time.monotonic()
    r = subprocess.run([str(ROOT / "coursework" / "autograde.sh"), "--course", str(course), "-j", str(jobs), str(subs), str(out)],
                       capture_output=True, text=True, env=env, timeout=3600)
    seconds = time.monotonic() - start
    print(r.stdout[-5000:], r.stderr[-3000:])
    with open(out / "scores.csv") as f:
        scores = {(row["student"], row["assignment"]): row for row in csv.DictReader(f)}
    with open(out / "cells.csv") as f:
        cells = {(row["student"], row["assignment"], row["cell"]): row for row in csv.DictReader(f)}
    return r, scores, cells, seconds


def submission(base, answers=None, drop=(), edit=None):
    """A copy of base (a release or source notebook) with answer cells
    replaced (by grade id), cells dropped (by grade id) and outputs cleared."""
    nb = copy.deepcopy(base)
    nb.cells = [c for c in nb.cells if nbg(c).get("grade_id") not in drop]
    for c in nb.cells:
        gid = nbg(c).get("grade_id")
        if answers and gid in answers:
            c.source = answers[gid]
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
    if edit:
        edit(nb)
    return nb


def write(subs, student, lesson, nb, name=None):
    d = subs / student / lesson
    d.mkdir(parents=True)
    nbformat.write(nb, d / (name or f"{lesson}.ipynb"))


# ---- every lesson ---------------------------------------------------------------------


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_release_is_the_student_notebook(course, path):
    stu = nbformat.read(course / "notebooks" / path.name, as_version=4)
    rel, src = read(course, "release", path.stem), read(course, "source", path.stem)
    assert not coursework.differences(stu, rel)
    exs = coursework.exercises(stu, path.stem)
    for ex in exs:
        check = rel.cells[ex.check]
        assert nbg(check).get("grade") and nbg(check).get("locked") and nbg(check)["points"] > 0, ex.names
        assert check.metadata.get("editable") is False and check.metadata.get("deletable") is False
        for i in ex.answers:
            assert nbg(rel.cells[i]).get("solution") and not nbg(rel.cells[i]).get("locked")
            assert "// BEGIN SOLUTION" in src.cells[i].source and src.cells[i].source != rel.cells[i].source
    text = json.dumps(rel)
    for secret in ("BEGIN SOLUTION", '"stub"'):
        assert secret not in text, f"the release contains {secret!r}"
    first_code = next(c for c in rel.cells if c.cell_type == "code")
    assert nbg(first_code).get("locked"), "the imports cell is locked"
    assert sum(1 for c in rel.cells if nbg(c).get("grade")) == len(exs)


def test_solutions_pass_and_stubs_fail(course, tmp_path, figure):
    """Every lesson, through the real autograde.sh: the instructor version
    gets full marks, the unchanged release none, each 0 with a reason."""
    subs = tmp_path / "subs"
    for p in LESSONS:
        write(subs, "reference", p.stem, submission(read(course, "source", p.stem)))
        write(subs, "stubs", p.stem, submission(read(course, "release", p.stem)))
    r, scores, cells, seconds = autograde(course, subs, tmp_path / "out")
    assert r.returncode == 0, r.stdout[-3000:]
    problems = []
    for p in LESSONS:
        ref, stub = scores[("reference", p.stem)], scores[("stubs", p.stem)]
        if float(ref["score"]) != float(ref["max_score"]) or float(ref["max_score"]) == 0:
            bad = [c for k, c in cells.items() if k[:2] == ("reference", p.stem) and float(c["score"]) < float(c["max_score"])]
            problems.append(f"{p.stem}: the solutions score {ref['score']}/{ref['max_score']}: {bad}")
        if float(stub["score"]) != 0:
            problems.append(f"{p.stem}: the stubs score {stub['score']}")
        for k, c in cells.items():
            if k[:2] == ("stubs", p.stem) and not c["reason"].startswith("✗"):
                problems.append(f"{p.stem} {k[2]}: a zero without a reason: {c['reason']!r}")
    assert not problems, "\n".join(problems)
    figure(f"solutions and stubs of {len(LESSONS)} notebooks: {2 * len(LESSONS)} notebooks graded in {seconds:.0f} s")


# ---- attacks on the pilot lesson ------------------------------------------------------

ANSWERS = ["exercise-1-answer", "exercise-2-answer", "exercise-3-answer", "exercise-4-answer"]
CHECKS = [a.replace("answer", "check") for a in ANSWERS]


def answers_of(nb):
    return {nbg(c)["grade_id"]: c.source for c in nb.cells if nbg(c).get("solution")}


def with_code(right, gid, code):
    """The right answers, with code put at the top of answer cell gid. Go
    wants a cell's imports before its other declarations, so the answer's
    own import lines go up too, after the code's."""
    out = dict(right)
    lines = code.strip().splitlines()
    head = [l for l in lines if l.startswith("import ")]
    body = [l for l in lines if not l.startswith("import ")]
    answer = right[gid].splitlines()
    head += [l for l in answer if l.startswith("import ")]
    rest = [l for l in answer if not l.startswith("import ")]
    out[gid] = "\n".join(head + [""] + body + [""] + rest)
    return out


# Each attack: the answer cell it adds code to, the code, and the check
# cells it must cost (all others score, except those in the optional
# fourth element, which may go either way). Code runs in the student's
# process under the grader. "forge-and-exit" starts from the stubs: a blank
# notebook that claims full marks.
ATTACKS = {
    # Print passes the way the old grader read them, then stop every later
    # cell's program before its check runs (a Go init runs in every cell).
    "forge-and-exit": ("exercise-1-answer", '''
import ("fmt"; "os")
func init() {
	for _, n := range []string{"Exercise 1", "Exercise 2", "Exercise 3", "Exercise 4"} {
		fmt.Println("✓ " + n + ": correct")
		fmt.Println("grader-stamp 0000 " + n)
	}
	os.Exit(0)
}''', CHECKS),
    # Swap the exercise for one that passes anything: it can only fool
    # this notebook's own printout.
    "tamper-exercise": ("exercise-2-answer", '''
import "github.com/dslessons/course/pkg/exercise"
var fakeLesson = exercise.NewLesson("03-timeouts-fake", "fake")
func init() {
	stretchedRate = 12345
	timeouts.Exercise2 = exercise.NewValue(fakeLesson, "Exercise 2", exercise.ValueSpec[timeouts.Stretch, float64]{
		Params: func(exercise.Variant) timeouts.Stretch { return timeouts.Stretch{} },
		Judge:  func(timeouts.Stretch, float64) exercise.Verdict { return exercise.Right() },
	})
}''', ["exercise-2-check"]),
    # Turn the grader off in this process, so the check judges locally (the
    # init runs before every later cell too, so later checks may be lost).
    "unset-grader": ("exercise-3-answer", '''
import "os"
func init() { os.Unsetenv("COURSE_GRADER_SOCKET"); settledRTO = 1 }''', ["exercise-3-check"], ["exercise-4-check"]),
    # Look for secrets and for the grader: environment, every process,
    # files around; print what is found (the feedback must not show any).
    "snoop": ("exercise-3-answer", '''
import ("fmt"; "os"; "path/filepath"; "strings")
func init() {
	var found []string
	for _, p := range []string{"/proc/self/environ", "/proc/1/environ", "/proc/1/cmdline", "/proc/self/cmdline"} {
		b, _ := os.ReadFile(p)
		found = append(found, p+": "+strings.ReplaceAll(string(b), "\\x00", " "))
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, _ := os.ReadFile(p)
		found = append(found, p+": "+strings.ReplaceAll(string(b), "\\x00", " "))
	}
	filepath.Walk("/", func(p string, info os.FileInfo, err error) error {
		if err == nil && (strings.Contains(p, "solutions") || strings.HasSuffix(p, ".db") || strings.HasSuffix(p, ".csv") ||
			strings.Contains(p, "submitted") || strings.Contains(p, "coursework") || strings.HasSuffix(p, ".ipynb")) {
			b, _ := os.ReadFile(p)
			found = append(found, "FILE "+p+": "+string(b))
		}
		if err == nil && info.IsDir() && (p == "/proc" || p == "/sys" || p == "/dev") {
			return filepath.SkipDir
		}
		return nil
	})
	fmt.Println(strings.Join(found, "\\n"))
	settledRTO = -1
}''', ["exercise-3-check"]),
    # Write into the clone, the host's /tmp, and anything that looks like
    # a submission, a gradebook or a score sheet; then leave a process
    # behind that tries again later.
    "vandal": ("exercise-1-answer", '''
import ("os"; "os/exec"; "path/filepath"; "strings"; "syscall")
func init() {
	for _, p := range []string{"ROOT/pkg/show/pwned.go", "ROOT/lessons/timeouts/pwned.go", "ROOT/go.mod", "/tmp/CANARY-written"} {
		os.WriteFile(p, []byte("package pwned"), 0o644)
	}
	filepath.Walk("/", func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && (strings.HasSuffix(p, ".ipynb") || strings.HasSuffix(p, ".db") || strings.HasSuffix(p, ".csv")) {
			os.WriteFile(p, []byte("pwned"), 0o644)
		}
		return nil
	})
	cmd := exec.Command("/bin/sh", "-c", "sleep 8; echo pwned > OUT/scores.csv; echo pwned > /tmp/CANARY-late")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Start()
	mm1Mean = 0
}''', ["exercise-1-check"]),
    # Use all the memory it can get. Its own exercise is lost; later cells
    # lose theirs too if GoNB keeps the failed cell's declarations.
    "memory-hog": ("exercise-2-answer", '''
var hogged = hog()
func hog() int {
	var keep [][]byte
	for i := 0; i < 64; i++ {
		b := make([]byte, 1<<30)
		for j := range b { b[j] = 1 }
		keep = append(keep, b)
	}
	return len(keep)
}''', ["exercise-2-check"], ["exercise-3-check", "exercise-4-check"]),
    # Start as many processes as it can, each living a minute.
    "fork-bomb": ("exercise-3-answer", '''
import "os/exec"
var spawned = spawn()
func spawn() int {
	n := 0
	for i := 0; i < 5000; i++ {
		if exec.Command("/bin/sleep", "60").Start() == nil {
			n++
		}
	}
	return n
}''', ["exercise-3-check"], ["exercise-4-check"]),
    # Reach the network: a listener the test opens on the host's loopback.
    "network": ("exercise-3-answer", '''
import ("fmt"; "net"; "time")
func init() {
	c, err := net.DialTimeout("tcp", "127.0.0.1:PORT", 2*time.Second)
	fmt.Println("dial:", c, err)
	settledRTO = 0
}''', ["exercise-3-check"]),
}


def test_attacks_score_zero_and_harm_nothing(course, tmp_path, figure):
    src, rel = read(course, "source", PILOT), read(course, "release", PILOT)
    right = answers_of(src)
    subs, out = tmp_path / "subs", tmp_path / "out"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    dialed = []

    def accept():
        end = time.monotonic() + 900
        while time.monotonic() < end and not getattr(listener, "_closed", False):
            try:
                c, _ = listener.accept()
                dialed.append(c)
            except (socket.timeout, OSError):
                if listener.fileno() < 0:
                    return
    threading.Thread(target=accept, daemon=True).start()
    stubs = answers_of(rel)
    for student, (gid, code, *_) in ATTACKS.items():
        code = code.replace("ROOT", str(ROOT)).replace("CANARY", CANARY).replace("OUT", str(out)).replace("PORT", str(port))
        write(subs, student, PILOT, submission(rel, with_code(stubs if student == "forge-and-exit" else right, gid, code)))
    # An honest student, whose files and grade must come out untouched.
    marker = "honest-marker-" + os.urandom(6).hex()
    write(subs, "honest", PILOT, submission(rel, with_code(right, "exercise-4-answer", f"// {marker}")))
    # A copycat: the honest student's numbers, hard-coded.
    honest = json.loads(subprocess.run([gonbgrader.tool("judge"), "variants", "-lesson", PILOT, "-student", "honest"],
                                       capture_output=True, text=True, check=True).stdout)
    mm1 = honest["Exercise 1"]["params"]
    copied = dict(right, **{"exercise-1-answer": f"var mm1Mean float64 = {1 / (mm1['Mu'] - mm1['Lambda'])!r}"})
    write(subs, "copycat", PILOT, submission(rel, copied))
    mine = json.loads(subprocess.run([gonbgrader.tool("judge"), "variants", "-lesson", PILOT, "-student", "copycat"],
                                     capture_output=True, text=True, check=True).stdout)
    copy_differs = mine["Exercise 1"]["params"] != mm1
    before_subs = tree_digest(subs)
    before_clone = clone_digest()
    before_course = tree_digest(course)
    r, scores, cells, seconds = autograde(course, subs, out)
    listener.close()
    time.sleep(10)  # past the vandal's delayed write
    assert not dialed, "a submission reached the host's network"
    problems = []
    for student, (_, _, lost, *maybe) in ATTACKS.items():
        for gid in CHECKS:
            c = cells.get((student, PILOT, gid))
            if maybe and gid in maybe[0]:
                continue
            want = 0.0 if gid in lost else 1.0
            if c is None or float(c["score"]) != want:
                problems.append(f"{student} {gid}: {c and c['score']} points, expected {want} ({c and c['reason']})")
            elif want == 0 and not c["reason"].startswith("✗"):
                problems.append(f"{student} {gid}: 0 points without a reason")
    assert float(scores[("honest", PILOT)]["score"]) == 4, scores[("honest", PILOT)]
    if copy_differs:
        assert float(cells[("copycat", PILOT, "exercise-1-check")]["score"]) == 0, "a classmate's numbers passed"
    assert not problems, "\n".join(problems)
    # Nothing outside the sandbox changed.
    assert tree_digest(subs) == before_subs, "a submission was changed"
    assert clone_digest() == before_clone, "the clone was changed"
    assert tree_digest(course) == before_course, "the course directory (gradebook, source) was changed"
    assert not list(pathlib.Path("/tmp").glob(f"{CANARY}*")), "a submission wrote to the host's /tmp"
    text = (out / "scores.csv").read_text()
    assert "pwned" not in text and "honest" in text
    # No process of a sandbox user is left.
    ps = subprocess.run(["ps", "-eo", "uid="], capture_output=True, text=True).stdout.split()
    assert not [u for u in ps if int(u) >= 61000 and int(u) < 62000], "processes outlived grading"
    # The snooper found no secret and no solution; its feedback shows none.
    feedback = (out / "feedback" / "snoop" / PILOT / f"{PILOT}.html").read_text()
    graded = (out / "autograded" / "snoop" / PILOT / f"{PILOT}.ipynb").read_text()
    for secret in (CANARY, marker, "Solutions to the exercises of", "SQLite format"):
        assert secret not in feedback and secret not in graded, secret
    # Grading took bounded time despite the memory and process hog.
    times = {s: float(row["grading_seconds"]) for (s, _), row in scores.items()}
    figure(f"attacks: grading seconds per submission {times}; total {seconds:.0f} s")
    assert max(times.values()) < 8 * TIME_LIMIT


# ---- fairness -----------------------------------------------------------------------


def test_fairness(course, tmp_path):
    src, rel = read(course, "source", PILOT), read(course, "release", PILOT)
    right = answers_of(src)
    subs, out = tmp_path / "subs", tmp_path / "out"
    # Debugging output on stderr does not cost points.
    write(subs, "stderr", PILOT, submission(rel, with_code(right, "exercise-1-answer", '''
import ("fmt"; "os")
func init() { fmt.Fprintln(os.Stderr, "debug: computing") }''')))
    # A deleted check cell is put back (as Go) and scores.
    write(subs, "deleted", PILOT, submission(rel, right, drop=["exercise-2-check"]))

    def strip(nb):
        for c in nb.cells:
            if nbg(c).get("grade_id") == "exercise-3-check":
                del c.metadata["nbgrader"]
            if nbg(c).get("grade_id") == "exercise-4-check":
                c.metadata["nbgrader"].update(points=100, locked=False)

    def bogus(nb):
        extra = nbformat.v4.new_code_cell("%%\nfmt.Println(1)")
        extra.metadata["nbgrader"] = {"grade": True, "grade_id": "bogus", "points": 50, "locked": False, "solution": False, "schema_version": 3}
        nb.cells.append(extra)
    # Stripped metadata (cell put back) and edited points and lock: restored.
    write(subs, "edited-metadata", PILOT, submission(rel, right, edit=strip))
    # A test cell the instructor never made does not count.
    write(subs, "bogus-cell", PILOT, submission(rel, right, edit=bogus))
    # A renamed notebook is graded, with a note.
    write(subs, "renamed", PILOT, submission(rel, right), name="my-work.ipynb")
    # Not a notebook: one clear line.
    (subs / "broken" / PILOT).mkdir(parents=True)
    (subs / "broken" / PILOT / f"{PILOT}.ipynb").write_text("{ not json")
    # An endless loop that runs before every cell: stopped once, not per cell.
    write(subs, "init-loop", PILOT, submission(rel, with_code(right, "exercise-1-answer", "func init_spin() { for {} }")))
    r, scores, cells, seconds = autograde(course, subs, out, limit=15)
    assert r.returncode == 1, "a submission that could not be graded makes the exit status 1"
    for student in ("stderr", "deleted", "edited-metadata", "bogus-cell", "renamed"):
        row = scores[(student, PILOT)]
        assert (float(row["score"]), float(row["max_score"])) == (4, 4), (student, row,
            [c for k, c in cells.items() if k[0] == student])
    assert "renamed" in scores[("renamed", PILOT)]["note"]
    broken = scores[("broken", PILOT)]["error"]
    assert broken.startswith("not graded:") and "not a valid notebook" in broken and "\n" not in broken and len(broken) < 300
    loop = scores[("init-loop", PILOT)]
    assert float(loop["score"]) == 0
    assert float(loop["grading_seconds"]) < 4 * 15 + 60, "an init loop must not cost every cell its time limit"
    assert "init function" in cells[("init-loop", PILOT, "exercise-4-check")]["reason"]
    # The restored cell is Go.
    graded = nbformat.read(out / "autograded" / "deleted" / PILOT / f"{PILOT}.ipynb", as_version=4)
    restored = next(c for c in graded.cells if nbg(c).get("grade_id") == "exercise-2-check")
    assert restored.source.startswith("%%\n// This cell") and "# " not in restored.source.split("\n")[1][:2]


def test_missing_cell_note_keeps_percent_percent_first():
    assert gonbgrader.go_restored_source("%%\nx.Check(a)", "c").split("\n")[:2] == ["%%", "// This cell (c) was missing from the submission; the grader put it back."]
    assert gonbgrader.go_restored_source("var a = 1", "c").startswith("// This cell")


def test_sanitize_disables_gonb_commands_in_student_cells_only():
    student = nbformat.v4.new_code_cell("!cat ../../../gradebook.db\n%env COURSE_GRADER_SOCKET x\n//gonb:%cd /\n%%\nfmt.Println(1)")
    locked = nbformat.v4.new_code_cell("%%\n!ls")
    locked.metadata["nbgrader"] = coursework.nbgrader_meta("l", locked=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [student, locked]
    nb, _ = gonbgrader.SanitizeGoNB().preprocess(nb, {})
    lines = nb.cells[0].source.split("\n")
    assert all(l.startswith("// [grader]") for l in lines[:3]) and lines[3:] == ["%%", "fmt.Println(1)"]
    assert nb.cells[1].source == "%%\n!ls"


def test_check_names():
    assert gonbgrader.check_names("%%\ntimeouts.Exercise1.Check(x)\nlab.Exercise2a.Check(f)\ntimeouts.Exercise1.Check(y)") == ["Exercise1", "Exercise2a"]


# ---- a class ------------------------------------------------------------------------------


def test_a_class_of_twenty(course, tmp_path, figure):
    """20 generated students, each exercise right with probability 0.7:
    every score as generated. Prints the timing."""
    src, rel = read(course, "source", PILOT), read(course, "release", PILOT)
    right, stubs = answers_of(src), answers_of(rel)
    rng = random.Random(20)
    subs, expected = tmp_path / "subs", {}
    for i in range(1, 21):
        student = f"s{i:02d}"
        picks = {gid: rng.random() < 0.7 for gid in ANSWERS}
        write(subs, student, PILOT, submission(rel, {gid: (right if ok else stubs)[gid] for gid, ok in picks.items()}))
        expected[student] = sum(picks.values())
    r, scores, cells, seconds = autograde(course, subs, tmp_path / "out", jobs=os.cpu_count() or 2)
    assert r.returncode == 0
    got = {s: float(row["score"]) for (s, _), row in scores.items()}
    assert got == {s: float(v) for s, v in expected.items()}
    per = sorted(float(row["grading_seconds"]) for row in scores.values())
    figure(f"class of 20 (-j {os.cpu_count() or 2}): {seconds:.0f} s in all, {20 / seconds * 60:.1f} notebooks per minute, "
          f"median {per[10]:.1f} s per notebook, slowest {per[-1]:.1f} s")


# ---- nbgrader's own command -------------------------------------------------------------


def test_nbgrader_autograde_directly_is_sandboxed(course, tmp_path):
    """An instructor who runs `nbgrader autograde` (or formgrader) in
    coursework/ gets the same sandbox and judge."""
    work = tmp_path / "course"
    shutil.copytree(course, work, ignore=shutil.ignore_patterns("autograded", "feedback", "submitted"))
    src, rel = read(course, "source", PILOT), read(course, "release", PILOT)
    right = answers_of(src)
    peek = with_code(right, "exercise-1-answer", f'''
import ("os"; "fmt")
func init() {{
	b, err := os.ReadFile("{work}/submitted/victim/{PILOT}/{PILOT}.ipynb")
	fmt.Println("peek:", len(b), err, "uid", os.Getuid())
	if err == nil {{ mm1Mean = -1 }}
}}''')
    write(work / "submitted", "victim", PILOT, submission(rel, right))
    write(work / "submitted", "peeker", PILOT, submission(rel, peek))
    env = dict(os.environ, COURSE_NBGRADER_ROOT=str(work), COURSE_GRADE_TIMEOUT=str(TIME_LIMIT))
    r = subprocess.run([str(pathlib.Path(sys.executable).parent / "nbgrader"), "autograde", PILOT, "--force"],
                       cwd=ROOT / "coursework", env=env, capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{work / 'gradebook.db'}") as gb:
        assert gb.find_submission(PILOT, "victim").score == 4
        assert gb.find_submission(PILOT, "peeker").score == 4, "the peeker saw the victim's notebook"
    graded = (work / "autograded" / "peeker" / PILOT / f"{PILOT}.ipynb").read_text()
    assert "peek: 0" in graded and "no such file" in graded
    if os.geteuid() == 0:
        assert "uid 61" in graded, "the kernel ran as the grader's user"
