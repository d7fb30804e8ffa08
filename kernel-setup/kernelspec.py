"""Finish the kernel spec that `gonb --install` wrote, and put it in place.

    python kernelspec.py NEW_SPEC_DIR DEST_DIR VENV_BIN KERNEL_BIN

NEW_SPEC_DIR holds what `gonb --install` wrote into a scratch data
directory; DEST_DIR (.venv/share/jupyter/kernels/gonb) gets the finished
spec, each file replaced atomically, so an interrupted set-up never leaves a
half-written kernel.json.

GoNB runs `go`, goimports and gopls from PATH. The spec puts KERNEL_BIN first
(.venv/gonb-bin: the course's `go` wrapper, kernel-setup/tools/kernelgo, that
makes cells cheap), then the venv's bin directory (GoNB's tools), then the
PATH JupyterLab was started with. Jupyter expands ${PATH}.
"""
import json
import os
import pathlib
import shutil
import sys


def finish(spec: dict, venv_bin: str, kernel_bin: str) -> dict:
    spec = dict(spec)
    # GoNB points argv[0] at a copy of itself when it runs from /tmp; the
    # spec always runs the venv's binary.
    spec["argv"] = [os.path.join(venv_bin, "gonb")] + list(spec["argv"][1:])
    spec["display_name"] = "Go (gonb)"
    spec["env"] = dict(spec.get("env", {}), PATH=f"{kernel_bin}:{venv_bin}:${{PATH}}")
    spec["metadata"] = dict(spec.get("metadata", {}), course="distributed systems lessons")
    return spec


def without_wrapper(spec: dict) -> dict:
    """The spec as plain GoNB would run: without KERNEL_BIN (the `go`
    wrapper) on its PATH. For comparisons (bench/cells, tests)."""
    spec = dict(spec, env=dict(spec.get("env", {})))
    spec["env"]["PATH"] = ":".join(p for p in spec["env"]["PATH"].split(":") if not p.endswith("/gonb-bin"))
    spec["display_name"] = spec.get("display_name", "Go") + ", plain"
    return spec


def replace(dest: pathlib.Path, data: bytes) -> None:
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, dest)


def main(argv: list[str]) -> int:
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    new, dest, venv_bin, kernel_bin = pathlib.Path(argv[1]), pathlib.Path(argv[2]), argv[3], argv[4]
    spec = finish(json.loads((new / "kernel.json").read_text()), venv_bin, kernel_bin)
    dest.mkdir(parents=True, exist_ok=True)
    for f in sorted(new.iterdir()):
        if f.name not in ("kernel.json", "gonb", "gonb~") and f.is_file():
            replace(dest / f.name, f.read_bytes())
    replace(dest / "kernel.json", (json.dumps(spec, indent=1, sort_keys=True) + "\n").encode())
    shutil.rmtree(new, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
