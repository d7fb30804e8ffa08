"""A student's first minutes, in a real browser: JupyterLab started by
start.sh shows no nbgrader (no Nbgrader menu, no Validate button, no
assignment tools), opens a lesson, "Run All" executes every cell in the GoNB
kernel, and the plots appear with no error output. Uses Debian's Chromium
(/usr/bin/chromium, installed by test.sh) driven by Playwright. The server's
Jupyter directories are the test's own, so the student's JupyterLab in this
clone opens the same lesson afterwards as before."""
import pathlib
import shutil

import nbformat
import pytest
from playwright.sync_api import sync_playwright

import nbtools
from labserver import Lab

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LESSON = "07-logical-time-lamport.ipynb"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def snapshot(d: pathlib.Path) -> dict:
    return {str(p.relative_to(d)): p.read_bytes() for p in d.rglob("*") if p.is_file()} if d.exists() else {}


def test_run_all_cells_of_a_lesson_in_jupyterlab(tmp_path):
    assert pathlib.Path(CHROMIUM).exists(), "Chromium is missing: test.sh installs it (apt-get install chromium)"
    # Serve a copy, so that JupyterLab's autosave cannot touch the committed lesson.
    root = tmp_path / "notebooks"
    root.mkdir()
    shutil.copy(nbtools.NOTEBOOKS / LESSON, root / LESSON)
    students_lab = nbtools.ROOT / ".jupyter" / "student" / "lab"
    before = snapshot(students_lab)
    lab = Lab(tmp_path, "--LabApp.expose_app_in_browser=True", lessons_dir=root)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{lab.base}/lab/tree/{LESSON}?token={lab.token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget && window.jupyterapp.shell.currentWidget.sessionContext && window.jupyterapp.shell.currentWidget.sessionContext.session && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel", timeout=120_000)
            kernel = page.evaluate("window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.name")
            assert kernel == "gonb"
            # Student mode: none of nbgrader's instructor or assignment tools.
            menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
            assert "Run" in menus and "Nbgrader" not in menus, menus
            toolbar = page.locator(".jp-NotebookPanel-toolbar").inner_text()
            assert "Validate" not in toolbar, toolbar
            commands = page.evaluate("window.jupyterapp.commands.listCommands().filter(c => c.includes('nbgrader'))")
            assert commands == [], commands
            assert page.get_by_text("Create Assignment").count() == 0
            page.screenshot(path=str(tmp_path / "student-lesson-opened.png"))
            page.evaluate("window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
            assert page.locator(".jp-OutputArea-output img").count() == 0
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            # Wait until every code cell has an execution count and the kernel is idle.
            # (JupyterLab renders only the cells in view, so read the notebook's model.)
            page.wait_for_function(
                """() => {
                    const w = window.jupyterapp.shell.currentWidget;
                    const cells = w.content.model.sharedModel.cells;
                    const code = cells.filter(c => c.cell_type === 'code');
                    return code.length > 0 && code.every(c => c.execution_count !== null)
                        && w.sessionContext.session.kernel.status === 'idle';
                }""",
                timeout=600_000,
            )
            outputs = page.evaluate(
                """() => window.jupyterapp.shell.currentWidget.content.model.sharedModel.cells
                    .filter(c => c.cell_type === 'code').map(c => c.outputs)"""
            )
            page.screenshot(path=str(tmp_path / "student-lesson-ran.png"), full_page=False)
            browser.close()
        flat = [o for cell in outputs for o in cell]
        errors = [o for o in flat if o.get("output_type") == "error" or o.get("name") == "stderr"]
        assert not errors, f"error output: {errors[:2]}"
        # Each cell shows what the committed lesson shows: the same text and
        # as many pictures (cells tagged nondeterministic only must not fail).
        committed = [c for c in nbformat.read(nbtools.NOTEBOOKS / LESSON, as_version=4).cells if c.cell_type == "code"]
        assert len(outputs) == len(committed)

        def text(outs):
            return "".join("".join(o.get("text", "")) for o in outs if o.get("output_type") == "stream")

        def pictures(outs):
            return sum(1 for o in outs if "image/png" in o.get("data", {}))

        assert sum(pictures(c) for c in outputs) >= 4, "expected the lesson's plots"
        for i, (got, want) in enumerate(zip(outputs, committed)):
            if nbtools.NONDETERMINISTIC in want.metadata.get("tags", []):
                continue
            assert text(got) == text(want.outputs), f"code cell {i} printed something else in the browser"
            assert pictures(got) == pictures(want.outputs), f"code cell {i} showed another number of pictures"
    finally:
        lab.stop()
    assert snapshot(students_lab) == before, "the test changed the student's JupyterLab settings or workspaces"
    print(f"screenshots: {tmp_path}/student-lesson-*.png")
