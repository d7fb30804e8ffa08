"""Every lesson and lab notebook, executed top to bottom in a fresh GoNB
kernel, must run without errors and reproduce its committed outputs (text
and pictures), except in cells tagged "nondeterministic"; lessons and labs
have their standard parts."""
import re

import nbformat
import pytest

import nbtools

NOTEBOOKS = nbtools.lesson_notebooks()
CHECK_CALL = re.compile(r"\b[A-Za-z_]\w*\.([A-Z]\w*)\.Check\(")  # coursework/gonbgrader.py


def test_there_are_lessons():
    assert NOTEBOOKS, "no notebooks under notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_committed_notebook_is_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "gonb", "kernelspec must be gonb"
    code = [c for c in nb.cells if c.cell_type == "code"]
    unrun = [i for i, c in enumerate(code) if c.get("execution_count") is None]
    assert not unrun, f"code cells {unrun} were never executed; run kernel-setup/nbtools.py execute {path.name}"
    assert not nbtools.problems_in_outputs(nb)
    assert nbtools.LESSON_NAME.match(path.name) or nbtools.LAB_NAME.match(path.name), \
        "lessons are named NN-words.ipynb, in reading order, and labs lab-NN-words.ipynb after lesson NN"
    for c in nb.cells:
        assert not nbtools.MACHINE_PATH.search(c.source), "a cell's source contains a machine-specific path"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_reexecutes_identically(path):
    committed = nbformat.read(path, as_version=4)
    fresh = nbtools.execute(committed, cwd=path.parent)
    problems = nbtools.problems_in_outputs(fresh)
    assert not problems, "\n".join(problems)
    diffs = nbtools.compare(committed, fresh)
    assert not diffs, f"{path.name}: outputs differ from the committed ones (re-execute and commit, or fix the nondeterminism):\n" + "\n\n".join(diffs)


LESSONS = [p for p in NOTEBOOKS if not p.name.startswith("00-") and not nbtools.is_lab(p)]
LABS = [p for p in NOTEBOOKS if nbtools.is_lab(p)]


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_lesson_has_the_standard_parts(path):
    """Objectives, exercises with automatic checks, a summary, references,
    a plot, and a printed seed."""
    nb = nbformat.read(path, as_version=4)
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in ("Objectives", "Summary", "References"):
        assert re.search(rf"^#+ .*{heading}", md, re.M | re.I), f"no '{heading}' heading"
    assert re.search(r"try this", md, re.I), "no 'Try this' prompt"
    checks = [c for c in nb.cells if c.cell_type == "code" and CHECK_CALL.search(c.source)]
    assert len(checks) >= 3, f"only {len(checks)} auto-checked exercises (need 3)"
    code = [c for c in nb.cells if c.cell_type == "code"]
    last_check = max(i for i, c in enumerate(code) if CHECK_CALL.search(c.source))
    assert any(".Lesson.Summary()" in c.source for c in code[last_check:]), "no ✓/✗ summary cell after the last exercise"
    outs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert any(k.startswith("image/") for o in outs for k in o.get("data", {})), "no plot"
    text = "".join("".join(o.get("text", "")) for o in outs)
    assert re.search(r"seed", text, re.I), "no cell prints its seed"


def headings(md: str) -> list[str]:
    return [h.lower() for h in re.findall(r"^#+\s*(.*)$", md, re.M)]


@pytest.mark.parametrize("path", LABS, ids=[p.name for p in LABS])
def test_lab_has_the_standard_parts(path):
    """Objectives, a gallery where the checker draws a counterexample of a
    broken implementation (before the answer cells), answer cells, a "try
    it" run on netsim drawn as a diagram, a "check it" cell that model
    checks the answer, a summary of the exercises, a summary, references,
    and a printed seed."""
    nb = nbformat.read(path, as_version=4)
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    hs = headings(md)
    for part in ("objectives", "gallery", "try it", "check it", "summary", "references"):
        assert any(part in h for h in hs), f"no heading with '{part}'"
    assert re.search(r"try this", md, re.I), "no 'Try this' prompt"
    code = [c for c in nb.cells if c.cell_type == "code"]

    def section(name):
        """The code cells after the first heading containing name, up to the next heading."""
        out, inside = [], False
        for c in nb.cells:
            if c.cell_type == "markdown":
                hs = headings(c.source)
                if any(name in h for h in hs):
                    inside = True
                elif hs and inside:
                    break
            elif inside:
                out.append(c)
        return out

    def has_plot(cells):
        return any(k.startswith("image/") for c in cells for o in c.get("outputs", []) for k in o.get("data", {}))

    checks = [i for i, c in enumerate(code) if re.search(r"\.Lab\.Check\(", c.source)]
    assert len(checks) == 1, f"{len(checks)} cells call Lab.Check (want one check cell)"
    answers = [i for i, c in enumerate(code) if "// BEGIN ANSWER" in c.source]
    assert answers and max(answers) < checks[0], "the answer cells come before the check cell"
    gallery = section("gallery")
    assert gallery and has_plot(gallery), "the gallery draws a counterexample"
    assert code.index(gallery[0]) < min(answers), "the gallery comes before the answer cells"
    try_it = section("try it")
    assert try_it and has_plot(try_it), "the try-it cell draws the run"
    assert any("Lesson.Summary()" in c.source for c in code), "no summary of the exercises"
    outs = [o for c in code for o in c.get("outputs", [])]
    text = "".join("".join(o.get("text", "")) for o in outs)
    assert re.search(r"seed", text, re.I), "no cell prints its seed"
