"""Finish the kernel spec that `gonb --install` wrote.

GoNB runs goimports and gopls and `go` from PATH; the kernel may be started by
a JupyterLab whose PATH lacks the venv (e.g. started as .venv/bin/jupyter), so
the spec puts the venv's bin directory first. Jupyter expands ${PATH}.
"""
import json
import sys

path, venv_bin = sys.argv[1], sys.argv[2]
with open(path) as f:
    spec = json.load(f)
spec["display_name"] = "Go (gonb)"
spec.setdefault("env", {})["PATH"] = venv_bin + ":${PATH}"
spec.setdefault("metadata", {})["course"] = "distributed systems lessons"
with open(path, "w") as f:
    json.dump(spec, f, indent=1, sort_keys=True)
    f.write("\n")
