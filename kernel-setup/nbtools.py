"""Execute the course's notebooks with the GoNB kernel and compare outputs.

Used by the notebook tests (tests/test_notebooks.py), by warm.py and by the
`execute` command that authors run to store fresh outputs in a notebook:

    .venv/bin/python kernel-setup/nbtools.py execute notebooks/07-*.ipynb

A code cell tagged "nondeterministic" (for example one that measures real
time) is executed and must not fail, but its output is not compared.
"""
from __future__ import annotations

import base64
import copy
import difflib
import json
import os
import pathlib
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "gonb"
NONDETERMINISTIC = "nondeterministic"
CELL_TIMEOUT = 600  # seconds; a cold build cache on a small machine is slow
MACHINE_PATH = re.compile(r"(/tmp/gonb_|/root/|/home/[a-z]|/work/|/Users/)")


LESSON_NAME = re.compile(r"^\d\d-[a-z0-9-]+\.ipynb$")  # NN-words.ipynb, in reading order
LAB_NAME = re.compile(r"^lab-\d\d-[a-z0-9-]+\.ipynb$")  # lab-NN-words.ipynb, after lesson NN


def lesson_notebooks() -> list[pathlib.Path]:
    """Every notebook of the course: the lessons (NN-words.ipynb) and the
    labs (lab-NN-words.ipynb)."""
    return sorted(p for p in NOTEBOOKS.glob("*.ipynb"))


def is_lab(path: pathlib.Path) -> bool:
    return bool(LAB_NAME.match(path.name))


def process_cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user and system) used by process pid and by the children
    it has waited for, which for a GoNB kernel are every go, compile, link
    and cell program it ran. None where /proc is not available."""
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command name: state is field 3, utime..cstime are 14..17.
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def execute(nb: nbformat.NotebookNode, cwd: pathlib.Path = NOTEBOOKS, timings: list | None = None,
            kernel: str = KERNEL, cpu: list | None = None) -> nbformat.NotebookNode:
    """Run every cell of a copy of nb top to bottom in a fresh GoNB kernel
    (the kernel spec named kernel). If timings is a list, the wall-clock
    seconds of each code cell are appended to it; if cpu is a list, the
    kernel's CPU seconds so far (process_cpu_seconds) after each code cell."""
    nb = copy.deepcopy(nb)
    started = {}

    def on_start(cell, cell_index):
        started[cell_index] = time.monotonic()

    def on_done(cell, cell_index, execute_reply):
        if timings is not None and cell.cell_type == "code":
            timings.append(time.monotonic() - started.get(cell_index, time.monotonic()))
        if cpu is not None and cell.cell_type == "code":
            cpu.append(process_cpu_seconds(client.km.provisioner.process.pid))

    client = NotebookClient(
        nb,
        on_cell_start=on_start,
        on_cell_executed=on_done,
        kernel_name=kernel,
        timeout=CELL_TIMEOUT,
        startup_timeout=120,
        coalesce_streams=False,  # nbclient's merges every stream into its first: see merge_streams
        record_timing=False,  # wall-clock timestamps would make every run differ
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    return nb


def merge_streams(outputs: list) -> list:
    """Outputs with every run of consecutive stream outputs of the same name
    merged into one, as JupyterLab shows them. Text printed after a table
    stays after it (nbclient's coalesce_streams would move it up to the
    cell's first text)."""
    merged = []
    for o in outputs:
        if (o.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == o.get("name")):
            merged[-1]["text"] += o["text"]
        else:
            merged.append(copy.deepcopy(o))
    return merged


def normalise(outputs) -> list[dict]:
    """Outputs reduced to what a reader sees: the text of each stream, then
    the displayed data in order, by MIME type. GoNB forwards a cell's stdout
    and its displays through different pipes, so how text and pictures
    interleave can vary from run to run; the text of each stream and the
    order of the displays cannot. Execution counts, display ids and metadata
    are dropped."""
    streams: dict[str, str] = {}
    displays: list[dict] = []
    errors: list[dict] = []
    for o in outputs:
        t = o.get("output_type")
        if t == "stream":
            text = o.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            streams[o.get("name", "stdout")] = streams.get(o.get("name", "stdout"), "") + text
        elif t in ("display_data", "execute_result"):
            data = {}
            for mime, v in sorted(o.get("data", {}).items()):
                data[mime] = "".join(v) if isinstance(v, list) else v
            displays.append({"display": data})
        elif t == "error":
            errors.append({"error": o.get("ename", "") + ": " + o.get("evalue", "")})
    return [{"stream": k, "text": v} for k, v in sorted(streams.items())] + displays + errors


def describe(o: dict) -> str:
    if "stream" in o:
        return f"[{o['stream']}]\n{o['text']}"
    if "display" in o:
        parts = []
        for mime, v in o["display"].items():
            if mime.startswith("image/") and mime != "image/svg+xml":
                raw = base64.b64decode(v) if isinstance(v, str) else b""
                parts.append(f"<{mime}, {len(raw)} bytes>")
            else:
                parts.append(f"<{mime}>\n{v}")
        return "\n".join(parts)
    return f"[error] {o.get('error')}"


def problems_in_outputs(nb: nbformat.NotebookNode) -> list[str]:
    """Errors, stderr output, panics and machine-specific paths."""
    found = []
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        for o in normalise(cell.get("outputs", [])):
            if "error" in o:
                found.append(f"code cell {i}: error output {o['error']}")
            elif o.get("stream") == "stderr":
                found.append(f"code cell {i}: wrote to stderr: {o['text'][:300]!r}")
            text = json.dumps(o)
            if "panic:" in text:
                found.append(f"code cell {i}: output contains a panic")
            if MACHINE_PATH.search(text[:500000]):
                found.append(f"code cell {i}: output shows a machine-specific path")
    return found


def compare(committed: nbformat.NotebookNode, fresh: nbformat.NotebookNode) -> list[str]:
    """Differences between committed and freshly executed outputs, per code
    cell, except in cells tagged nondeterministic."""
    diffs = []
    old_cells = [c for c in committed.cells if c.cell_type == "code"]
    new_cells = [c for c in fresh.cells if c.cell_type == "code"]
    for i, (old, new) in enumerate(zip(old_cells, new_cells)):
        if NONDETERMINISTIC in old.get("metadata", {}).get("tags", []):
            continue
        a, b = normalise(old.get("outputs", [])), normalise(new.get("outputs", []))
        if a == b:
            continue
        first_line = old.source.strip().splitlines()[0] if old.source.strip() else ""
        ta = "\n".join(describe(o) for o in a).splitlines()
        tb = "\n".join(describe(o) for o in b).splitlines()
        d = "\n".join(difflib.unified_diff(ta, tb, "committed", "fresh", lineterm="", n=2))
        if not d:
            d = "(same text, different image bytes)"
        diffs.append(f"code cell {i} ({first_line[:60]!r}) output differs:\n{d[:3000]}")
    return diffs


def execute_in_place(paths: list[str]) -> int:
    status = 0
    for p in paths:
        path = pathlib.Path(p).resolve()
        nb = nbformat.read(path, as_version=4)
        start = time.monotonic()
        try:
            fresh = execute(nb, cwd=path.parent)
        except CellExecutionError as e:
            print(f"{p}: a cell failed:\n{str(e)[:3000]}", file=sys.stderr)
            status = 1
            continue
        probs = problems_in_outputs(fresh)
        for q in probs:
            print(f"{p}: {q}", file=sys.stderr)
        status |= bool(probs)
        for cell in fresh.cells:
            cell.get("metadata", {}).pop("execution", None)
        nbformat.write(fresh, path)
        print(f"{p}: executed in {time.monotonic() - start:.1f} s, outputs saved")
    return status


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "execute":
        print(__doc__)
        sys.exit(2)
    sys.exit(execute_in_place(sys.argv[2:]))
