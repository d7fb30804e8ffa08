"""nbgrader preprocessors for Go lessons run by the GoNB kernel.

nbgrader does the grading; these small preprocessors adapt it to Go and GoNB
(nbgrader_config.py puts them into nbgrader's pipelines):

ClearSolutionsKeepingStubs (generate_assignment)
    nbgrader's ClearSolutions replaces every solution region with one fixed
    code stub per language. A Go stub must compile where it stands (Go
    rejects missing returns and unused variables), and a lesson's answer
    cells each need their own: `var mm1Mean = 0.0`, a map literal, a function
    that returns 0. coursework/build.py records the lesson's own stub (the
    lines between BEGIN ANSWER and END ANSWER in notebooks/) in the solution
    cell's metadata; this subclass puts it back instead of the fixed stub, so
    the release is exactly the student notebook of notebooks/. Cells without
    a recorded stub get ClearSolutions.code_stub["go"].

SanitizeGoNB (autograde, after OverwriteCells)
    Comments out GoNB special commands (`!shell`, `%env`, `%%writefile`, ...)
    in the cells a student can edit: at grading time they would run shell
    commands or change the kernel's environment. `%%` (run as main) stays.

ArmGrading, VerifyGrading (autograde, around Execute)
    nbgrader gives a test cell full marks when it shows no error. A GoNB cell
    whose program ends early (os.Exit(0) in a student's function or in an
    init_ function, which GoNB runs before every cell) shows no error either.
    ArmGrading puts a fresh random key into the environment of the kernel
    that Execute starts; pkg/show's Require prints a stamp made with it for
    every check that passes. VerifyGrading accepts a test cell only if every
    show.Require in it left a valid stamp, appends an error output saying why
    when not (so nbgrader scores the cell 0 and the feedback explains it),
    and removes the stamp lines.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets

from nbformat.notebooknode import NotebookNode
from traitlets import Integer

from nbgrader import utils
from nbgrader.preprocessors import ClearSolutions, NbGraderPreprocessor

KEY_ENV = "COURSE_GRADER_KEY"  # pkg/show.GraderKeyEnv
STAMP_PREFIX = "grader-stamp "  # pkg/show.StampPrefix
REQUIRE = re.compile(r'show\.Require\(\s*"((?:[^"\\]|\\.)*)"')
STAMP_LINE = re.compile(r"^grader-stamp (\S+) (.*)$")
# GoNB special commands, also in their //gonb: form. "%%" and "%main" alone
# (the rest of the cell is main's body) are ordinary lesson code.
SPECIAL = re.compile(r"^\s*(//gonb:)?\s*(!|%)")
PLAIN_MAIN = re.compile(r"^\s*(//gonb:)?\s*(%%|%main)\s*$")


def stamp(key: str, name: str) -> str:
    """Same as pkg/show.Stamp."""
    return hmac.new(key.encode(), name.encode(), hashlib.sha256).hexdigest()


def go_string(literal: str) -> str:
    """The value of a Go interpreted string literal's body (the common escapes)."""
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), literal)


def required_checks(source: str) -> list[str]:
    return [go_string(m.group(1)) for m in REQUIRE.finditer(source)]


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


class ArmGrading(NbGraderPreprocessor):
    """Puts a fresh stamp key into the environment the kernel will inherit."""

    def preprocess(self, nb, resources):
        key = secrets.token_hex(32)
        os.environ[KEY_ENV] = key
        resources["course_grader_key"] = key
        return nb, resources


def _text(o) -> str:
    t = o.get("text", "")
    return "".join(t) if isinstance(t, list) else t


class VerifyGrading(NbGraderPreprocessor):
    """Gives a test cell its points only for valid stamps; explains failures."""

    time_limit = Integer(60, help="Execute.timeout, in seconds (for messages)").tag(config=True)

    def preprocess(self, nb, resources):
        self.key = resources.get("course_grader_key") or ""
        os.environ.pop(KEY_ENV, None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
            return cell, resources
        required = required_checks(cell.source)
        if not required:
            return cell, resources
        # GoNB streams output in pieces: join each stream before reading lines.
        outputs, streams = [], {}
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                name = o.get("name", "stdout")
                if name not in streams:
                    streams[name] = NotebookNode(output_type="stream", name=name, text="")
                    outputs.append(streams[name])
                streams[name]["text"] += _text(o)
            else:
                outputs.append(o)
        stamps, forged, kept = set(), [], []
        for line in streams.get("stdout", {}).get("text", "").splitlines(keepends=True):
            m = STAMP_LINE.match(line.rstrip("\n"))
            if m:
                if self.key and hmac.compare_digest(m.group(1), stamp(self.key, m.group(2))):
                    stamps.add(m.group(2))
                else:
                    forged.append(m.group(2))
            elif not (line.startswith("✗") and kept and kept[-1] == line):
                kept.append(line)  # show.Check and show.Require print the same ✗ verdict
        if "stdout" in streams:
            streams["stdout"]["text"] = "".join(kept)
            if not kept:
                outputs.remove(streams["stdout"])
        cell.outputs = outputs
        missing = [n for n in required if n not in stamps]
        if not missing:
            return cell, resources
        stderr = streams.get("stderr", {}).get("text", "")
        reason = self._reason(cell, missing, forged, [l.strip() for l in kept if l.startswith("✗")], stderr)
        self.log.warning("cell %s: %s", cell.metadata["nbgrader"].get("grade_id"), reason)
        cell.outputs.append(NotebookNode(
            output_type="error", ename="NotPassed", evalue=reason,
            traceback=["NotPassed: " + reason]))
        return cell, resources

    def _reason(self, cell, missing, forged, failed, stderr) -> str:
        names = missing[0] + (f" (and {len(missing) - 1} more checks)" if len(missing) > 1 else "")
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        evalues = " ".join(str(e.get("evalue", "")) + " " + str(e.get("ename", "")) for e in errors)
        if "signal: interrupt" in evalues or "signal: killed" in evalues or "CellTimeoutError" in evalues:
            return f"{names}: time limit exceeded: the cell ran longer than {self.time_limit} s and was stopped (an endless loop?)"
        if "go build" in evalues:
            return f"{names}: the cell did not compile (see the error above; does a cell of yours declare a name the check uses, such as show or the lesson's package?)"
        if "panic:" in stderr:
            first = next((l for l in stderr.splitlines() if l.startswith("panic:")), "panic")
            return f"{names}: the program crashed before the check finished ({first.strip()[:200]})"
        if failed:
            return " ".join(failed)[:2000]
        if errors or stderr:
            return f"{names}: the cell failed before the check finished (see the error above)"
        if forged:
            return f"{names}: not passed; the cell printed a pass message that the check did not make"
        return (f"{names}: no verified result: the check did not run to its end (the program stopped "
                f"early, e.g. by os.Exit, or a cell of yours replaced the check)")
