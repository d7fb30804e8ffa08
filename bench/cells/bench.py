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
        self.pid = self.km.provisioner.process.pid

    def run(self, code: str) -> tuple[float, float]:
        """Seconds from the execute request to the kernel being idle again,
        and the CPU seconds the kernel (GoNB and every go, compile, link and
        cell process it ran) used meanwhile."""
        cpu = nbtools.process_cpu_seconds(self.pid)
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
        return took, nbtools.process_cpu_seconds(self.pid) - cpu

    def stop(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel()  # graceful: GoNB then stops its gopls


def cells(n: int, cwd: str) -> tuple[dict, dict]:
    """Median wall and CPU seconds per (set-up, kind of cell)."""
    kernels = {(setup, kind): Kernel(setup, cwd) for setup in (PLAIN, COURSE) for kind in ("fmt", "show")}
    wall: dict = {k: [] for k in kernels}
    cpu: dict = {k: [] for k in kernels}
    try:
        for i in range(n + 2):
            for key, k in kernels.items():
                w, c = k.run((FMT_CELL if key[1] == "fmt" else SHOW_CELL).format(i=1000 * i + 7))
                if i >= 2:  # the first two cells warm up
                    wall[key].append(w)
                    cpu[key].append(c)
    finally:
        for k in kernels.values():
            k.stop()
    return ({k: statistics.median(v) for k, v in wall.items()},
            {k: statistics.median(v) for k, v in cpu.items()})


def run_all() -> tuple[dict, dict, list]:
    """Wall and kernel CPU seconds of Run-All per set-up, and the output
    differences between the set-ups."""
    wall = {PLAIN: 0.0, COURSE: 0.0}
    cpu = {PLAIN: 0.0, COURSE: 0.0}
    differences = []
    for j, path in enumerate(nbtools.lesson_notebooks()):
        nb = nbformat.read(path, as_version=4)
        order = (PLAIN, COURSE) if j % 2 == 0 else (COURSE, PLAIN)
        outs, line = {}, {}
        for setup in order:
            used: list = []
            start = time.monotonic()
            outs[setup] = nbtools.execute(nb, cwd=path.parent, kernel=setup, cpu=used)
            took = time.monotonic() - start
            wall[setup] += took
            cpu[setup] += used[-1] if used else 0.0
            line[setup] = f"{took:6.1f} s {used[-1] if used else 0:6.1f} s"
        differences += [f"{path.name}: {d}" for d in nbtools.compare(outs[PLAIN], outs[COURSE])]
        print(f"  {path.stem:40s} {line[PLAIN]}   {line[COURSE]}", flush=True)
    return wall, cpu, differences


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
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start", flush=True)
        print(f"trivial cells: {args.cells} of each kind per set-up, in four kernels taking turns", flush=True)
        wall, cpu = cells(args.cells, tmp)
        if not args.skip_run_all:
            print("Run-All, every notebook in a fresh kernel, wall and kernel CPU:")
            print(f"  {'':40s} {'plain GoNB':>17s}   {'course':>17s}", flush=True)
            all_wall, all_cpu, diffs = run_all()
        print(f"load average {os.getloadavg()[0]:.1f} at the end")

    def row(label, a, b, c, d):
        print(f"{label:40s} {a:7.2f} s {b:7.2f} s {a / b:6.2f}×   {c:7.2f} s {d:7.2f} s {c / d:6.2f}×")

    def ratio(label, a, b, c, d):
        print(f"{label:40s} {a:7.2f} × {b:7.2f} × {'':7s}   {c:7.2f} × {d:7.2f} ×")

    print()
    print(f"{'':40s} {'wall-clock time':^27s}   {'CPU time of the kernel':^27s}")
    print(f"{'':40s} {'plain':>9s} {'course':>9s} {'faster':>7s}   {'plain':>9s} {'course':>9s} {'less':>7s}")
    f, s_ = (PLAIN, "fmt"), (PLAIN, "show")
    cf, cs = (COURSE, "fmt"), (COURSE, "show")
    row("trivial fmt cell (median)", wall[f], wall[cf], cpu[f], cpu[cf])
    row("trivial pkg/show cell (median)", wall[s_], wall[cs], cpu[s_], cpu[cs])
    ratio("pkg/show cell / fmt cell, same set-up", wall[s_] / wall[f], wall[cs] / wall[cf], cpu[s_] / cpu[f], cpu[cs] / cpu[cf])
    print(f"{'course pkg/show cell / plain fmt cell':40s} {'':9s} {wall[cs] / wall[f]:7.2f} × {'':7s}   {'':9s} "
          f"{cpu[cs] / cpu[f]:7.2f} ×")
    if not args.skip_run_all:
        row(f"Run-All, {len(nbtools.lesson_notebooks())} notebooks", all_wall[PLAIN], all_wall[COURSE],
            all_cpu[PLAIN], all_cpu[COURSE])
        if diffs:
            print("\nOUTPUTS DIFFER between the set-ups:\n" + "\n".join(diffs))
            return 1
        print("\nEvery notebook printed the same outputs under both set-ups.")
    return 0

if __name__ == "__main__":
    sys.exit(main())
