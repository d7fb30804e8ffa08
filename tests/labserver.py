"""Start JupyterLab the way README command 1 does (./start.sh), on a free
port and without a browser, and stop it again."""
import os
import re
import signal
import socket
import subprocess
import time

import nbtools

ROOT = nbtools.ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, tmp_path, *extra: str, lessons_dir=None):
        self.port = free_port()
        self.log = tmp_path / f"lab-{self.port}.log"
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
        if lessons_dir is not None:
            env["COURSE_LESSONS_DIR"] = str(lessons_dir)
        with open(self.log, "w") as f:
            self.proc = subprocess.Popen(
                [str(ROOT / "start.sh"), "--no-browser", f"--port={self.port}", *extra],
                stdout=f, stderr=subprocess.STDOUT, env=env, start_new_session=True,
            )
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = self.token = None
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            m = re.search(rf"(http://127\.0\.0\.1:{self.port}/lab\?token=([0-9a-f]+))", self.log.read_text())
            if m:
                self.url, self.token = m.group(1), m.group(2)
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.5)
        self.stop()
        raise AssertionError("start.sh printed no URL with a token:\n" + self.log.read_text()[-3000:])

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
