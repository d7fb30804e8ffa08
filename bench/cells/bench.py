"""How long a notebook cell takes in GoNB, plain and with the course's set-up.

    .venv/bin/python bench/cells/bench.py [--cells N] [--skip-run-all]

Prints, side by side, for plain GoNB (the course's kernel spec without
.venv/gonb-bin on its PATH, so GoNB runs the real `go get` and `go build`
for every cell) and for the course's kernel (kernel-setup/tools/kernelgo):

  - the median latency of a trivial cell importing only fmt, and of a
    trivial cell importing the course's display package (pkg/show), over N
    cells each (default 15), each cell different so that nothing is cached;
  - Run-All: every notebook under notebooks/ executed top to bottom in a
    fresh kernel, the total and per notebook, with a check that both
    set-ups print the same outputs.

The four cell kernels run side by side and take turns cell by cell, and the
notebooks alternate between the set-ups, so that other load on the machine
falls on both columns alike. See bench/cells/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "kernel-setup"))

import nbformat  # noqa: E402
from jupyter_client.manager import start_new_kernel  # noqa: E402

import kernelspec  # noqa: E402
import nbtools  # noqa: E402

PLAIN, COURSE = "gonb-plain", "gonb"
FMT_CELL = 'import "fmt"\n\n%%\nfmt.Println({i})\n'
SHOW_CELL = 'import (\n\t"fmt"\n\n\t"github.com/dslessons/course/pkg/show"\n)\n\n%%\nif !show.Err(nil) {{\n\tfmt.Println({i})\n}}\n'


def plain_spec(jupyter_path: pathlib.Path) -> None:
    """Writes the gonb-plain kernel spec: the course's, without the wrapper
    directory on the kernel's PATH."""
    spec_dir = pathlib.Path(os.environ.get("COURSE_VENV", ROOT / ".venv")) / "share/jupyter/kernels/gonb"
    spec = kernelspec.without_wrapper(json.loads((spec_dir / "kernel.json").read_text()))
    d = jupyter_path / "kernels" / PLAIN
    d.mkdir(parents=True)
    (d / "kernel.json").write_text(json.dumps(spec, indent=1))


class Kernel:
    def __init__(self, name: str, cwd: str):
        self.km, self.kc = start_new_kernel(kernel_name=name, startup_timeout=120, cwd=cwd)

    def run(self, code: str) -> float:
        """Seconds from the execute request to the kernel being idle again."""
        start = time.monotonic()
        msg_id = self.kc.execute(code)
        error = None
        while True:
            m = self.kc.get_iopub_msg(timeout=600)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "error" or (m["msg_type"] == "stream" and m["content"]["name"] == "stderr"):
                error = m["content"]
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
        took = time.monotonic() - start
        if error:
            raise RuntimeError(f"cell failed: {code!r}: {error}")
        return took

    def stop(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def cells(n: int, cwd: str) -> dict:
    kernels = {(setup, kind): Kernel(setup, cwd) for setup in (PLAIN, COURSE) for kind in ("fmt", "show")}
    times: dict = {k: [] for k in kernels}
    try:
        for i in range(n + 2):
            for (setup, kind), k in kernels.items():
                t = k.run((FMT_CELL if kind == "fmt" else SHOW_CELL).format(i=1000 * i + 7))
                if i >= 2:  # the first two cells warm up
                    times[(setup, kind)].append(t)
    finally:
        for k in kernels.values():
            k.stop()
    return {k: statistics.median(v) for k, v in times.items()}


def run_all() -> tuple[dict, dict, list]:
    totals = {PLAIN: 0.0, COURSE: 0.0}
    per_nb = {}
    differences = []
    for j, path in enumerate(nbtools.lesson_notebooks()):
        nb = nbformat.read(path, as_version=4)
        order = (PLAIN, COURSE) if j % 2 == 0 else (COURSE, PLAIN)
        outs = {}
        for setup in order:
            start = time.monotonic()
            outs[setup] = nbtools.execute(nb, cwd=path.parent, kernel=setup)
            took = time.monotonic() - start
            per_nb.setdefault(path.stem, {})[setup] = took
            totals[setup] += took
        differences += [f"{path.name}: {d}" for d in nbtools.compare(outs[PLAIN], outs[COURSE])]
        print(f"  {path.stem:40s} {per_nb[path.stem][PLAIN]:6.1f} s {per_nb[path.stem][COURSE]:6.1f} s", flush=True)
    return totals, per_nb, differences


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cells", type=int, default=15, help="cells of each kind per set-up (default 15)")
    ap.add_argument("--skip-run-all", action="store_true", help="only the trivial cells")
    args = ap.parse_args()
    if args.cells < 10:
        ap.error("--cells must be at least 10")
    with tempfile.TemporaryDirectory() as tmp:
        extra = pathlib.Path(tmp) / "jupyter"
        plain_spec(extra)
        os.environ["JUPYTER_PATH"] = f"{extra}:{os.environ.get('JUPYTER_PATH', '')}".rstrip(":")
        print(f"trivial cells: {args.cells} of each kind per set-up, medians (machine: {os.cpu_count()} cores, "
              f"load {os.getloadavg()[0]:.1f})", flush=True)
        med = cells(args.cells, tmp)
        if not args.skip_run_all:
            print("Run-All, every notebook in a fresh kernel:      plain  course", flush=True)
            totals, _, diffs = run_all()

    def row(label, a, b, unit="s"):
        print(f"{label:38s} {a:8.2f} {unit} {b:8.2f} {unit} {a / b:8.2f}×")

    print()
    print(f"{'':38s} {'plain GoNB':>10s} {'course':>10s} {'speed-up':>9s}")
    row("trivial fmt cell (median)", med[(PLAIN, 'fmt')], med[(COURSE, 'fmt')])
    row("trivial pkg/show cell (median)", med[(PLAIN, 'show')], med[(COURSE, 'show')])
    print(f"{'pkg/show cell / fmt cell, same set-up':38s} {med[(PLAIN, 'show')] / med[(PLAIN, 'fmt')]:8.2f} ×"
          f" {med[(COURSE, 'show')] / med[(COURSE, 'fmt')]:8.2f} ×")
    print(f"{'course pkg/show cell / plain fmt cell':38s} {'':10s} {med[(COURSE, 'show')] / med[(PLAIN, 'fmt')]:8.2f} ×")
    if not args.skip_run_all:
        row(f"Run-All, {len(nbtools.lesson_notebooks())} notebooks", totals[PLAIN], totals[COURSE])
        if diffs:
            print("\nOUTPUTS DIFFER between the set-ups:\n" + "\n".join(diffs))
            return 1
        print("\nEvery notebook printed the same outputs under both set-ups.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
