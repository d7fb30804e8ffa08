"""The lessons as nbgrader assignments: build, release, autograde.

    python coursework/coursework.py release [NOTEBOOK...]                 # ./coursework/release.sh
    python coursework/coursework.py autograde [-j N] SUBMISSIONS [OUT]    # ./coursework/autograde.sh

The committed notebooks in notebooks/ are the student version. An exercise
is declared in its lesson's Go package (package exercise): its check cell
calls `<lesson package>.<Exercise>.Check(answer)`, and the answer cells
before it hold a stub between `// BEGIN ANSWER` and `// END ANSWER` (or
nbgrader's `// BEGIN SOLUTION` / `// END SOLUTION`). The instructor version
(nbgrader's source/<lesson>/<lesson>.ipynb) is built from them and from the
lesson's solutions file, lessons/<topic>/solutions/<notebook>.go.txt:

    //== answer: Exercise 1          what goes between the markers of the
    var prediction = ...             answer cell checked by Exercise1.Check

In the source notebook an answer cell is an nbgrader solution cell and a
check cell a locked autograded test cell worth the points its exercises
declare; the imports cell and the declaration cells the checks use are
locked read-only cells. `nbgrader generate_assignment` (configured by
nbgrader_config.py) turns it back into exactly the student notebook.

Autograding runs every submission in a process of its own, in a temporary
nbgrader course that holds only the gradebook and that submission; inside,
nbgrader runs the notebook in the bubblewrap sandbox and the judge decides
(gonbgrader.py, sandbox.py). Submissions are graded N at a time (-j).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import copy
import csv
import dataclasses
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import nbformat

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
NOTEBOOKS = ROOT / "notebooks"
LESSONS = ROOT / "lessons"
DEFAULT_COURSE = HERE / "build"

sys.path.insert(0, str(HERE))
import gonbgrader  # noqa: E402

BEGIN = re.compile(r"^(\s*)//\s*BEGIN (ANSWER|SOLUTION)\s*$")
END = re.compile(r"^\s*//\s*END (ANSWER|SOLUTION)\s*$")
SECTION = re.compile(r"^//==\s*([a-z ]+):\s*(.*?)\s*$")
DECL = re.compile(r"^(?:var|const|func|type)\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)", re.M)
NAME_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


class CourseworkError(Exception):
    pass


# ---- the exercises the lessons declare --------------------------------------------


_catalog = None


def catalog() -> dict:
    """{lesson id: {Go name: {"name", "points", "kind"}}}, from `judge list`."""
    global _catalog
    if _catalog is None:
        try:
            out = subprocess.run([gonbgrader.tool("judge"), "list"], capture_output=True, text=True, check=True).stdout
        except subprocess.CalledProcessError as e:
            raise CourseworkError(f"building or running the judge failed:\n{e.stderr}") from None
        _catalog = {l["id"]: {e["go_name"]: e for e in l["exercises"]} for l in json.loads(out)}
    return _catalog


@dataclasses.dataclass
class Exercise:
    names: list[str]  # the exercises' names ("Exercise 1") checked by the cell
    go_names: list[str]
    check: int  # index of the check cell
    answers: list[int]  # indices of the answer cells before it
    points: float

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.names[0].lower()).strip("-") or "exercise"


def is_main(source: str) -> bool:
    first = next((l.strip() for l in source.splitlines() if l.strip()), "")
    return first.startswith("%%") or first.startswith("%main")


def answer_region(source: str) -> tuple[int, int, str] | None:
    """(first line, last line, indent) of the BEGIN/END ANSWER (or SOLUTION) region."""
    lines = source.split("\n")
    for i, line in enumerate(lines):
        m = BEGIN.match(line)
        if m:
            for j in range(i + 1, len(lines)):
                if END.match(lines[j]):
                    return i, j, m.group(1)
            raise CourseworkError(f"a cell has BEGIN {m.group(2)} without END:\n{source}")
    return None


def exercises(nb, lesson: str) -> list[Exercise]:
    """The exercises of a lesson notebook: each check cell, with the answer
    cells since the previous check cell."""
    known = catalog().get(lesson, {})
    found, pending, checked = [], [], set()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if answer_region(cell.source):
            pending.append(i)
        names = [n for n in gonbgrader.check_names(cell.source) if n in known]
        if names:
            if not is_main(cell.source):
                raise CourseworkError(f"{lesson}: the check cell {i} must be a %% cell")
            dup = checked & set(names)
            if dup:
                raise CourseworkError(f"{lesson}: {', '.join(sorted(dup))} checked in two cells")
            checked |= set(names)
            found.append(Exercise([known[n]["name"] for n in names], names, i, pending,
                                  sum(known[n]["points"] for n in names)))
            pending = []
    if pending:
        raise CourseworkError(f"{lesson}: answer cells {pending} have no check cell after them")
    missing = sorted(set(known) - checked)
    if missing:
        raise CourseworkError(f"{lesson}: exercises declared in Go but never checked in the notebook: {', '.join(missing)}")
    return found


def lesson_notebooks() -> list[pathlib.Path]:
    """Lesson notebooks with at least one exercise."""
    return [p for p in sorted(NOTEBOOKS.glob("*.ipynb")) if p.stem in catalog()]


def solutions_file(notebook: pathlib.Path) -> pathlib.Path:
    # lessons/<topic>/solutions/ for a lesson, lessons/labs/<lab>/solutions/ for a lab
    found = sorted(LESSONS.glob(f"**/solutions/{notebook.stem}.go.txt"))
    if len(found) != 1:
        raise CourseworkError(f"{notebook.name}: expected one solutions file lessons/<topic>/solutions/{notebook.stem}.go.txt "
                              f"(lessons/labs/<lab>/solutions/ for a lab), found {len(found)}")
    return found[0]


def read_solutions(path: pathlib.Path) -> dict[str, str]:
    """Exercise name (or "name #k" for its k-th answer cell) -> solution."""
    answers, key, lines = {}, None, []

    def flush():
        if key is not None:
            answers[key] = "\n".join(lines).strip("\n")
    for n, line in enumerate(path.read_text().split("\n"), 1):
        m = SECTION.match(line)
        if not m:
            lines.append(line)
            continue
        if m.group(1) != "answer":
            raise CourseworkError(f"{path}:{n}: unknown section '{m.group(1)}' (only '//== answer: NAME'; "
                                  "points and hidden tests are declared with the exercise in Go)")
        flush()
        key, lines = m.group(2), []
    flush()
    return answers


# ---- the instructor (source) notebook -------------------------------------------------


def declared_names(source: str) -> set[str]:
    names = set()
    for m in DECL.finditer(source):
        names.update(n.strip() for n in m.group(1).split(","))
    return names


def nbgrader_meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    m = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id, "schema_version": 3}
    if grade:
        m["points"] = points
    return m


def source_notebook(path: pathlib.Path, student=None):
    """The instructor version of the lesson notebook at path (already read:
    student)."""
    if student is None:
        student = nbformat.read(path, as_version=4)
    nb = copy.deepcopy(student)
    exs = exercises(nb, path.stem)
    if not exs:
        raise CourseworkError(f"{path.name}: no exercises")
    sol = read_solutions(solutions_file(path))
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    used, ids, missing, known = set(), set(), [], set()

    def unique(base: str) -> str:
        gid, n = base, 2
        while gid in ids:
            gid, n = f"{base}-{n}", n + 1
        ids.add(gid)
        return gid
    for ex in exs:
        key = ex.names[0]
        for k, idx in enumerate(ex.answers):
            akey = key if k == 0 else f"{key} #{k + 1}"
            known.add(akey)
            if akey not in sol:
                missing.append(akey)
                continue
            cell = nb.cells[idx]
            first, last, indent = answer_region(cell.source)
            lines = cell.source.split("\n")
            stub = "\n".join(l[len(indent):] if l.startswith(indent) else l for l in lines[first:last + 1])
            solution = "\n".join(indent + l if l else l for l in sol[akey].split("\n"))
            lines[first:last + 1] = [f"{indent}// BEGIN SOLUTION", solution, f"{indent}// END SOLUTION"]
            cell.source = "\n".join(lines)
            cell.metadata["nbgrader"] = nbgrader_meta(unique(f"{ex.slug}-answer"), solution=True)
            cell.metadata.setdefault("course", {})["stub"] = stub
            used |= set(re.findall(r"[A-Za-z_]\w*", sol[akey]))
        cell = nb.cells[ex.check]
        used |= set(re.findall(r"[A-Za-z_]\w*", cell.source))
        cell.metadata["nbgrader"] = nbgrader_meta(unique(f"{ex.slug}-check"), grade=True, locked=True, points=ex.points)
    if missing:
        raise CourseworkError(f"{path.name}: no solution in {solutions_file(path).relative_to(ROOT)} for: {', '.join(missing)}")
    unused = sorted(set(sol) - known)
    if unused:
        raise CourseworkError(f"{path.name}: the solutions file names answers the notebook does not have: {', '.join(unused)}")
    # Lock the imports cell and the declaration cells the checks and
    # solutions depend on: the grader restores them from this version.
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    graded = {ex.check for ex in exs} | {i for ex in exs for i in ex.answers}
    for i in code:
        cell = nb.cells[i]
        if i in graded or is_main(cell.source):
            continue
        if i == code[0] or declared_names(cell.source) & used:
            cell.metadata["nbgrader"] = nbgrader_meta(unique(f"locked-{i}"), locked=True)
    return nb


# ---- nbgrader ---------------------------------------------------------------------------


def nbgrader_api(course: pathlib.Path):
    """nbgrader's Python API with the course configuration, on course."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(HERE)).load_config()
    cfg.CourseDirectory.root = str(course)
    return NbGraderAPI(config=cfg)


def release(course: pathlib.Path, notebooks: list[pathlib.Path], out=sys.stdout) -> list[str]:
    """Writes source/<lesson>/ for each notebook and runs nbgrader's
    generate_assignment; returns the assignment names."""
    course.mkdir(parents=True, exist_ok=True)
    api = nbgrader_api(course)
    names = []
    for path in notebooks:
        name = path.stem
        src = course / "source" / name
        src.mkdir(parents=True, exist_ok=True)
        student = nbformat.read(path, as_version=4)
        nbformat.write(source_notebook(path, student), src / path.name)
        r = api.generate_assignment(name, force=True)
        if not r["success"]:
            raise CourseworkError(f"nbgrader generate_assignment {name} failed:\n{r.get('error', '')}\n{r.get('log', '')[-3000:]}")
        released = nbformat.read(course / "release" / name / path.name, as_version=4)
        diffs = differences(student, released)
        if diffs:
            raise CourseworkError(f"{name}: the release differs from notebooks/{path.name}:\n" + "\n".join(diffs))
        names.append(name)
        print(f"released {name}: {len(exercises(released, name))} check cells, "
              f"{sum(c.metadata['nbgrader']['points'] for c in released.cells if c.metadata.get('nbgrader', {}).get('grade')):g} points",
              file=out)
    return names


def differences(student, released) -> list[str]:
    """Cells of the release whose source is not the student notebook's."""
    if len(student.cells) != len(released.cells):
        return [f"{len(released.cells)} cells, not {len(student.cells)}"]
    return [f"cell {i}:\n--- release\n{b.source}\n--- notebooks/\n{a.source}"
            for i, (a, b) in enumerate(zip(student.cells, released.cells))
            if a.source != b.source or a.cell_type != b.cell_type]


# ---- autograding ------------------------------------------------------------------------


@dataclasses.dataclass
class CellResult:
    student: str
    assignment: str
    notebook: str
    cell: str
    score: float
    max_score: float
    reason: str


@dataclasses.dataclass
class Result:
    student: str
    assignment: str
    score: float
    max_score: float
    seconds: float
    cells: list
    error: str = ""
    note: str = ""


def reasons(nb) -> dict[str, str]:
    """What the grader said in each test cell of an autograded notebook."""
    out = {}
    for c in nb.cells:
        meta = c.metadata.get("nbgrader", {})
        if c.cell_type != "code" or not meta.get("grade"):
            continue
        lines = []
        for o in c.get("outputs", []):
            if o.get("output_type") == "error" and o.get("ename") == "NotPassed":
                lines.append(o.get("evalue", ""))
            elif o.get("output_type") == "stream":
                lines += [l for l in o.get("text", "").splitlines() if l.startswith("✗ ")]
        out[meta["grade_id"]] = " ".join(" ".join(lines).split())[:2000]
    return out


def prepare_submission(adir: pathlib.Path, assignment: str, dest: pathlib.Path) -> str:
    """Copies the submission to dest, checking that its notebook is there and
    is a valid notebook; returns a note for the instructor ("" if none).
    Raises CourseworkError with one clear line otherwise."""
    expected = f"{assignment}.ipynb"
    nbs = sorted(p.name for p in adir.glob("*.ipynb"))
    note = ""
    dest.mkdir(parents=True)
    if expected in nbs:
        src = adir / expected
    elif len(nbs) == 1:
        src, note = adir / nbs[0], f"graded {nbs[0]} as {expected} (renamed)"
    elif not nbs:
        raise CourseworkError(f"no notebook in the submission (expected {expected})")
    else:
        raise CourseworkError(f"no {expected} in the submission, and {len(nbs)} other notebooks: {', '.join(nbs[:5])}")
    if src.stat().st_size > 50 << 20:
        raise CourseworkError(f"{src.name} is {src.stat().st_size >> 20} MB: at most 50 MB")
    try:
        nb = nbformat.read(src, as_version=4)
        nbformat.validate(nb)
    except Exception as e:
        raise CourseworkError(f"{src.name} is not a valid notebook: {' '.join(str(e).split())[:200]}") from None
    nbformat.write(nb, dest / expected)
    return note


def grade_one(course: pathlib.Path, submitted: pathlib.Path, student: str, assignment: str, out: pathlib.Path) -> Result:
    """Grades one submission (in this process)."""
    import warnings

    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning
    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader 0.9.6 with SQLAlchemy 2.1

    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        work = pathlib.Path(tmp) / "course"
        (work / "submitted" / student).mkdir(parents=True)
        shutil.copy(course / "gradebook.db", work / "gradebook.db")
        try:
            note = prepare_submission(submitted, assignment, work / "submitted" / student / assignment)
        except CourseworkError as e:
            return Result(student, assignment, 0, 0, time.monotonic() - start, [], f"not graded: {e}")
        api = nbgrader_api(work)
        r = api.autograde(assignment, student, force=True, create=True)
        graded = work / "autograded" / student / assignment
        log = r.get("log", "") or ""
        (out / "logs").mkdir(parents=True, exist_ok=True)
        (out / "logs" / f"{student}-{assignment}.log").write_text(log)
        if not r["success"] or not graded.exists():
            return Result(student, assignment, 0, 0, time.monotonic() - start, [], "nbgrader autograde failed: " + nbgrader_error(r))
        api.generate_feedback(assignment, student, force=True)
        for sub in ("autograded", "feedback"):
            src = work / sub / student / assignment
            if src.exists():
                dst = out / sub / student / assignment
                shutil.rmtree(dst, ignore_errors=True)
                shutil.copytree(src, dst)
        cells = []
        with Gradebook(f"sqlite:///{work / 'gradebook.db'}") as gb:
            sub = gb.find_submission(assignment, student)
            score, max_score = sub.score, sub.max_score
            for snb in sub.notebooks:
                why = {}
                path = graded / f"{snb.name}.ipynb"
                if path.exists():
                    why = reasons(nbformat.read(path, as_version=4))
                for g in sorted(snb.grades, key=lambda g: g.name):
                    if g.max_score:
                        cells.append(CellResult(student, assignment, snb.name, g.name, g.score, g.max_score, why.get(g.name, "")))
        return Result(student, assignment, score, max_score, time.monotonic() - start, cells, note=note)


def nbgrader_error(r: dict) -> str:
    """One line from nbgrader's error and log."""
    text = (r.get("error") or "") + "\n" + (r.get("log") or "")
    for pat in (r"(\w*Error: [^\n]{0,200})", r"\[ERROR\] ([^\n]{0,200})"):
        m = re.findall(pat, text)
        if m:
            return " ".join(m[-1].split())
    return " ".join(text.split())[-200:] or "unknown error"


def _grade_in_subprocess(course, adir, student, assignment, out, slot, budget) -> Result:
    """Grades one submission in a child process with a hard time limit."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        result_path = f.name
    cmd = [sys.executable, str(HERE / "coursework.py"), "grade-one", "--course", str(course), "--out", str(out),
           "--result", result_path, str(adir), student, assignment]
    env = dict(os.environ, COURSE_GRADING_SLOT=str(slot))
    start = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=budget)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        os.unlink(result_path)
        return Result(student, assignment, 0, 0, time.monotonic() - start, [], f"grading took longer than {budget} s and was stopped")
    try:
        data = json.loads(pathlib.Path(result_path).read_text())
        data["cells"] = [CellResult(**c) for c in data["cells"]]
        return Result(**data)
    except (OSError, ValueError, TypeError):
        tail = " ".join(output.split())[-300:]
        return Result(student, assignment, 0, 0, time.monotonic() - start, [], f"grading failed: {tail or 'no result'}")
    finally:
        if os.path.exists(result_path):
            os.unlink(result_path)


def autograde(submissions: pathlib.Path, out: pathlib.Path, course: pathlib.Path = DEFAULT_COURSE,
              jobs: int | None = None, log=sys.stdout) -> list[Result]:
    """Grades submissions/<student>/<assignment>/*.ipynb, jobs at a time;
    writes out/scores.csv, out/cells.csv, out/autograded/, out/feedback/ and
    nbgrader's log per submission in out/logs/."""
    if not (course / "gradebook.db").exists():
        raise CourseworkError(f"no gradebook in {course}: run ./coursework/release.sh first")
    if not submissions.is_dir():
        raise CourseworkError(f"{submissions} is not a directory of submissions (SUBMISSIONS/<student>/<lesson>/<lesson>.ipynb)")
    out.mkdir(parents=True, exist_ok=True)
    released = {p.name for p in (course / "release").iterdir()} if (course / "release").exists() else set()
    jobs = max(1, jobs or os.cpu_count() or 1)
    # Build the grading tools once, before any submission runs.
    os.environ["COURSE_JUDGE_BIN"] = gonbgrader.tool("judge")
    os.environ["COURSE_GOCACHEOVERLAY_BIN"] = gonbgrader.tool("gocacheoverlay")
    budget = int(os.environ.get("COURSE_NOTEBOOK_BUDGET", "900")) + 300
    todo, results = [], []
    for sdir in sorted(p for p in submissions.iterdir() if p.is_dir()):
        for adir in sorted(p for p in sdir.iterdir() if p.is_dir()):
            student, assignment = sdir.name, adir.name
            if not NAME_OK.match(student):
                results.append(Result(student, assignment, 0, 0, 0, [], "not graded: student IDs are 1-64 letters, digits, '.', '_', '-' or '@'"))
            elif assignment not in released:
                results.append(Result(student, assignment, 0, 0, 0, [], f"not graded: no released assignment {assignment!r}"))
            else:
                todo.append((adir, student, assignment))
    for r in results:
        print(f"{r.student:<20} {r.assignment:<34} {r.error}", file=log)
    start = time.monotonic()
    slots = list(range(jobs))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        import threading
        lock = threading.Lock()

        def run(item):
            with lock:
                slot = slots.pop()
            try:
                return _grade_in_subprocess(course, item[0], item[1], item[2], out, slot, budget)
            finally:
                with lock:
                    slots.append(slot)
        for res in pool.map(run, todo):
            results.append(res)
            print(f"{res.student:<20} {res.assignment:<34} {res.score:5.1f} / {res.max_score:<5.1f} graded in {res.seconds:5.1f} s"
                  + (f"  {res.error}" if res.error else "") + (f"  ({res.note})" if res.note else ""), file=log)
    elapsed = time.monotonic() - start
    with open(out / "scores.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "assignment", "score", "max_score", "grading_seconds", "error", "note"])
        for r in results:
            w.writerow([r.student, r.assignment, r.score, r.max_score, f"{r.seconds:.1f}", r.error, r.note])
    with open(out / "cells.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "assignment", "notebook", "cell", "score", "max_score", "reason"])
        for r in results:
            for c in r.cells:
                w.writerow([c.student, c.assignment, c.notebook, c.cell, c.score, c.max_score, c.reason])
    rate = len(todo) / elapsed * 60 if elapsed > 0 else 0
    print(f"graded {len(todo)} notebooks in {elapsed:.0f} s with {jobs} at a time: {rate:.1f} notebooks per minute", file=log)
    print(f"wrote {out / 'scores.csv'} and {out / 'cells.csv'}", file=log)
    return results


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("release", help="build the instructor notebooks and the student release")
    r.add_argument("--course", type=pathlib.Path, default=DEFAULT_COURSE)
    r.add_argument("notebooks", nargs="*", type=pathlib.Path)
    a = sub.add_parser("autograde", help="grade SUBMISSIONS/<student>/<assignment>/*.ipynb")
    a.add_argument("--course", type=pathlib.Path, default=DEFAULT_COURSE)
    a.add_argument("-j", "--jobs", type=int, default=None, help="submissions graded at a time (default: the number of cores)")
    a.add_argument("submissions", type=pathlib.Path)
    a.add_argument("out", type=pathlib.Path, nargs="?", default=HERE / "grades")
    g = sub.add_parser("grade-one", help=argparse.SUPPRESS)
    g.add_argument("--course", type=pathlib.Path, required=True)
    g.add_argument("--out", type=pathlib.Path, required=True)
    g.add_argument("--result", type=pathlib.Path, required=True)
    g.add_argument("submitted", type=pathlib.Path)
    g.add_argument("student")
    g.add_argument("assignment")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "release":
            nbs = [p.resolve() for p in args.notebooks] or lesson_notebooks()
            names = release(args.course.resolve(), nbs)
            print(f"student release: {args.course / 'release'} ({len(names)} lessons); "
                  f"instructor versions: {args.course / 'source'}")
        elif args.cmd == "grade-one":
            try:
                res = grade_one(args.course, args.submitted, args.student, args.assignment, args.out)
            except Exception as e:  # one broken submission must not stop the others
                res = Result(args.student, args.assignment, 0, 0, 0, [], f"grading failed: {type(e).__name__}: {' '.join(str(e).split())[:300]}")
            args.result.write_text(json.dumps(dataclasses.asdict(res)))
        else:
            if args.jobs is not None and not 1 <= args.jobs <= 64:
                raise CourseworkError(f"-j {args.jobs}: allowed 1..64")
            res = autograde(args.submissions.resolve(), args.out.resolve(), args.course.resolve(), args.jobs)
            if any(r.error for r in res):
                return 1
    except CourseworkError as e:
        print(f"coursework: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
