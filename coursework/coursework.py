"""The lessons as nbgrader assignments: build, release, autograde.

    python coursework/coursework.py release [NOTEBOOK...]      # ./coursework/release.sh
    python coursework/coursework.py autograde SUBMISSIONS [OUT] # ./coursework/autograde.sh

The committed notebooks in notebooks/ are the student version: every answer
cell holds a stub between `// BEGIN ANSWER` and `// END ANSWER` (or nbgrader's
`// BEGIN SOLUTION` and `// END SOLUTION`), and a check cell after it calls
`show.Check("Exercise N", lesson.CheckX(answer))`. The instructor version
(nbgrader's source/<lesson>/<lesson>.ipynb) is built from them and from the
lesson's solutions file, lessons/<topic>/solutions/<notebook>.go.txt:

    //== answer: Exercise 1          what goes between the markers of the answer
    var prediction = ...             cell checked by show.Check("Exercise 1", ...)
    //== hidden tests: Exercise 2    more Go statements for that check cell,
    show.Require("...", ...)         run only by the grader
    //== points: Exercise 1 = 2      points of the check cell (default: one per
                                     show.Check in it)

In the source notebook an answer cell is an nbgrader solution cell (its
region between `// BEGIN SOLUTION` and `// END SOLUTION` holds the solution,
and its metadata the lesson's stub); a check cell is an autograded test cell,
locked, whose hidden tests (`// BEGIN HIDDEN TESTS` ... `// END HIDDEN
TESTS`) repeat every show.Check as show.Require, which fails the cell under
the grader; the imports cell and declaration cells the checks use are locked
read-only cells. `nbgrader generate_assignment` (configured by
nbgrader_config.py) turns it back into exactly the student notebook, with
nbgrader's metadata.

Autograding runs every submission in its own temporary course directory that
holds only the gradebook and that submission: no other student's work and no
solutions are on the paths a submission can see from where it runs.
"""
from __future__ import annotations

import argparse
import copy
import csv
import dataclasses
import pathlib
import re
import secrets
import shutil
import sys
import tempfile
import time

import nbformat

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
NOTEBOOKS = ROOT / "notebooks"
LESSONS = ROOT / "lessons"
DEFAULT_COURSE = HERE / "build"

BEGIN = re.compile(r"^(\s*)//\s*BEGIN (ANSWER|SOLUTION)\s*$")
END = re.compile(r"^\s*//\s*END (ANSWER|SOLUTION)\s*$")
CHECK_CALL = "show.Check("
CHECK_NAME = re.compile(r'show\.Check\(\s*"((?:[^"\\]|\\.)*)"')
SECTION = re.compile(r"^//==\s*(answer|hidden tests|points):\s*(.*?)\s*$")
DECL = re.compile(r"^(?:var|const|func|type)\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)", re.M)
NAME_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class CourseworkError(Exception):
    pass


# ---- reading lessons --------------------------------------------------------


@dataclasses.dataclass
class Exercise:
    names: list[str]  # the show.Check names of the check cell
    check: int  # index of the check cell
    answers: list[int]  # indices of the answer cells before it

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


def exercises(nb) -> list[Exercise]:
    """The exercises of a lesson: each check cell with the answer cells
    since the previous check cell."""
    found, pending = [], []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if answer_region(cell.source):
            pending.append(i)
        if CHECK_CALL in cell.source:
            names = [m.group(1) for m in CHECK_NAME.finditer(cell.source)]
            if not names:
                raise CourseworkError(f"cell {i}: show.Check without a literal name")
            found.append(Exercise(names, i, pending))
            pending = []
    if pending:
        raise CourseworkError(f"answer cells {pending} have no check cell after them")
    return found


def lesson_notebooks() -> list[pathlib.Path]:
    """Lesson notebooks with at least one exercise."""
    out = []
    for p in sorted(NOTEBOOKS.glob("*.ipynb")):
        if exercises(nbformat.read(p, as_version=4)):
            out.append(p)
    return out


def solutions_file(notebook: pathlib.Path) -> pathlib.Path:
    found = sorted(LESSONS.glob(f"*/solutions/{notebook.stem}.go.txt"))
    if len(found) != 1:
        raise CourseworkError(f"{notebook.name}: expected one solutions file lessons/<topic>/solutions/{notebook.stem}.go.txt, found {len(found)}")
    return found[0]


@dataclasses.dataclass
class Solutions:
    answers: dict[str, str]
    hidden: dict[str, str]
    points: dict[str, float]


def read_solutions(path: pathlib.Path) -> Solutions:
    sol = Solutions({}, {}, {})
    kind, key, lines = None, None, []

    def flush():
        if kind is None:
            return
        text = "\n".join(lines).strip("\n")
        if kind == "answer":
            sol.answers[key] = text
        elif kind == "hidden tests":
            sol.hidden[key] = text
    for n, line in enumerate(path.read_text().split("\n"), 1):
        m = SECTION.match(line)
        if not m:
            lines.append(line)
            continue
        flush()
        kind, key, lines = m.group(1), m.group(2), []
        if kind == "points":
            name, _, value = key.rpartition("=")
            try:
                sol.points[name.strip()] = float(value)
            except ValueError:
                raise CourseworkError(f"{path}:{n}: expected '//== points: NAME = N'") from None
            kind = None
    flush()
    return sol


# ---- the instructor (source) notebook -----------------------------------------


def call_text(source: str, start: int) -> str:
    """The text of the call starting at source[start] ("show.Check(...)")."""
    depth, i, quote = 0, start, None
    while i < len(source):
        ch = source[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"`'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return source[start:i + 1]
        i += 1
    raise CourseworkError(f"unbalanced show.Check call:\n{source[start:start + 200]}")


IMPORT_LINE = re.compile(r'^\s*(?:import\s+)?(?:([A-Za-z_]\w*|\.)\s+)?"([^"]+)"\s*$')


def imports(source: str) -> dict[str, str]:
    """Package name (or alias) -> import path, for the imports cell."""
    out = {}
    for line in source.split("\n"):
        m = IMPORT_LINE.match(line)
        if not m or m.group(1) in (".", "_"):
            continue
        path = m.group(2)
        parts = path.split("/")
        name = parts[-2] if re.fullmatch(r"v\d+", parts[-1]) and len(parts) > 1 else parts[-1]
        out[m.group(1) or name] = path
    return out


def requalify(code: str, names: dict[str, str], prefix: str, used: set[str]) -> str:
    """code with every `pkg.` of an imported package pkg written `<prefix>pkg.`
    (outside strings and comments); adds the packages it rewrote to used."""
    out, i = [], 0
    ident = re.compile(r"[A-Za-z_]\w*")
    while i < len(code):
        ch = code[i]
        if ch in "\"`'":
            j = i + 1
            while j < len(code) and code[j] != ch:
                j += 2 if code[j] == "\\" and ch != "`" else 1
            out.append(code[i:j + 1])
            i = j + 1
        elif code.startswith("//", i):
            j = code.find("\n", i)
            j = len(code) if j < 0 else j
            out.append(code[i:j])
            i = j
        else:
            m = ident.match(code, i)
            if m:
                word = m.group(0)
                prev = code[i - 1] if i else ""
                if word in names and code.startswith(".", m.end()) and prev != ".":
                    out.append(prefix + word)
                    used.add(word)
                else:
                    out.append(word)
                i = m.end()
            else:
                out.append(ch)
                i += 1
    return "".join(out)


def with_hidden_tests(source: str, extra: str, names: dict[str, str], prefix: str) -> str:
    """The check cell with a hidden-tests region after each show.Check call
    (the same call as show.Require) and one at the end with extra tests.

    A GoNB cell can replace an imported package's name by declaring a
    variable of that name (`var show = fakeShow{}`; GoNB keeps the latest
    declaration), so the hidden tests reach the packages through aliases the
    student never sees (prefix, random per build), imported in a hidden region
    at the top of the cell."""
    out, pos, used = [], 0, set()
    for m in re.finditer(re.escape(CHECK_CALL), source):
        if m.start() < pos:
            continue
        call = call_text(source, m.start())
        end = source.find("\n", m.start() + len(call))
        end = len(source) if end < 0 else end
        line_start = source.rfind("\n", 0, m.start()) + 1
        indent = re.match(r"[ \t]*", source[line_start:]).group(0)
        require = requalify("show.Require" + call[len("show.Check"):], names, prefix, used)
        out.append(source[pos:end])
        out.append(f"\n{indent}// BEGIN HIDDEN TESTS\n{indent}{require}\n{indent}// END HIDDEN TESTS")
        pos = end
    out.append(source[pos:])
    text = "".join(out)
    if extra:
        text = text.rstrip("\n") + "\n// BEGIN HIDDEN TESTS\n" + requalify(extra, names, prefix, used) + "\n// END HIDDEN TESTS"
    if used:
        block = "\n".join(f'\t{prefix}{n} "{names[n]}"' for n in sorted(used))
        text = f"// BEGIN HIDDEN TESTS\nimport (\n{block}\n)\n// END HIDDEN TESTS\n" + text
    return text


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
    exs = exercises(nb)
    if not exs:
        raise CourseworkError(f"{path.name}: no exercises (no show.Check cells)")
    sol = read_solutions(solutions_file(path))
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    used, ids = set(), set()
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    names = imports(code_cells[0].source) if code_cells else {}
    prefix = f"grader{secrets.token_hex(3)}_"

    def unique(base: str) -> str:
        gid, n = base, 2
        while gid in ids:
            gid, n = f"{base}-{n}", n + 1
        ids.add(gid)
        return gid
    missing, known = [], set()
    for ex in exs:
        key = next((n for n in ex.names if n in sol.answers), ex.names[0])
        for k, idx in enumerate(ex.answers):
            akey = key if k == 0 else f"{key} #{k + 1}"
            known.add(akey)
            if akey not in sol.answers:
                missing.append(akey)
                continue
            cell = nb.cells[idx]
            first, last, indent = answer_region(cell.source)
            lines = cell.source.split("\n")
            stub = "\n".join(l[len(indent):] if l.startswith(indent) else l for l in lines[first:last + 1])
            solution = "\n".join(indent + l if l else l for l in sol.answers[akey].split("\n"))
            lines[first:last + 1] = [f"{indent}// BEGIN SOLUTION", solution, f"{indent}// END SOLUTION"]
            cell.source = "\n".join(lines)
            cell.metadata["nbgrader"] = nbgrader_meta(unique(f"{ex.slug}-answer"), solution=True)
            cell.metadata.setdefault("course", {})["stub"] = stub
        cell = nb.cells[ex.check]
        hidden = next((sol.hidden[n] for n in ex.names if n in sol.hidden), "")
        points = next((sol.points[n] for n in ex.names if n in sol.points), float(len(ex.names)))
        used |= set(re.findall(r"[A-Za-z_]\w*", cell.source + "\n" + hidden))
        cell.source = with_hidden_tests(cell.source, hidden, names, prefix)
        cell.metadata["nbgrader"] = nbgrader_meta(unique(f"{ex.slug}-check"), grade=True, locked=True, points=points)
        known.update(ex.names)
    if missing:
        raise CourseworkError(f"{path.name}: no solution in {solutions_file(path).relative_to(ROOT)} for: {', '.join(missing)}")
    unused = sorted((set(sol.answers) | set(sol.hidden) | set(sol.points)) - known)
    if unused:
        raise CourseworkError(f"{path.name}: the solutions file names checks the notebook does not have: {', '.join(unused)}")
    # Lock the imports cell and the declaration cells the checks depend on:
    # the grader restores them from the instructor version.
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    graded = {ex.check for ex in exs} | {i for ex in exs for i in ex.answers}
    for i in code:
        cell = nb.cells[i]
        if i in graded or is_main(cell.source):
            continue
        if i == code[0] or declared_names(cell.source) & used:
            cell.metadata["nbgrader"] = nbgrader_meta(unique(f"locked-{i}"), locked=True)
    return nb


def reduced(nb):
    """The cells grading depends on: declarations (imports, answers, ...)
    and check cells, without the lesson's experiments. For quick tests."""
    out = copy.deepcopy(nb)
    out.cells = [c for c in nb.cells if c.cell_type == "code" and (not is_main(c.source) or CHECK_CALL in c.source)]
    return out


# ---- nbgrader ------------------------------------------------------------------


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
        print(f"released {name}: {len(exercises(released))} exercises, "
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


# ---- autograding ---------------------------------------------------------------


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
    cells: list[CellResult]
    error: str = ""


def reasons(nb) -> dict[str, str]:
    """Why each failed test cell of an autograded notebook scored 0."""
    out = {}
    for c in nb.cells:
        meta = c.metadata.get("nbgrader", {})
        if c.cell_type != "code" or not meta.get("grade"):
            continue
        errs = [o for o in c.get("outputs", []) if o.get("output_type") == "error"]
        mine = [o for o in errs if o.get("ename") == "NotPassed"]
        if mine:
            out[meta["grade_id"]] = mine[-1].get("evalue", "")
        elif errs:
            out[meta["grade_id"]] = f"{errs[-1].get('ename')}: {errs[-1].get('evalue')}"
        elif any(o.get("output_type") == "stream" and o.get("name") == "stderr" for o in c.get("outputs", [])):
            out[meta["grade_id"]] = "the cell wrote to stderr"
    return out


def grade_one(course: pathlib.Path, submitted: pathlib.Path, student: str, assignment: str, out: pathlib.Path) -> Result:
    from nbgrader.api import Gradebook

    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        work = pathlib.Path(tmp) / "course"
        (work / "submitted" / student).mkdir(parents=True)
        shutil.copy(course / "gradebook.db", work / "gradebook.db")
        shutil.copytree(submitted, work / "submitted" / student / assignment)
        api = nbgrader_api(work)
        start = time.monotonic()
        r = api.autograde(assignment, student, force=True, create=True)
        seconds = time.monotonic() - start
        graded = work / "autograded" / student / assignment
        if not r["success"] or not graded.exists():
            return Result(student, assignment, 0, 0, seconds, [], f"nbgrader autograde failed: {r.get('error', '')} {r.get('log', '')[-2000:]}")
        api.generate_feedback(assignment, student, force=True)
        (out / "logs").mkdir(parents=True, exist_ok=True)
        (out / "logs" / f"{student}-{assignment}.log").write_text(r.get("log", ""))
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
                    cells.append(CellResult(student, assignment, snb.name, g.name, g.score, g.max_score, why.get(g.name, "")))
        return Result(student, assignment, score, max_score, seconds, cells)


def autograde(submissions: pathlib.Path, out: pathlib.Path, course: pathlib.Path = DEFAULT_COURSE, log=sys.stdout) -> list[Result]:
    """Grades submissions/<student>/<assignment>/*.ipynb; writes
    out/scores.csv, out/cells.csv, out/autograded/, out/feedback/ and
    nbgrader's log per submission in out/logs/."""
    import warnings

    from sqlalchemy.exc import SAWarning
    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader 0.9.6 with SQLAlchemy 2.1
    if not (course / "gradebook.db").exists():
        raise CourseworkError(f"no gradebook in {course}: run ./coursework/release.sh first")
    out.mkdir(parents=True, exist_ok=True)
    released = {p.name for p in (course / "release").iterdir()} if (course / "release").exists() else set()
    results = []
    for sdir in sorted(p for p in submissions.iterdir() if p.is_dir()):
        for adir in sorted(p for p in sdir.iterdir() if p.is_dir()):
            student, assignment = sdir.name, adir.name
            if not NAME_OK.match(student) or assignment not in released:
                results.append(Result(student, assignment, 0, 0, 0, [], f"not graded: unknown assignment {assignment!r} or bad student id"))
                print(f"{student:<20} {assignment:<34} not graded: {results[-1].error}", file=log)
                continue
            try:
                res = grade_one(course, adir, student, assignment, out)
            except Exception as e:  # one broken submission must not stop the others
                res = Result(student, assignment, 0, 0, 0, [], f"grading failed: {type(e).__name__}: {e}")
            results.append(res)
            print(f"{student:<20} {assignment:<34} {res.score:5.1f} / {res.max_score:<5.1f} graded in {res.seconds:5.1f} s"
                  + (f"  ERROR {res.error[:200]}" if res.error else ""), file=log)
    with open(out / "scores.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "assignment", "score", "max_score", "grading_seconds", "error"])
        for r in results:
            w.writerow([r.student, r.assignment, r.score, r.max_score, f"{r.seconds:.1f}", r.error])
    with open(out / "cells.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "assignment", "notebook", "cell", "score", "max_score", "reason"])
        for r in results:
            for c in r.cells:
                w.writerow([c.student, c.assignment, c.notebook, c.cell, c.score, c.max_score, c.reason])
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
    a.add_argument("submissions", type=pathlib.Path)
    a.add_argument("out", type=pathlib.Path, nargs="?", default=HERE / "grades")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "release":
            nbs = [p.resolve() for p in args.notebooks] or lesson_notebooks()
            names = release(args.course.resolve(), nbs)
            print(f"student release: {args.course / 'release'} ({len(names)} lessons); "
                  f"instructor versions: {args.course / 'source'}")
        else:
            res = autograde(args.submissions.resolve(), args.out.resolve(), args.course.resolve())
            if any(r.error for r in res):
                return 1
    except CourseworkError as e:
        print(f"coursework: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
