"""The grading sandbox: GoNB kernels that run students' notebooks with
bubblewrap, so that a submission sees nothing it should not and can change
nothing outside its own scratch space.

What a sandboxed kernel sees and may do:

* read-only: the Go toolchain, the module cache, the course's warm build
  cache, GoNB and its tools, and exactly the course code a notebook imports
  (go.mod, go.sum, pkg/, lessons/ without any solutions/ directory); nothing else
  of the clone (no coursework/, no .git, no tests, no submissions wherever
  the instructor keeps them) and nothing of the grader's home;
* read-write: a private /tmp (a size-limited tmpfs: GoNB's work directory,
  the Go build cache's new objects, HOME) and the directory of the kernel's
  own connection sockets;
* the judge's socket, to hand over answers;
* no network (own network namespace: only a loopback), its own PID, IPC and
  UTS namespaces, no capabilities; as root, the kernel runs as an
  unprivileged user of its own (one per parallel grading slot);
* limits: memory and process count through a cgroup when the machine allows
  one (v2 or v1), else per-process rlimits; CPU seconds per process; the
  whole process tree dies with the kernel (PID namespace) and with the
  grader (--die-with-parent).

Jupyter talks to the kernel over Unix sockets (transport "ipc") in that
directory, because the sandbox has no network.

The kernel command is

    python sandbox.py enter SPEC.json -- <gonb command>

which joins the submission's cgroup, sets rlimits and execs bubblewrap.
"""
from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import uuid

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent

# Limits of one sandboxed notebook (grader-tunable through the environment).
MEMORY_MB = int(os.environ.get("COURSE_SANDBOX_MEMORY_MB", "3072"))
PROCESSES = int(os.environ.get("COURSE_SANDBOX_PROCESSES", "256"))
CPU_SECONDS = int(os.environ.get("COURSE_SANDBOX_CPU_SECONDS", "600"))  # per process
TMP_MB = int(os.environ.get("COURSE_SANDBOX_TMP_MB", "2048"))
FILE_MB = int(os.environ.get("COURSE_SANDBOX_FILE_MB", "1024"))  # largest file a process may write
BASE_UID = 61000  # sandbox users when grading as root: BASE_UID + slot


class SandboxError(Exception):
    pass


@dataclasses.dataclass
class Toolchain:
    goroot: str
    gomodcache: str
    gocache: str

    @staticmethod
    def detect() -> "Toolchain":
        go = shutil.which("go")
        if not go:
            raise SandboxError("go is not on PATH")
        out = subprocess.run([go, "env", "-json", "GOROOT", "GOMODCACHE", "GOCACHE"], capture_output=True, text=True, check=True)
        env = json.loads(out.stdout)
        return Toolchain(env["GOROOT"], env["GOMODCACHE"], env["GOCACHE"])


@dataclasses.dataclass
class Spec:
    """Everything the launcher needs; written as JSON next to the kernel's
    connection file by the grader (trusted), read by `enter`."""
    root: str            # the course clone
    venv_bin: str        # GoNB, gopls, goimports (and any go wrapper)
    cacheprog: str       # the gocacheoverlay binary
    goroot: str
    gomodcache: str
    gocache: str         # read-only base build cache
    runtime_dir: str     # connection file and ipc sockets (read-write)
    judge_dir: str       # the judge's socket (read-only bind)
    student: str
    socket: str          # the judge's socket path
    uid: int             # sandbox user when launched as root (else ignored)
    cgroup: list         # cgroup directories to join ([] for none)
    memory_mb: int = MEMORY_MB
    processes: int = PROCESSES
    cpu_seconds: int = CPU_SECONDS
    tmp_mb: int = TMP_MB
    file_mb: int = FILE_MB


def bwrap_available() -> str:
    path = shutil.which("bwrap")
    if not path:
        raise SandboxError("bubblewrap (bwrap) is not installed: on Debian/Ubuntu run 'apt-get install bubblewrap'. "
                           "Grading runs students' code only inside it.")
    return path


def _dirs_for(path: str, made: set, args: list):
    """--dir for every ancestor of path not yet created, world-traversable."""
    parts = pathlib.PurePosixPath(path).parts
    for i in range(2, len(parts)):
        d = str(pathlib.PurePosixPath(*parts[:i]))
        if d not in made and d not in ("/usr", "/tmp", "/proc", "/dev"):
            made.add(d)
            args += ["--perms", "0755", "--dir", d]


def bwrap_args(spec: Spec) -> list:
    """bubblewrap's arguments for spec (without the command)."""
    args = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    root = os.geteuid() == 0
    if root:
        # Keep just what setpriv needs to become the sandbox user; it drops
        # them at once (a non-root user has no capabilities after exec).
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        args += ["--unshare-user"]
    made: set = set()
    # The system: /usr and the merged-/usr links, a few harmless files of /etc.
    args += ["--ro-bind", "/usr", "/usr"]
    for d in ("bin", "sbin", "lib", "lib64", "lib32"):
        p = pathlib.Path("/" + d)
        if p.is_symlink():
            args += ["--symlink", os.readlink(p), "/" + d]
        elif p.is_dir():
            args += ["--ro-bind", "/" + d, "/" + d]
    for f in ("/etc/ld.so.cache", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf"):
        if os.path.exists(f):
            _dirs_for(f, made, args)
            args += ["--ro-bind", f, f]
    args += ["--proc", "/proc", "--dev", "/dev",
             "--perms", "1777", "--size", str(spec.tmp_mb << 20), "--tmpfs", "/tmp"]

    def ro(path: str):
        if os.path.exists(path):
            _dirs_for(path, made, args)
            args.extend(["--ro-bind", path, path])

    ro(spec.goroot)
    ro(spec.gomodcache)
    ro(spec.gocache)
    ro(spec.venv_bin)
    ro(spec.cacheprog)
    # The course code a notebook can import, and nothing else of the clone.
    for name in ("go.mod", "go.sum", "go.work", "go.work.sum", "pkg", "lessons"):
        ro(os.path.join(spec.root, name))
    lessons = pathlib.Path(spec.root, "lessons")
    for sol in sorted(lessons.glob("**/solutions")):  # lessons/<topic>/solutions, lessons/labs/<lab>/solutions
        args += ["--tmpfs", str(sol)]
    _dirs_for(spec.runtime_dir, made, args)
    args += ["--bind", spec.runtime_dir, spec.runtime_dir]
    _dirs_for(spec.judge_dir, made, args)
    args += ["--ro-bind", spec.judge_dir, spec.judge_dir]

    env = {
        "PATH": f"{spec.venv_bin}:{spec.goroot}/bin:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp/home",
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "GOROOT": spec.goroot,
        "GOMODCACHE": spec.gomodcache,
        "GOPATH": "/tmp/gopath",
        "GOCACHE": "/tmp/go-cache",
        "GOCACHEPROG": f"{spec.cacheprog} -base {spec.gocache} -dir /tmp/go-cache",
        "GOPROXY": "off",
        "GOSUMDB": "off",
        "GOTOOLCHAIN": "local",
        "GOTELEMETRY": "off",
        "NBGRADER_EXECUTION": "autograde",
        "COURSE_STUDENT_ID": spec.student,
        "COURSE_GRADER_SOCKET": spec.socket,
    }
    args += ["--clearenv"]
    for k, v in env.items():
        args += ["--setenv", k, v]
    args += ["--chdir", "/tmp"]
    return args


def command(spec: Spec, cmd: list) -> list:
    """The full sandboxed command for cmd (after `enter` set limits)."""
    argv = [bwrap_available()] + bwrap_args(spec) + ["--"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if not setpriv:
            raise SandboxError("setpriv (util-linux) is missing")
        argv += [setpriv, f"--reuid={spec.uid}", f"--regid={spec.uid}", "--clear-groups",
                 "--inh-caps=-all", "--no-new-privs"]
    return argv + list(cmd)


# ---- cgroups -------------------------------------------------------------------------


def _cgroup_v2_root():
    p = pathlib.Path("/sys/fs/cgroup")
    return p if (p / "cgroup.controllers").exists() else None


def make_cgroup(name: str, memory_mb: int, processes: int) -> tuple[list, str]:
    """Creates cgroups limiting memory and process count; returns their
    directories (to join and later remove) and a note on what is enforced."""
    made = []
    try:
        v2 = _cgroup_v2_root()
        if v2:
            parent = v2 / "course-grading"
            parent.mkdir(exist_ok=True)
            ctl = (v2 / "cgroup.controllers").read_text().split()
            try:
                (parent / "cgroup.subtree_control").write_text(" ".join("+" + c for c in ("memory", "pids") if c in ctl))
            except OSError:
                pass
            g = parent / name
            g.mkdir()
            made.append(str(g))
            (g / "memory.max").write_text(str(memory_mb << 20))
            (g / "memory.swap.max").write_text("0") if (g / "memory.swap.max").exists() else None
            (g / "pids.max").write_text(str(processes))
            return made, f"cgroup v2: memory {memory_mb} MB, {processes} processes"
        base = pathlib.Path("/sys/fs/cgroup")
        for ctl, files in (("memory", {"memory.limit_in_bytes": str(memory_mb << 20)}), ("pids", {"pids.max": str(processes)})):
            d = base / ctl
            if not d.is_dir():
                raise OSError(f"no {ctl} cgroup")
            g = d / "course-grading" / name
            g.mkdir(parents=True)
            made.append(str(g))
            for f, v in files.items():
                (g / f).write_text(v)
        return made, f"cgroup v1: memory {memory_mb} MB, {processes} processes"
    except OSError as e:
        remove_cgroups(made)
        return [], f"no cgroup ({e}); per-process limits only"


def remove_cgroups(dirs: list):
    for d in reversed(dirs):
        p = pathlib.Path(d)
        procs = p / "cgroup.procs"
        # Kill anything left (the kernel's PID namespace should be gone).
        try:
            for pid in procs.read_text().split():
                try:
                    os.kill(int(pid), 9)
                except OSError:
                    pass
        except OSError:
            pass
        try:
            p.rmdir()
        except OSError:
            pass


# ---- the launcher -----------------------------------------------------------------------


def enter(spec_path: str, cmd: list):
    """Runs as the kernel command: join the cgroups, set rlimits, exec
    bubblewrap (never returns)."""
    spec = Spec(**json.loads(pathlib.Path(spec_path).read_text()))
    for g in spec.cgroup:
        try:
            pathlib.Path(g, "cgroup.procs").write_text(str(os.getpid()))
        except OSError as e:
            print(f"sandbox: cannot join cgroup {g}: {e}", file=sys.stderr)
            sys.exit(1)
    mem = spec.memory_mb << 20
    for lim, value in ((resource.RLIMIT_AS, mem),
                       (resource.RLIMIT_CPU, spec.cpu_seconds),
                       (resource.RLIMIT_FSIZE, spec.file_mb << 20),
                       (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(lim, (value, value))
    if os.geteuid() == 0:
        # Counted per sandbox user, so only this submission's processes.
        resource.setrlimit(resource.RLIMIT_NPROC, (spec.processes, spec.processes))
    argv = command(spec, cmd)
    os.execv(argv[0], argv)


def new_runtime_dir(base: pathlib.Path, uid: int) -> pathlib.Path:
    d = base / f"kernel-{uuid.uuid4().hex[:12]}"
    d.mkdir(mode=0o700)
    if os.geteuid() == 0:
        os.chown(d, uid, uid)
    return d


def main(argv: list) -> int:
    if len(argv) >= 3 and argv[0] == "enter" and "--" in argv:
        i = argv.index("--")
        enter(argv[1], argv[i + 1:])
    print("usage: sandbox.py enter SPEC.json -- COMMAND...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
