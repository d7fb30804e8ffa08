"""nbgrader preprocessors for Go lessons run by the GoNB kernel.

nbgrader does the bookkeeping (gradebook, autograded notebooks, feedback);
these preprocessors adapt it to Go and GoNB and move every decision out of
the process that runs students' code (nbgrader_config.py puts them into
nbgrader's pipelines):

ClearSolutionsKeepingStubs (generate_assignment)
    nbgrader's ClearSolutions puts one fixed stub per language in every
    solution region. A Go stub must compile where it stands, and each answer
    cell needs its own (`var mm1Mean float64 = 0`, a function returning 0);
    coursework.py records the lesson's own stub in the cell's metadata and
    this puts it back, so the release is exactly the notebook in notebooks/.

RestoreGradingMetadata, GoOverwriteCells, SanitizeGoNB (autograde, sanitize)
    Put the nbgrader metadata of every known cell back as the instructor
    made it (a student who edits "grade", "points" or "locked" changes
    nothing; unknown grade ids are dropped), restore deleted or stripped
    test cells as Go (nbgrader's own restore writes a Python comment, which
    GoNB cannot compile) after the nearest cell that is still there, and
    comment out GoNB special commands (`!shell`, `%env`, ...) in the cells a
    student can edit.

StartJudge, SandboxedExecute, ApplyVerdicts (autograde)
    StartJudge starts the judge (coursework/cmd/judge), a process of the
    grader that the student's code cannot reach, on a Unix socket.
    SandboxedExecute runs the notebook in a GoNB kernel inside the
    bubblewrap sandbox (sandbox.py) that can reach that socket and nothing
    of the grader; the notebook's checks hand their answers over. It skips
    the `%%` cells that are not test cells (the lesson's experiments): each
    is a program of its own whose declarations reach no other cell. A cell that
    runs out of time is interrupted; when even an empty cell cannot run
    afterwards (an endless loop in an init function), or the notebook's time
    budget is used up, the remaining cells are marked as not run instead of
    each waiting for its own time limit. ApplyVerdicts stops the judge,
    reads its verdicts and rewrites each test cell's outputs so that
    nbgrader's own scoring gives exactly the judge's points: the verdict
    lines first (so no output cap can hide them), then what the cell
    printed; stderr from a passing cell never costs points.
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import pathlib
import re
import secrets
import subprocess
import tempfile
import time

from nbformat.notebooknode import NotebookNode
from traitlets import Integer, Unicode

from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.preprocessors import ClearSolutions, Execute, NbGraderPreprocessor, OverwriteCells

import sandbox

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent

# GoNB special commands, also in their //gonb: form. "%%" and "%main" alone
# (the rest of the cell is main's body) are ordinary lesson code.
SPECIAL = re.compile(r"^\s*(//gonb:)?\s*(!|%)")
PLAIN_MAIN = re.compile(r"^\s*(//gonb:)?\s*(%%|%main)\s*$")
# The exercises a check cell checks: `<pkg>.<Exercise var>.Check(`.
CHECK_CALL = re.compile(r"\b[A-Za-z_]\w*\.([A-Z]\w*)\.Check\(")


class ClearSolutionsKeepingStubs(ClearSolutions):
    """ClearSolutions that restores each answer cell's own stub."""

    def _replace_solution_region(self, cell: NotebookNode, language: str) -> bool:
        course = cell.metadata.get("course", {})
        stub = course.get("stub")
        if cell.cell_type != "code" or stub is None:
            return super()._replace_solution_region(cell, language)
        saved = self.code_stub
        self.code_stub = dict(saved, **{language: stub})
        try:
            replaced = super()._replace_solution_region(cell, language)
        finally:
            self.code_stub = saved
        del course["stub"]
        if not course:
            del cell.metadata["course"]
        return replaced


# ---- sanitizing a submission ----------------------------------------------------------


def _source_cells(resources):
    """The instructor's cells of this notebook, from the gradebook:
    grade_id -> (source cell, is grade cell, points, is solution cell)."""
    nbr = resources["nbgrader"]
    with Gradebook(nbr["db_url"]) as gb:
        snb = gb.find_notebook(nbr["notebook"], nbr["assignment"])
        grades = {c.name: c.max_score for c in snb.grade_cells}
        solutions = {c.name for c in snb.solution_cells}
        out = {}
        for c in snb.source_cells:
            out[c.name] = dict(source=c.source, cell_type=c.cell_type, locked=bool(c.locked),
                               grade=c.name in grades, points=grades.get(c.name), solution=c.name in solutions)
        order = [c.name for c in snb.source_cells]
    return out, order


class RestoreGradingMetadata(NbGraderPreprocessor):
    """Makes every cell's nbgrader metadata the instructor's."""

    def preprocess(self, nb, resources):
        known, _ = _source_cells(resources)
        seen = set()
        for i, cell in enumerate(nb.cells):
            meta = cell.metadata.get("nbgrader")
            if meta is None:
                continue
            gid = meta.get("grade_id") if isinstance(meta, dict) else None
            if not isinstance(gid, str) or gid not in known or gid in seen:
                # Unknown, duplicated or malformed: a plain cell now.
                self.log.warning("cell %d: nbgrader metadata %r dropped", i, gid)
                del cell.metadata["nbgrader"]
                continue
            seen.add(gid)
            k = known[gid]
            fixed = {"grade": k["grade"], "grade_id": gid, "locked": k["locked"], "schema_version": 3,
                     "solution": k["solution"], "task": False}
            if k["grade"]:
                fixed["points"] = k["points"]
            if "checksum" in meta:
                fixed["checksum"] = meta["checksum"]
            changed = [k for k in ("grade", "solution", "locked", "points") if k in fixed and meta.get(k) != fixed[k]]
            if changed:
                self.log.warning("cell %d (%s): nbgrader metadata restored (%s)", i, gid, ", ".join(changed))
            cell.metadata["nbgrader"] = fixed
            if cell.cell_type != k["cell_type"]:
                cell.cell_type = k["cell_type"]
                if cell.cell_type == "code":
                    cell.setdefault("outputs", [])
                    cell.setdefault("execution_count", None)
                else:
                    cell.pop("outputs", None)
                    cell.pop("execution_count", None)
        return nb, resources


def go_restored_source(source: str, cell_id: str) -> str:
    """A restored cell's source with a Go comment saying so (after a leading
    `%%` line, which GoNB wants first)."""
    note = f"// This cell ({cell_id}) was missing from the submission; the grader put it back."
    lines = source.split("\n")
    if lines and PLAIN_MAIN.match(lines[0]):
        return "\n".join([lines[0], note] + lines[1:])
    return note + "\n" + source


class GoOverwriteCells(OverwriteCells):
    """OverwriteCells that restores missing test cells as Go, after the
    nearest earlier cell that is still in the submission."""

    def add_missing_grade_cells(self, nb, resources):
        known, order = _source_cells(resources)
        present = {}
        for idx, cell in enumerate(nb.cells):
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid:
                present[gid] = idx
        for gid in order:
            k = known[gid]
            if not k["grade"] or gid in present:
                continue
            self.log.warning("test cell %s is missing: putting it back", gid)
            cell = NotebookNode({
                "cell_type": k["cell_type"],
                "metadata": {"deletable": False, "editable": False, "nbgrader": {
                    "grade": True, "grade_id": gid, "locked": k["locked"], "points": k["points"],
                    "schema_version": 3, "solution": False, "task": False}},
                "source": go_restored_source(k["source"], gid) if k["cell_type"] == "code" else k["source"],
            })
            if cell.cell_type == "code":
                cell["outputs"], cell["execution_count"] = [], None
            pos = order.index(gid)
            prev = next((present[p] for p in reversed(order[:pos]) if p in present), -1)
            nb.cells.insert(prev + 1, cell)
            present = {p: (i + 1 if i > prev else i) for p, i in present.items()}
            present[gid] = prev + 1
        return nb, resources



class SanitizeGoNB(NbGraderPreprocessor):
    """Comments out GoNB special commands in cells students can edit."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or utils.is_locked(cell) or utils.is_grade(cell):
            return cell, resources
        lines = cell.source.split("\n")
        changed = False
        for i, line in enumerate(lines):
            if SPECIAL.match(line) and not PLAIN_MAIN.match(line):
                lines[i] = "// [grader] GoNB command removed: " + line.strip()
                changed = True
        if changed:
            self.log.warning("cell %d: GoNB special commands commented out", index)
            cell.source = "\n".join(lines)
        return cell, resources


# ---- the judge -------------------------------------------------------------------------


def tool(name: str) -> str:
    """Path of a grading tool (coursework/cmd/<name>), built from the clone if
    needed. COURSE_<NAME>_BIN overrides (coursework.py builds them once per
    run, before any submission runs)."""
    env = os.environ.get(f"COURSE_{name.upper()}_BIN")
    if env:
        return env
    out = HERE / "build" / ".bin" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["go", "build", "-o", str(out), f"./coursework/cmd/{name}"], cwd=ROOT, check=True,
                   capture_output=True, text=True)
    return str(out)


class Judge:
    """A judge process serving one notebook's checks."""

    def __init__(self, lesson: str, student: str, workdir: pathlib.Path):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="judge-", dir=workdir))
        os.chmod(self.dir, 0o755)
        self.socket = str(self.dir / "judge.sock")
        self.seed = secrets.randbits(63)
        self.proc = subprocess.Popen(
            [tool("judge"), "serve", "-lesson", lesson, "-student", student, "-seed", str(self.seed), "-socket", self.socket],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if line.strip() != "ready":
            err = self.proc.stderr.read()
            raise RuntimeError(f"the judge did not start: {line.strip()} {err.strip()}")

    def finish(self) -> dict:
        try:
            out, err = self.proc.communicate(input="", timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
        try:
            return json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise RuntimeError(f"the judge gave no verdicts: {err.strip()[-500:]}")


def _student_id(resources) -> str:
    sid = resources.get("nbgrader", {}).get("student") or ""
    clean = re.sub(r"[^A-Za-z0-9._@-]", "_", sid)[:64]
    return clean or "unknown"


class StartJudge(NbGraderPreprocessor):
    """Starts the judge for this notebook."""

    def preprocess(self, nb, resources):
        lesson = resources["nbgrader"]["notebook"]
        work = pathlib.Path(tempfile.mkdtemp(prefix="course-grading-"))
        os.chmod(work, 0o755)
        resources["course_workdir"] = str(work)
        resources["course_judge"] = Judge(lesson, _student_id(resources), work)
        return nb, resources


class SandboxedExecute(Execute):
    """Execute in the bubblewrap sandbox, with a time budget per notebook."""

    notebook_budget = Integer(900, help="seconds a whole notebook may run").tag(config=True)
    probe_timeout = Integer(20, help="seconds an empty cell may take after a time-out (at least the cell time limit)").tag(config=True)
    slot = Integer(0, help="parallel grading slot (picks the sandbox user)").tag(config=True)

    def preprocess(self, nb, resources, km=None):
        from jupyter_client.manager import AsyncKernelManager

        judge = resources["course_judge"]
        work = pathlib.Path(resources["course_workdir"])
        tc = sandbox.Toolchain.detect()
        uid = sandbox.BASE_UID + int(os.environ.get("COURSE_GRADING_SLOT", self.slot))
        runtime = sandbox.new_runtime_dir(work, uid)
        cgroups, note = sandbox.make_cgroup(f"g{os.getpid()}-{secrets.token_hex(4)}", sandbox.MEMORY_MB, sandbox.PROCESSES)
        resources["course_cgroups"] = cgroups
        self.log.info("sandbox: %s", note)
        spec = sandbox.Spec(
            root=str(ROOT), venv_bin=str(pathlib.Path(os.environ.get("COURSE_VENV", ROOT / ".venv")) / "bin"),
            cacheprog=tool("gocacheoverlay"), goroot=tc.goroot, gomodcache=tc.gomodcache, gocache=tc.gocache,
            runtime_dir=str(runtime), judge_dir=str(judge.dir), student=_student_id(resources),
            socket=judge.socket, uid=uid, cgroup=cgroups)
        sandbox.bwrap_available()
        spec_path = work / "sandbox.json"
        spec_path.write_text(json.dumps(dataclasses.asdict(spec)))
        launcher = [os.environ.get("COURSE_PYTHON", "python3"), str(HERE / "sandbox.py"), "enter", str(spec_path), "--"]

        class Sandboxed(AsyncKernelManager):
            def format_kernel_cmd(self, extra_arguments=None):
                cmd = super().format_kernel_cmd(extra_arguments)
                if os.geteuid() == 0:
                    os.chown(self.connection_file, uid, uid)
                return launcher + cmd

        km = Sandboxed(kernel_name="gonb", config=self.config, transport="ipc",
                       connection_file=str(runtime / "kernel.json"))
        self.started = time.monotonic()
        self.stopped_reason = ""
        try:
            return super().preprocess(nb, resources, km=km)
        finally:
            sandbox.remove_cgroups(cgroups)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if PLAIN_MAIN.match(cell.source.lstrip().split("\n", 1)[0]) and not utils.is_grade(cell):
            # A %% cell is a program of its own: nothing it declares reaches
            # another cell, so the lesson's experiments need not run.
            cell.outputs = []
            return cell, resources
        if not self.stopped_reason and time.monotonic() - self.started > self.notebook_budget:
            self.stopped_reason = f"the notebook's time budget ({self.notebook_budget} s) was used up"
        if self.stopped_reason:
            cell.outputs = [_error("NotRun", f"not run: {self.stopped_reason}")]
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except Exception as e:  # a dead kernel, a broken channel
            self.stopped_reason = f"the kernel stopped ({type(e).__name__}: {str(e)[:200]}); memory or process limit?"
            cell.outputs.append(_error("NotRun", self.stopped_reason))
            return cell, resources
        if any(o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError" for o in cell.outputs):
            if not self._probe():
                self.stopped_reason = ("after a cell ran out of time, even an empty cell could not run "
                                       "(an endless loop in code that runs before every cell, such as an init function?)")
        return cell, resources

    def _probe(self) -> bool:
        """Whether an empty cell runs within probe_timeout."""
        probe = NotebookNode({"cell_type": "code", "source": "%%\n", "metadata": {}, "outputs": [], "execution_count": None, "id": "probe"})
        saved = self.timeout
        self.timeout = max(self.probe_timeout, saved or 0)
        try:
            self.execute_cell(probe, len(self.nb.cells), store_history=False)
        except Exception:
            return False
        finally:
            self.timeout = saved
        return not any(o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError" for o in probe.outputs)


def _error(ename, evalue):
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def _stream(text, name="stdout"):
    return NotebookNode(output_type="stream", name=name, text=text)


def check_names(source: str) -> list:
    """The Go names of the exercises a check cell checks, in order."""
    out = []
    for m in CHECK_CALL.finditer(source):
        if m.group(1) not in out:
            out.append(m.group(1))
    return out


def why_no_answer(cell) -> str:
    """A reason read off a cell's outputs when no answer reached the judge."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    text = " ".join(f"{o.get('ename', '')} {o.get('evalue', '')}" for o in errors)
    stderr = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr")
    if "NotRun" in text:
        return next(o.get("evalue") for o in errors if o.get("ename") == "NotRun")
    if "CellTimeoutError" in text or "signal: interrupt" in text or "signal: killed" in text:
        return "the cell ran out of time and was stopped (an endless loop?)"
    if "go build" in text or "failed to run" in text and "build" in text:
        return "the cell did not compile (see the error above; does a cell of yours redeclare a name the check uses?)"
    if "panic:" in stderr:
        first = next((l for l in stderr.splitlines() if l.startswith("panic:")), "panic")
        return f"the program crashed before the check ran ({first.strip()[:200]})"
    if errors:
        return f"the cell failed before the check ran ({errors[-1].get('ename')}: {str(errors[-1].get('evalue'))[:200]})"
    return "the check did not run to its end (the program stopped early, e.g. by os.Exit, or a cell replaced the check)"


class ApplyVerdicts(NbGraderPreprocessor):
    """Turns the judge's verdicts into nbgrader's scores and feedback."""

    def preprocess(self, nb, resources):
        judge = resources.pop("course_judge")
        verdicts = judge.finish()
        results = {r["GoName"]: r for r in verdicts.get("results", [])}
        for p in verdicts.get("problems", []):
            self.log.warning("judge: %s", p)
        for cell in nb.cells:
            if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
                continue
            names = [n for n in check_names(cell.source) if n in results]
            if not names:
                continue
            self._apply(cell, [results[n] for n in names])
        shutil.rmtree(resources.pop("course_workdir", ""), ignore_errors=True)
        return nb, resources

    def _apply(self, cell, rs):
        total = sum(r["Points"] for r in rs)
        got = sum(r["Points"] for r in rs if r["Verdict"]["Passed"])
        lines = []
        for r in rs:
            line = r["Line"]
            if not r["Answered"]:
                line = f"✗ {r['Exercise']}: no answer reached the grader: {why_no_answer(cell)}"
            lines.append(line)
        verdict = "\n".join(lines) + "\n"
        rest = []
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                # Kept as text: only the judge decides.
                rest.append(_stream(f"[{o.get('ename')}] {o.get('evalue')}\n"))
            elif o.get("output_type") == "stream" and o.get("name") == "stderr":
                rest.append(_stream(o.get("text", "")))
            elif o.get("output_type") == "execute_result":
                rest.append(_stream("".join(o.get("data", {}).get("text/plain", "")) + "\n"))
            else:
                rest.append(o)
        max_points = float(cell.metadata["nbgrader"]["points"])
        if got >= total:
            head = [_stream(verdict)]
        elif got <= 0:
            head = [NotebookNode(output_type="error", ename="NotPassed", evalue=verdict.strip(),
                                 traceback=verdict.strip().split("\n"))]
        else:
            score = max_points * got / total
            head = [_stream(verdict), NotebookNode(output_type="execute_result", execution_count=None, metadata={},
                                                   data={"text/plain": repr(float(score))})]
        cell.outputs = head + rest
