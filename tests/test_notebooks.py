"""Every lesson notebook, executed top to bottom in a fresh GoNB kernel,
must run without errors and reproduce its committed outputs (text and
pictures), except in cells tagged "nondeterministic"."""
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
    assert re.match(r"^\d\d-[a-z0-9-]+\.ipynb$", path.name), "lessons are named NN-words.ipynb, in reading order"
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


LESSONS = [p for p in NOTEBOOKS if not p.name.startswith("00-")]


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_lesson_has_the_standard_parts(path):
    """Objectives, exercises with automatic checks, a summary, references,
    a plot, and a printed seed."""
    nb = nbformat.read(path, as_version=4)
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in ("Objectives", "Summary", "References"):
        assert re.search(rf"^#+ .*{heading}", md, re.M | re.I), f"no '{heading}' heading"
    assert re.search(r"try this", md, re.I), "no 'Try this' prompt"
    checks = [c for c in nb.cells if c.cell_type == "code" and (CHECK_CALL.search(c.source) or "show.Check(" in c.source)]
    assert len(checks) >= 3, f"only {len(checks)} auto-checked exercises (need 3)"
    outs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert any(k.startswith("image/") for o in outs for k in o.get("data", {})), "no plot"
    text = "".join("".join(o.get("text", "")) for o in outs)
    assert re.search(r"seed", text, re.I), "no cell prints its seed"
