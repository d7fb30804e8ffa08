"""README command 1 ends with JupyterLab serving the lessons: start it the
way start.sh does (on a free port, no browser), then ask its REST API for
the lessons and the GoNB kernel, with and without the token. The course's
JupyterLab uses only its own Jupyter directories in the clone: a hostile
global configuration does not weaken it, and it writes nothing to the home
directory. Students get no nbgrader; instructors (coursework/instructor.sh)
get formgrader on the course directory."""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

import nbtools
from labserver import INSTRUCTOR, Lab

ROOT = nbtools.ROOT
VENV = pathlib.Path(os.environ.get("COURSE_VENV", ROOT / ".venv"))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (to the login page) is an answer to check


OPENER = urllib.request.build_opener(NoRedirect)


def request(url: str, token: str | None = None, method: str = "GET", body: dict | None = None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, method=method, data=data)
    if token:
        req.add_header("Authorization", f"token {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with OPENER.open(req, timeout=30) as r:
        raw = r.read()
        try:
            return r.status, json.loads(raw or b"null")
        except ValueError:
            return r.status, raw.decode(errors="replace")


def status(url: str, token: str | None = None, method: str = "GET", body: dict | None = None) -> int:
    try:
        return request(url, token, method, body)[0]
    except urllib.error.HTTPError as e:
        return e.code


def test_start_script_serves_the_lessons(tmp_path):
    lab = Lab(tmp_path)
    try:
        base, token = lab.base, lab.token
        assert status(f"{base}/api/contents") == 403, "the server answered without a token"
        _, listing = request(f"{base}/api/contents", token)
        names = {c["name"] for c in listing["content"]}
        for nb in nbtools.lesson_notebooks():
            assert nb.name in names
        _, specs = request(f"{base}/api/kernelspecs", token)
        assert "gonb" in specs["kernelspecs"], specs["kernelspecs"].keys()
        spec = specs["kernelspecs"]["gonb"]["spec"]
        assert any(a.startswith("-go_work=") and a.endswith(str(ROOT)) for a in spec["argv"]), spec["argv"]
        assert spec["env"]["PATH"].startswith(f"{VENV}/gonb-bin:"), "the kernel's go wrapper comes first on its PATH"
        with urllib.request.urlopen(lab.url, timeout=30) as r:
            assert r.status == 200
            page = r.read().decode()
        assert "JupyterLab" in page
        # Student mode: nbgrader's lab extension is disabled and its server
        # extensions are not loaded.
        config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                      page, re.S).group(1))
        assert "@jupyter/nbgrader" in config["disabledExtensions"], config["disabledExtensions"]
        for path in ("/formgrader", "/formgrader/api/assignments", "/assignments", "/formgraders"):
            assert status(base + path, token) == 404, f"{path} is served in student mode"
        assert status(f"{base}/assignments/validate", token, "POST", {}) == 404
        assert "nbgrader" not in lab.log.read_text()
    finally:
        lab.stop()


HOSTILE_PY = '''c = get_config()
c.ServerApp.token = ""
c.IdentityProvider.token = ""
c.ServerApp.password = ""
c.ServerApp.disable_check_xsrf = True
c.ServerApp.allow_origin = "*"
c.ServerApp.root_dir = "/"
c.ServerApp.jpserver_extensions = {"nbgrader.server_extensions.formgrader": True}
'''
HOSTILE_JSON = {"ServerApp": {"token": "", "disable_check_xsrf": True, "allow_origin": "*"},
                "IdentityProvider": {"token": ""}}


def plant_hostile_config(home: pathlib.Path) -> pathlib.Path:
    """Configuration that turns authentication off, in every place a user's
    Jupyter looks: ~/.jupyter, ~/.config/jupyter (platformdirs), Python's
    user base (~/.local/etc/jupyter), and a directory named by
    JUPYTER_CONFIG_PATH (returned)."""
    extra = home / "elsewhere"
    for d in (home / ".jupyter", home / ".config" / "jupyter", home / ".local" / "etc" / "jupyter", extra):
        d.mkdir(parents=True)
        (d / "jupyter_server_config.py").write_text(HOSTILE_PY)
        (d / "jupyter_server_config.json").write_text(json.dumps(HOSTILE_JSON))
        (d / "jupyter_notebook_config.py").write_text(HOSTILE_PY)
    return extra


def tree(d: pathlib.Path) -> set:
    return {str(p.relative_to(d)) for p in d.rglob("*")}


def test_global_config_neither_weakens_nor_receives_anything(tmp_path):
    """A fake home with a configuration that disables the token everywhere
    Jupyter looks for a user's configuration, and an empty token even on the
    command line: the server started by start.sh (with the clone's own
    .jupyter, as a student runs it) still requires its token (no
    unauthenticated terminal, no unauthenticated contents), and after
    starting and stopping it and a kernel nothing is new in the home."""
    home = tmp_path / "home"
    extra = plant_hostile_config(home)
    before = tree(home)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "COURSE_")) or k == "COURSE_VENV"}
    # Go's caches and settings stay the real ones (they are Go's, not
    # Jupyter's, and a fresh cache would make the kernel slow to start).
    go_env = subprocess.run(["go", "env", "-json", "GOCACHE", "GOMODCACHE", "GOPATH", "GOENV"],
                            capture_output=True, text=True, check=True).stdout
    env.update(json.loads(go_env))
    env.update(HOME=str(home), JUPYTER_CONFIG_PATH=str(extra), JUPYTER_TOKEN="letmein", COURSE_SKIP_SETUP="1")
    env.pop("XDG_CONFIG_HOME", None)
    env.pop("XDG_DATA_HOME", None)
    # An empty token on the command line, which outranks every configuration
    # file, stands for a system-wide file (/etc/jupyter) saying the same.
    lab = Lab(tmp_path, "--IdentityProvider.token=", "--ServerApp.token=", env=env, jupyter_home=None)
    try:
        base, token = lab.base, lab.token
        assert re.fullmatch(r"[0-9a-f]{48}", token), token
        assert status(f"{base}/api/contents") == 403
        assert status(f"{base}/api/terminals", method="POST", body={}) == 403
        assert status(f"{base}/api/contents", "letmein") == 403, "a JUPYTER_TOKEN from the user's environment was used"
        assert status(f"{base}/api/kernels", method="POST", body={"name": "gonb"}) == 403
        # With the token, the same requests work: the refusals above are
        # authentication, not missing features. The root is the lessons.
        st, term = request(f"{base}/api/terminals", token, "POST", {})
        assert st == 200
        assert status(f"{base}/api/terminals/{term['name']}", token, "DELETE") == 204
        _, listing = request(f"{base}/api/contents", token)
        assert any(c["name"].endswith(".ipynb") for c in listing["content"])
        st, kernel = request(f"{base}/api/kernels", token, "POST", {"name": "gonb"})
        assert st == 201
        runtime = ROOT / ".jupyter" / "student" / "runtime"
        assert any(runtime.glob(f"kernel-{kernel['id']}.json")), "the kernel's connection file is not in the clone"
        assert status(f"{base}/api/kernels/{kernel['id']}", token, "DELETE") == 204
        assert "nbgrader" not in lab.log.read_text()
    finally:
        lab.stop()
    # Go's own files are Go's business, as in any Go work: the caches of
    # gopls and goimports (started by GoNB) and the go command's telemetry.
    go_own = re.compile(r"\.cache|\.cache/(gopls|goimports)(/.*)?|\.config|\.config/go(/.*)?")
    new = sorted(p for p in tree(home) - before if not go_own.fullmatch(p))
    assert not new, f"written into the home directory: {new[:20]}"


@pytest.fixture(scope="module")
def course_dir(tmp_path_factory):
    """An nbgrader course directory with lesson 07 released."""
    sys.path.insert(0, str(ROOT / "coursework"))
    import coursework
    root = tmp_path_factory.mktemp("nbgrader-course")
    (root / "notebooks").mkdir()
    lesson = nbtools.NOTEBOOKS / "07-logical-time-lamport.ipynb"
    shutil.copy(lesson, root / "notebooks" / lesson.name)
    coursework.release(root, [root / "notebooks" / lesson.name])
    return root


def test_instructor_script_serves_formgrader(tmp_path, course_dir):
    lab = Lab(tmp_path, script=INSTRUCTOR, env=dict(os.environ, COURSE_NBGRADER_ROOT=str(course_dir)))
    try:
        base, token = lab.base, lab.token
        assert status(f"{base}/formgrader") == 302, "formgrader answered without the token"
        assert status(f"{base}/formgrader/api/assignments") in (302, 403)
        st, page = request(f"{base}/formgrader/manage_assignments", token)
        assert st == 200 and "Manage Assignments" in page
        _, assignments = request(f"{base}/formgrader/api/assignments", token)
        assert [a["name"] for a in assignments] == ["07-logical-time-lamport"], assignments
        with urllib.request.urlopen(lab.url, timeout=30) as r:
            page = r.read().decode()
        config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                      page, re.S).group(1))
        disabled = config["disabledExtensions"]
        assert "@jupyter/nbgrader" not in disabled and "@jupyter/nbgrader:create-assignment" not in disabled
        assert "@jupyter/nbgrader:assignment-list" in disabled
        _, listing = request(f"{base}/api/contents", token)
        assert {"source", "release", "gradebook.db"} <= {c["name"] for c in listing["content"]}
    finally:
        lab.stop()
