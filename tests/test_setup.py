"""kernel-setup/setup.sh says clearly what is missing or too old, before it
changes anything; there is one minimum Go version, everywhere; and set-up
survives being interrupted at any step: it is really killed (SIGKILL, like a
closed terminal or a power cut) in a scratch copy of the clone, during
`python -m venv`, during pip, after a failed pip and during the Go tools'
build, and run again, until a run completes and the kernel works."""
import os
import pathlib
import re
import shutil
import signal
import subprocess
import time

import nbtools

ROOT = nbtools.ROOT
SETUP = ROOT / "kernel-setup" / "setup.sh"


def go_line(gomod: pathlib.Path) -> str:
    m = re.search(r"^go (\d+\.\d+(?:\.\d+)?)\s*$", gomod.read_text(), re.M)
    assert m, f"{gomod} has no go line"
    return m.group(1)


GO_MIN = go_line(ROOT / "go.mod")


# ---- prerequisites --------------------------------------------------------------

def fake_bin(tmp_path: pathlib.Path, go_version: str | None, py_version: str | None) -> str:
    """A PATH holding only stand-ins for go and python3 that report the given
    versions, plus the basic tools the script uses."""
    b = tmp_path / "bin"
    b.mkdir()
    if go_version:
        (b / "go").write_text(f'#!/bin/sh\n[ "$1 $2" = "env GOVERSION" ] && echo go{go_version} && exit 0\necho "go version go{go_version} linux/amd64"\n')
    if py_version:
        major, minor = py_version.split(".")
        (b / "python3").write_text(f'#!/bin/sh\necho "{major}.{minor}"\n')
    for f in b.iterdir():
        f.chmod(0o755)
    for tool in ("sed", "sort", "dirname", "cat", "sha256sum", "cut", "printf"):
        for d in ("/usr/bin", "/bin"):
            if os.path.exists(f"{d}/{tool}"):
                (b / tool).symlink_to(f"{d}/{tool}")
                break
    return str(b)


def run_setup(path: str, tmp_path: pathlib.Path) -> subprocess.CompletedProcess:
    env = {"PATH": path, "HOME": str(tmp_path), "COURSE_VENV": str(tmp_path / "venv")}
    return subprocess.run(["/bin/bash", str(SETUP)], env=env, capture_output=True, text=True, timeout=60)


def test_missing_go(tmp_path):
    r = run_setup(fake_bin(tmp_path, None, "3.11"), tmp_path)
    assert r.returncode != 0
    assert "Go is not installed" in r.stderr and GO_MIN in r.stderr
    assert not (tmp_path / "venv").exists()


def test_old_go(tmp_path):
    r = run_setup(fake_bin(tmp_path, "1.20.3", "3.11"), tmp_path)
    assert r.returncode != 0
    assert "Go 1.20.3 is too old" in r.stderr and f"{GO_MIN} or newer" in r.stderr


def test_go_just_below_the_minimum(tmp_path):
    major, minor = GO_MIN.split(".")[:2]
    below = f"{major}.{int(minor) - 1}.99"
    r = run_setup(fake_bin(tmp_path, below, "3.11"), tmp_path)
    assert r.returncode != 0 and f"Go {below} is too old" in r.stderr
    assert not (tmp_path / "venv").exists()


def test_missing_python(tmp_path):
    r = run_setup(fake_bin(tmp_path, "1.99.1", None), tmp_path)
    assert r.returncode != 0
    assert "Python 3 is not installed" in r.stderr


def test_old_python(tmp_path):
    r = run_setup(fake_bin(tmp_path, "1.99.1", "3.7"), tmp_path)
    assert r.returncode != 0
    assert "Python 3.7 is too old" in r.stderr and "3.9 or newer" in r.stderr
    assert not (tmp_path / "venv").exists()


def test_one_go_minimum_everywhere():
    """Every go.mod has the same go line, set-up reads it from go.mod, and
    the README states it."""
    mods = [ROOT / p for p in subprocess.run(["git", "ls-files", "*go.mod"], cwd=ROOT, capture_output=True,
                                            text=True, check=True).stdout.split()]
    assert ROOT / "kernel-setup" / "tools" / "go.mod" in mods
    assert {str(m.relative_to(ROOT)): go_line(m) for m in mods} == {str(m.relative_to(ROOT)): GO_MIN for m in mods}
    assert not re.search(r"GO_MIN=[\d.]", SETUP.read_text()), "setup.sh must read the minimum from go.mod"
    short = re.sub(r"\.0$", "", GO_MIN)
    readme = (ROOT / "README.md").read_text()
    assert f"Go ≥ {short}" in readme
    assert not re.search(r"Go ≥ (?!" + re.escape(short) + r"\b)\d", readme), "the README names another Go minimum"


# ---- interruptions, in a scratch copy of the clone --------------------------------

def scratch_clone(tmp_path: pathlib.Path) -> pathlib.Path:
    """The repository's files (committed or not, but not ignored ones) copied
    to tmp_path/clone."""
    clone = tmp_path / "clone"
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for f in filter(None, files):
        src = ROOT / f
        if src.is_file():
            (clone / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, clone / f)
    return clone


def scratch_env(clone: pathlib.Path) -> dict:
    """The environment of a user with this clone: none of the variables the
    course's scripts set for the clone the tests run from, no venv on PATH.
    pip's and Go's caches are the real ones (downloads are reused)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COURSE_", "JUPYTER", "VIRTUAL_ENV"))}
    env["PATH"] = ":".join(p for p in env["PATH"].split(":")
                           if p and not (pathlib.Path(p).parent / "pyvenv.cfg").exists())
    return env


class Scratch:
    def __init__(self, tmp_path):
        self.clone = scratch_clone(tmp_path)
        self.venv = self.clone / ".venv"
        self.env = scratch_env(self.clone)
        self.logs = tmp_path
        self.runs = 0

    def run(self, until=None, timeout=900, env=None) -> tuple[int | None, str]:
        """Runs setup.sh. If until is given, polls it and kills the whole
        process group with SIGKILL as soon as it returns true; returns
        (None, log) then, else (exit status, log)."""
        self.runs += 1
        log = self.logs / f"setup-{self.runs}.log"
        with open(log, "w") as f:
            p = subprocess.Popen([str(self.clone / "kernel-setup" / "setup.sh")], cwd=self.clone, env=env or self.env,
                                 stdout=f, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        try:
            while p.poll() is None and time.monotonic() < deadline:
                if until is not None and until():
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
                    return None, log.read_text()
                time.sleep(0.02)
            if p.poll() is None:
                raise AssertionError(f"setup.sh ran longer than {timeout} s:\n" + log.read_text()[-3000:])
            return p.returncode, log.read_text()
        finally:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()

    def marker(self, name) -> pathlib.Path:
        return self.venv / f".course-{name}"


def after(seconds, condition):
    """A condition that holds `seconds` after condition first held."""
    since = []

    def check():
        if not since and condition():
            since.append(time.monotonic())
        return bool(since) and time.monotonic() - since[0] >= seconds
    return check


def test_setup_recovers_from_interruptions(tmp_path):
    s = Scratch(tmp_path)
    timings = []

    def step(name, *a, **kw):
        start = time.monotonic()
        r = s.run(*a, **kw)
        timings.append(f"{name}: {time.monotonic() - start:.0f} s")
        return r

    # 1. Killed during `python -m venv`: the venv has python but no pip (the
    #    state that used to break every later run).
    status, log = step("kill in venv", until=lambda: (s.venv / "bin" / "python").exists()
                       and not (s.venv / "bin" / "pip").exists())
    assert status is None, f"set-up finished before it could be interrupted:\n{log}"
    assert s.venv.exists() and not s.marker("venv").exists()

    # 2. Run again: it rebuilds the half-made venv; killed during pip.
    status, log = step("kill in pip", until=after(4, lambda: s.marker("pip-pending").exists()))
    assert status is None, log
    assert "rebuilding it" in log
    assert s.marker("venv").exists() and s.marker("pip-pending").exists() and not s.marker("requirements").exists()

    # 3. A failed pip install (no package index reachable): a clear error, and
    #    the venv stays marked as not to be trusted.
    empty = tmp_path / "no-packages"
    empty.mkdir()
    status, log = step("failed pip", env=dict(s.env, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(empty)))
    assert status != 0 and "pip could not install" in log, log
    assert s.marker("pip-pending").exists() and not s.marker("requirements").exists()

    # 4. Run again: it rebuilds the venv, installs, and is killed while it
    #    builds the Go tools.
    status, log = step("kill in Go tools", until=after(2, lambda: (s.venv / ".tools.tmp").exists()))
    assert status is None, log
    assert "rebuilding it" in log and s.marker("requirements").exists() and not s.marker("tools").exists()

    # 5. Run again: it finishes, and the kernel runs a plotting cell (warm.py).
    status, log = step("complete", timeout=1200)
    assert status == 0, log[-3000:]
    assert "warm-up: kernel start + two plotting cells" in log
    assert not (s.venv / ".tools.tmp").exists() and not s.marker("pip-pending").exists()

    # 6. A half-written GoNB binary (as a copy interrupted half way leaves it)
    #    is noticed and rebuilt.
    gonb = s.venv / "bin" / "gonb"
    gonb.write_bytes(gonb.read_bytes()[:4096])
    status, log = step("truncated gonb")
    assert status == 0 and "building GoNB" in log, log[-3000:]
    assert subprocess.run([str(gonb), "-V"], capture_output=True).returncode == 0

    # 7. Nothing to redo: quick, and it says so.
    status, log = step("no-op", timeout=120)
    assert status == 0 and "Python venv is up to date" in log and "GoNB and the Go tools are up to date" in log, log
    assert "creating" not in log and "installing JupyterLab" not in log

    spec = (s.venv / "share/jupyter/kernels/gonb/kernel.json").read_text()
    assert str(s.clone) in spec and str(ROOT) + "/" not in spec.replace(str(s.clone), "")
    print("; ".join(timings))


def test_setup_refuses_to_delete_what_is_not_a_venv(tmp_path):
    """A COURSE_VENV pointing at a directory with other files is never
    removed, even though it is not a complete venv."""
    clone = scratch_clone(tmp_path)
    precious = tmp_path / "data"
    precious.mkdir()
    (precious / "thesis.tex").write_text("do not delete")
    r = subprocess.run([str(clone / "kernel-setup" / "setup.sh")], env=dict(scratch_env(clone), COURSE_VENV=str(precious)),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and "not part of a venv" in r.stderr, r.stderr
    assert (precious / "thesis.tex").read_text() == "do not delete"
