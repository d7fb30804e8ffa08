"""kernel-setup/setup.sh says clearly what is missing or too old, before it
changes anything."""
import os
import pathlib
import subprocess

import nbtools

SETUP = nbtools.ROOT / "kernel-setup" / "setup.sh"


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
    assert "Go is not installed" in r.stderr and "1.26" in r.stderr
    assert not (tmp_path / "venv").exists()


def test_old_go(tmp_path):
    r = run_setup(fake_bin(tmp_path, "1.20.3", "3.11"), tmp_path)
    assert r.returncode != 0
    assert "Go 1.20 is too old" in r.stderr and "1.26 or newer" in r.stderr


def test_missing_python(tmp_path):
    r = run_setup(fake_bin(tmp_path, "1.26.1", None), tmp_path)
    assert r.returncode != 0
    assert "Python 3 is not installed" in r.stderr


def test_old_python(tmp_path):
    r = run_setup(fake_bin(tmp_path, "1.26.1", "3.7"), tmp_path)
    assert r.returncode != 0
    assert "Python 3.7 is too old" in r.stderr and "3.9 or newer" in r.stderr
    assert not (tmp_path / "venv").exists()
