"""Run one plotting cell through the GoNB kernel, so that the Go build cache
holds everything a lesson's first cell needs (gonum/plot, GoNB's display
package, the course packages). Prints how long the cold and the warm run
took."""
import pathlib
import sys
import tempfile
import time

import nbformat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import nbtools  # noqa: E402

CELL = """import (
	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/plots"
	"github.com/dslessons/course/pkg/show"
)

%%
h, err := history.Random(history.RandomConfig{Nodes: 3, Events: 12, SendProb: 0.5, Seed: 1})
if show.Err(err) {
	return
}
p, err := plots.SpaceTime(h, plots.SpaceTimeOptions{Title: "warm-up"})
if show.Err(err) {
	return
}
show.Err(show.Plot(p))
"""


def main() -> int:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "gonb", "display_name": "Go (gonb)", "language": "go"}
    nb.cells = [nbformat.v4.new_code_cell(CELL), nbformat.v4.new_code_cell(CELL)]
    start = time.monotonic()
    lat: list[float] = []
    with tempfile.TemporaryDirectory() as cwd:
        out = nbtools.execute(nb, cwd=pathlib.Path(cwd), timings=lat)
    total = time.monotonic() - start
    for i, cell in enumerate(out.cells):
        if not any("image/png" in o.get("data", {}) for o in cell.outputs):
            print(f"warm-up cell {i} showed no plot; outputs: {cell.outputs}", file=sys.stderr)
            return 1
    cells = ", ".join(f"{x:.2f} s" for x in lat)
    print(f"[course] warm-up: kernel start + two plotting cells in {total:.1f} s (cell latencies: {cells})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
