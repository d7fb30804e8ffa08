"""Start JupyterLab the way README command 1 does (./start.sh), or the way
instructors do (./coursework/instructor.sh), on a free port and without a
browser, and stop it again.

Unless told otherwise, the server's Jupyter directories (configuration,
settings, workspaces, runtime) are in the test's own temporary directory, so
that tests never change what a student's JupyterLab in this clone opens."""
import os
import re
import signal
import socket
import subprocess
import time

import nbtools

ROOT = nbtools.ROOT
START = ROOT / "start.sh"
INSTRUCTOR = ROOT / "coursework" / "instructor.sh"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, tmp_path, *extra: str, lessons_dir=None, script=START, env=None, jupyter_home="tmp"):
        """jupyter_home: "tmp" (a directory under tmp_path), None (the
        clone's own .jupyter, as a student gets it) or a path."""
        self.port = free_port()
        self.log = tmp_path / f"lab-{self.port}.log"
        env = dict(os.environ if env is None else env)
        if jupyter_home == "tmp":
            jupyter_home = tmp_path / "jupyter"
        if jupyter_home is None:
            env.pop("COURSE_JUPYTER_HOME", None)
        else:
            env["COURSE_JUPYTER_HOME"] = str(jupyter_home)
        if lessons_dir is not None:
            env["COURSE_LESSONS_DIR"] = str(lessons_dir)
        with open(self.log, "w") as f:
            self.proc = subprocess.Popen(
                [str(script), "--no-browser", f"--port={self.port}", *extra],
                stdout=f, stderr=subprocess.STDOUT, env=env, start_new_session=True,
            )
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = self.token = None
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            m = re.search(rf"(http://127\.0\.0\.1:{self.port}/lab)(\?token=([0-9a-f]+)|\S*)", self.log.read_text())
            if m and m.group(3):
                self.url, self.token = m.group(1) + m.group(2), m.group(3)
                return
            if m:
                self.stop()
                raise AssertionError(f"{script.name} serves without a (random) token: {m.group(0)}")
            if self.proc.poll() is not None:
                break
            time.sleep(0.5)
        self.stop()
        raise AssertionError(f"{script.name} printed no URL with a token:\n" + self.log.read_text()[-3000:])

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
