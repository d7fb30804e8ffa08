"""README command 1 ends with JupyterLab serving the lessons: start it the
way start.sh does (on a free port, no browser), then ask its REST API for
the lessons and the GoNB kernel, with and without the token."""
import json
import os
import pathlib
import re
import subprocess
import urllib.error
import urllib.request

import nbtools
from labserver import Lab

ROOT = nbtools.ROOT
VENV = pathlib.Path(os.environ.get("COURSE_VENV", ROOT / ".venv"))


def get(url: str, token: str | None = None):
    req = urllib.request.Request(url)
    if token:
        req.add_header("Authorization", f"token {token}")
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, json.loads(r.read() or b"null")


def test_start_script_serves_the_lessons(tmp_path):
    lab = Lab(tmp_path)
    try:
        base, token = lab.base, lab.token
        # Without the token: refused.
        try:
            get(f"{base}/api/contents")
            raise AssertionError("the server answered without a token")
        except urllib.error.HTTPError as e:
            assert e.code == 403
        status, listing = get(f"{base}/api/contents", token)
        names = {c["name"] for c in listing["content"]}
        for nb in nbtools.lesson_notebooks():
            assert nb.name in names
        status, specs = get(f"{base}/api/kernelspecs", token)
        assert "gonb" in specs["kernelspecs"], specs["kernelspecs"].keys()
        argv = specs["kernelspecs"]["gonb"]["spec"]["argv"]
        assert any(a.startswith("-go_work=") and a.endswith(str(ROOT)) for a in argv), argv
        with urllib.request.urlopen(lab.url, timeout=10) as r:
            assert r.status == 200
            assert b"JupyterLab" in r.read()
    finally:
        lab.stop()


def test_kernel_is_installed_in_the_project_only():
    spec = VENV / "share" / "jupyter" / "kernels" / "gonb" / "kernel.json"
    assert spec.exists()
    home_spec = pathlib.Path.home() / ".local" / "share" / "jupyter" / "kernels" / "gonb"
    # The setup must not have written a global kernel (a user may have their
    # own; then it must not be ours).
    if home_spec.exists():
        k = json.loads((home_spec / "kernel.json").read_text())
        assert str(ROOT) not in json.dumps(k), "setup wrote into the user's global Jupyter directory"


def test_tool_versions_are_pinned_consistently():
    """GoNB in the tools module and in the course module (for gonbui) must be
    the same version, v0.11.4."""
    tools = (ROOT / "kernel-setup" / "tools" / "go.mod").read_text()
    course = (ROOT / "go.mod").read_text()
    assert "github.com/janpfeifer/gonb v0.11.4" in tools
    assert "github.com/janpfeifer/gonb v0.11.4" in course
    # GoNB's own -version string lags its tags; the build info is exact.
    out = subprocess.run(["go", "version", "-m", str(VENV / "bin" / "gonb")], capture_output=True, text=True, check=True)
    assert re.search(r"mod\s+github.com/janpfeifer/gonb\s+v0.11.4\s", out.stdout), out.stdout
