"""The kernel's `go` wrapper (kernel-setup/tools/kernelgo) changes how long
cells take, never what they show: the same cells, including every kind of
failure a student meets (a package that does not exist, a module not in the
build list, a compile error, a panic with its line, a %test cell), print
exactly the same in plain GoNB and in the course's kernel. And it does skip
`go get` for a lesson's cells (its trace says so) while still running it
for the imports it cannot vouch for. Its other name, gonb-bin/gopls, ends
gopls with its kernel."""
import json
import os
import pathlib
import re
import signal
import time

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel

import kernelspec
import nbtools

ROOT = nbtools.ROOT
VENV = pathlib.Path(os.environ.get("COURSE_VENV", ROOT / ".venv"))

# (cell, does the wrapper skip go get for it)
CELLS = [
    ('import "github.com/dslessons/course/pkg/show"\n\n%%\nshow.Err(nil)\nfmt.Println("hello")', True),
    ('%%\nfmt.Println(undefinedName)', True),
    ('func boom(n int) int {\n\tif n > 2 {\n\t\tpanic("boom at n = " + fmt.Sprint(n))\n\t}\n\treturn boom(n + 1)\n}\n\n%%\nboom(0)', True),
    ('import "github.com/dslessons/course/pkg/nosuchpackage"\n\n%%\nnosuchpackage.X()', False),
    ('import "fmtx"\n\n%%\nfmtx.Println(1)', False),
    ('import "example.com/not/in/the/build/list"\n\n%%\nlist.X()', False),
    ('import "gonum.org/v1/plot/plotter"\n\n%%\n_, err := plotter.NewScatter(plotter.XYs{{X: 1, Y: 2}})\nfmt.Println(err)', False),
    ('import "testing"\n\nfunc TestAdd(t *testing.T) {\n\tif 1+1 != 2 {\n\t\tt.Fatal("no")\n\t}\n}\n\n%test', True),
    ('import (\n\t"fmt"\n\t"os"\n\n\t"github.com/dslessons/course/pkg/lamport"\n)\n\n%%\nfmt.Fprintln(os.Stderr, "to stderr")\nfmt.Println(lamport.Timestamp(3))', True),
]


def run_cells(name: str, env: dict, cwd: pathlib.Path) -> list[list[dict]]:
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=120, env=env, cwd=str(cwd))
    outputs = []
    try:
        for code, _ in CELLS:
            msg_id = kc.execute(code)
            outs = []
            while True:
                m = kc.get_iopub_msg(timeout=300)
                if m["parent_header"].get("msg_id") != msg_id:
                    continue
                t = m["msg_type"]
                if t == "status" and m["content"]["execution_state"] == "idle":
                    break
                if t in ("stream", "display_data", "execute_result", "error"):
                    outs.append({"output_type": t, **m["content"]})
            # Each stream's text, then displays and errors in order: how GoNB
            # splits and interleaves stdout and stderr varies from run to run.
            outputs.append(nbtools.normalise(outs))
    finally:
        kc.stop_channels()
        km.shutdown_kernel()  # graceful: GoNB then stops its gopls (SIGKILL would leave it running)
    return outputs


def normalise(outputs: list[list[dict]]) -> str:
    """Outputs without what differs between any two runs (GoNB's temporary
    directory, addresses, timings) and the one thing the wrapper changes on
    purpose: GoNB's summary line under a failed build names the go command
    it ran by its path ("failed to run \"/usr/local/go/bin/go build ...\"
    becomes \".../.venv/gonb-bin/go build ...\"")."""
    text = json.dumps(outputs, sort_keys=True, indent=1)
    text = re.sub(r'failed to run \\"[^ "\\]*/go ', r'failed to run \\"GO ', text)
    text = re.sub(r"gonb_[0-9a-f]{8}", "gonb_ID", text)
    # GoNB marks the stack lines of a panic that point into the cell with a
    # space after the tab, depending on how the output was split into
    # chunks: seen on either the first line or not, in either kernel.
    text = re.sub(r"\\t +/tmp/gonb_ID", r"\\t/tmp/gonb_ID", text)
    text = re.sub(r"\+0x[0-9a-f]+|0x[0-9a-f]{6,}", "0xADDR", text)
    text = re.sub(r"\d+(\.\d+)?(s|ms|µs)\b", "TIME", text)  # go test's timings
    return text


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kernelgo")
    spec = json.loads((VENV / "share/jupyter/kernels/gonb/kernel.json").read_text())
    plain = tmp / "jupyter" / "kernels" / "gonb-plain"
    plain.mkdir(parents=True)
    (plain / "kernel.json").write_text(json.dumps(kernelspec.without_wrapper(spec)))
    trace = tmp / "trace.log"
    # No module proxy: a module outside the build list fails the same way
    # everywhere, without the network.
    env = dict(os.environ, GOPROXY="off", KERNELGO_TRACE=str(trace))
    cwd = tmp / "nb"
    cwd.mkdir()
    with pytest.MonkeyPatch.context() as mp:  # where jupyter_client looks for kernel specs
        mp.setenv("JUPYTER_PATH", f"{tmp / 'jupyter'}:{os.environ.get('JUPYTER_PATH', '')}")
        plain_out = run_cells("gonb-plain", env, cwd)
    trace.write_text("")  # the plain kernel never runs the wrapper; start clean anyway
    return plain_out, run_cells("gonb", env, cwd), trace


# GoNB marks each line of a panic's stack trace with the cell line it comes
# from, but only the lines that reach it in one piece from the pipe: which
# ones get a mark (in the text and in the HTML display built from them)
# varies from run to run, in plain GoNB as much as in the course's kernel.
CELL_MARK = re.compile(r"\x1b\[7m\[\[ Cell \[\d+\] Line \d+ \]\]\x1b\[0m ")


def without_marks(outputs: list[dict]) -> list[dict]:
    return [dict(o, text=CELL_MARK.sub("", o["text"])) for o in outputs if "stream" in o]


def test_outputs_are_the_same(both):
    plain, course, _ = both
    for (code, _), a, b in zip(CELLS, plain, course):
        if "panic(" in code:
            a, b = without_marks(a), without_marks(b)
        assert normalise([a]) == normalise([b]), f"cell {code!r} shows differently:\nplain: {a}\ncourse: {b}"
    # The cells did what they are for (a compile error is an error, the
    # panic names its line in the cell).
    flat = normalise(course)
    assert "hello" in flat and "undefinedName" in flat and "boom at n = 3" in flat
    assert "/main.go:10 0xADDR" in flat, "the panic's stack trace names the panicking line"
    assert "cannot find module providing package github.com/dslessons/course/pkg/nosuchpackage" in flat
    assert "package fmtx is not in std" in flat
    assert "cannot find module providing package example.com/not/in/the/build/list" in flat
    assert "to stderr" in flat


def test_go_get_is_skipped_only_where_it_can_change_nothing(both):
    _, _, trace = both
    gets = [line for line in trace.read_text().splitlines() if line.startswith("get:")]
    assert len(gets) == len(CELLS), gets
    for (code, skip), line in zip(CELLS, gets):
        assert (line == "get: skipped") == skip, f"{code!r}: {line}"
    builds = [line for line in trace.read_text().splitlines() if line.startswith(("build:", "test:"))]
    assert builds and all("-ldflags=-w" in b for b in builds), builds


def descendants(pid: int) -> dict[int, str]:
    """The live processes below pid: {pid: command name}."""
    children: dict[int, list[int]] = {}
    names = {}
    for d in pathlib.Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
        if rest[0] == "Z":
            continue
        names[int(d.name)] = name
        children.setdefault(int(rest[1]), []).append(int(d.name))
    out, todo = {}, [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out[c] = names[c]
            todo.append(c)
    return out


def alive(pids) -> list[int]:
    live = []
    for p in pids:
        try:
            if pathlib.Path(f"/proc/{p}/stat").read_text().split(")")[-1].split()[0] != "Z":
                live.append(p)
        except OSError:
            pass
    return live


@pytest.mark.parametrize("how", ["killed", "shut down"])
def test_gopls_ends_with_its_kernel(tmp_path, how):
    """GoNB starts gopls in a process group of its own and stops it only on a
    clean shutdown; through .venv/gonb-bin/gopls it also ends when the
    kernel is killed (as graders and crashes do)."""
    if not pathlib.Path("/proc/self/stat").exists():
        pytest.skip("needs /proc")
    km, kc = start_new_kernel(kernel_name="gonb", startup_timeout=120, cwd=str(tmp_path))
    gonb = km.provisioner.process.pid
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and list(descendants(gonb).values()).count("gopls") < 2:
            time.sleep(0.2)
        # The wrapper, gopls, and gopls's own helper processes.
        gopls = [p for p, name in descendants(gonb).items() if name == "gopls"]
        assert len(gopls) >= 2, f"expected the gopls wrapper and gopls under GoNB: {descendants(gonb)}"
    finally:
        kc.stop_channels()
        if how == "killed":
            os.kill(gonb, signal.SIGKILL)
            km.shutdown_kernel(now=True)
        else:
            km.shutdown_kernel()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and alive(gopls):
        time.sleep(0.2)
    assert not alive(gopls), f"gopls outlived its {how} kernel"


def test_text_and_displays_keep_their_order(tmp_path):
    """GoNB reads a cell's stdout and its displays through two pipes; pkg/show
    waits until GoNB has read what the cell printed before it displays, and
    nbtools.execute merges only consecutive text. So a line printed between
    two tables stays between them, every time."""
    code = ('import "github.com/dslessons/course/pkg/show"\n\n%%\n'
            'for i := 0; i < 3; i++ {\n'
            '\tfmt.Printf("before table %d\\n", i)\n'
            '\tshow.Err(show.Table([]string{"n"}, [][]string{{fmt.Sprint(i)}}))\n'
            '}\n'
            'fmt.Println("after the tables")')
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for _ in range(4)])
    nb.metadata["kernelspec"] = {"name": "gonb", "display_name": "Go (gonb)", "language": "go"}
    out = nbtools.execute(nb, cwd=tmp_path)
    want = ["stream:before table 0\n", "display", "stream:before table 1\n", "display",
            "stream:before table 2\n", "display", "stream:after the tables\n"]
    for cell in out.cells:
        got = [f"stream:{o['text']}" if o["output_type"] == "stream" else "display" for o in cell.outputs]
        assert got == want
