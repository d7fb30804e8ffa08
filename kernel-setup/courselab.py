"""The course's JupyterLab configuration, one per mode.

    python kernel-setup/courselab.py student|instructor

writes the configuration of that mode into $JUPYTER_CONFIG_DIR, which
kernel-setup/env.sh (course_lab) points, like every other Jupyter directory,
into the clone (.jupyter/<mode>/). JupyterLab then reads no configuration
from ~/.jupyter or ~/.config/jupyter and writes nothing to ~/.local/share.

- student (./start.sh): JupyterLab without nbgrader: no Nbgrader menu, no
  formgrader, no "Create Assignment" toolbar, no "Validate" button, no
  assignment or course list (their lab extensions and server extensions are
  disabled here).
- instructor (./coursework/instructor.sh): nbgrader's formgrader, assignment
  creation and validation on the course directory of
  coursework/nbgrader_config.py (coursework/build); the student-side
  assignment and course lists, which need an exchange directory this course
  does not use, are disabled.

Both modes pin the server's security settings, so that no system-wide
configuration (/etc/jupyter, /usr/local/etc/jupyter: lower priority than
this directory) can weaken them: a token is always required (an empty token
from any configuration is replaced by a random one), cross-site request
checks stay on, no other origins, local access only.

The server imports CourseIdentityProvider from this file.
"""
from __future__ import annotations

import json
import os
import pathlib
import secrets
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent

NBGRADER_SERVER_EXTENSIONS = {
    "formgrader": "nbgrader.server_extensions.formgrader",
    "validate": "nbgrader.server_extensions.validate_assignment",
    "assignments": "nbgrader.server_extensions.assignment_list",
    "courses": "nbgrader.server_extensions.course_list",
}
NBGRADER_LAB = "@jupyter/nbgrader"
MODES = {
    # mode: (server extensions on, lab extension or plugins off)
    "student": (set(), {NBGRADER_LAB: True}),
    "instructor": ({"formgrader", "validate"},
                   {f"{NBGRADER_LAB}:assignment-list": True, f"{NBGRADER_LAB}:course-list": True}),
}

try:
    from jupyter_server.auth.identity import IdentityProvider
    from traitlets import validate

    class CourseIdentityProvider(IdentityProvider):
        """Token authentication that configuration cannot turn off: an empty
        token (IdentityProvider.token = "" or the deprecated ServerApp.token
        = "" in any configuration file) becomes a random one, printed with
        the server's URL as usual."""

        @validate("token")
        def _never_empty(self, proposal):
            if proposal["value"]:
                return proposal["value"]
            self.token_generated = True
            return secrets.token_hex(24)
except ImportError:  # writing the configuration needs neither
    pass


def server_config(mode: str) -> str:
    on, _ = MODES[mode]
    extensions = {NBGRADER_SERVER_EXTENSIONS[k]: k in on for k in sorted(NBGRADER_SERVER_EXTENSIONS)}
    return f'''# Written by kernel-setup/courselab.py ({mode} mode) at every start; edits are lost.
import sys

sys.path.insert(0, {str(HERE)!r})
c = get_config()  # noqa: F821

# Security, pinned: this directory has priority over every system-wide one.
c.ServerApp.identity_provider_class = "courselab.CourseIdentityProvider"
c.IdentityProvider.login_handler_class = "jupyter_server.auth.login.LoginFormHandler"
c.ServerApp.ip = "127.0.0.1"
c.ServerApp.allow_remote_access = False
c.ServerApp.disable_check_xsrf = False
c.ServerApp.allow_origin = ""
c.ServerApp.allow_origin_pat = ""
c.ServerApp.allow_credentials = False
c.ServerApp.tornado_settings = {{}}

# jupyter-lsp looks for language servers with `npm prefix --global`, which
# writes a log to ~/.npm; the course has none to find.
c.LanguageServerManager.autodetect = False

# nbgrader's server extensions in this mode.
c.ServerApp.jpserver_extensions.update({extensions!r})
'''


def nbgrader_config() -> str:
    return f'''# Written by kernel-setup/courselab.py (instructor mode): the course's
# nbgrader configuration, whatever directory nbgrader runs in.
c = get_config()  # noqa: F821
load_subconfig({str(ROOT / "coursework" / "nbgrader_config.py")!r})  # noqa: F821
'''


def write(path: pathlib.Path, text: str) -> None:
    """Write text to path atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def configure(mode: str, config_dir: pathlib.Path) -> None:
    _, disabled = MODES[mode]
    write(config_dir / "jupyter_server_config.py", server_config(mode))
    write(config_dir / "labconfig" / "page_config.json",
          json.dumps({"disabledExtensions": disabled}, indent=2, sort_keys=True) + "\n")
    nbg = config_dir / "nbgrader_config.py"
    if mode == "instructor":
        write(nbg, nbgrader_config())
    elif nbg.exists():
        nbg.unlink()


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in MODES:
        print(f"usage: {argv[0]} {'|'.join(MODES)}", file=sys.stderr)
        return 2
    config_dir = os.environ.get("JUPYTER_CONFIG_DIR")
    if not config_dir:
        print("courselab.py: JUPYTER_CONFIG_DIR is not set (source kernel-setup/env.sh and run course_lab)", file=sys.stderr)
        return 2
    configure(argv[1], pathlib.Path(config_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
