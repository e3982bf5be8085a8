"""nginx started for real with the project's own configuration (deploy/nginx.conf), for the tests and the QR bench:
the same file a province installs, with this run's ports and folders."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent.parent.parent / "deploy"


def deployed_conf(front_port: int, app_port: int, pages: str, static: str) -> str:
    """deploy/nginx.conf as docs/deployment.md gives it, with these ports and folders. Plain HTTP: the TLS lines
    (marked "# https") are left out; so is the per-address limit on misses (one client, thousands of codes)."""
    text = (DEPLOY / "nginx.conf").read_text()
    text = text.replace("/srv/ocop/pages", pages)
    text = text.replace("/srv/ocop/static/", static.rstrip("/") + "/")
    text = text.replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{front_port};")
    return "\n".join(line for line in text.splitlines() if "limit_req" not in line and "# https" not in line)


def start(folder: Path, name: str, conf: str) -> subprocess.Popen[bytes]:
    """nginx in the foreground on `conf` (a whole nginx.conf), its pid, logs and temporary files under `folder`.
    In Vietnam's time zone, as deploy/nginx.conf asks: the copies' day is Vietnam's."""
    root = Path(tempfile.mkdtemp(prefix=f"nginx-{name}-", dir=folder))
    temps = " ".join(f"{k}_temp_path {root}/{k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    head = f"pid {root}/nginx.pid; error_log {root}/error.log; daemon off;\n"
    # As root, nginx's workers would run as www-data, who may not enter a test's temporary folders; as another
    # user they run as that user whatever the file says.
    user = "user root;" if os.geteuid() == 0 else ""
    conf = "\n".join(user if line.startswith("user ") else line for line in conf.splitlines())
    (root / "nginx.conf").write_text(head + conf.replace("http {", "http { " + temps, 1))
    env = {**os.environ, "TZ": "Asia/Ho_Chi_Minh"}
    return subprocess.Popen(["nginx", "-c", str(root / "nginx.conf"), "-p", str(root)], env=env)  # noqa: S603, S607
