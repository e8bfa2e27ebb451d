"""e2e: the real nginx with deploy/nginx.conf, and a plain HTTP server."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from helpers.files import ROOT

# ---- e2e: nginx with deploy/nginx.conf ---------------------------------------------------------

SITE_CONF = ROOT / "deploy" / "nginx.conf"
NGINX_CANDIDATES = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"]
MIME_TYPES = ["/etc/nginx/mime.types", "/usr/local/nginx/conf/mime.types"]
NGINX_MAIN = """\
worker_processes 1;
daemon off;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include {mime};
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((c for c in NGINX_CANDIDATES if os.access(c, os.X_OK)), None)
    if not found:
        raise RuntimeError("没有找到 nginx（apt-get install nginx；.ci/run 会安装它）")
    return found


def site_conf(port: int, root: Path, text: str | None = None) -> str:
    """deploy/nginx.conf (or a variant of its text) with only `listen` and `root` replaced."""
    text = SITE_CONF.read_text("utf-8") if text is None else text
    replacements = ((r"^(\s*)listen\s+[^;]+;", f"listen 127.0.0.1:{port};"), (r"^(\s*)root\s+[^;]+;", f"root {root};"))
    for pattern, value in replacements:
        text, count = re.subn(pattern, lambda m, v=value: m.group(1) + v, text, flags=re.MULTILINE)
        assert count == 1, f"deploy/nginx.conf: expected one line matching {pattern!r}, found {count}"
    return text


@contextmanager
def nginx(root: Path, tmp: Path, conf: str | None = None):
    """Serve `root` with deploy/nginx.conf (or `conf`, a variant of its text); yields the base URL.

    Only `listen` and `root` change; a minimal main configuration keeps pid, logs and temp files in
    `tmp`, so no root privileges or system paths are needed."""
    tmp.mkdir(parents=True, exist_ok=True)
    mime = next((m for m in MIME_TYPES if Path(m).exists()), None)
    assert mime, "nginx mime.types not found"
    port = free_port()
    (tmp / "site.conf").write_text(site_conf(port, Path(root).resolve(), conf), "utf-8")
    (tmp / "nginx.conf").write_text(NGINX_MAIN.format(tmp=tmp, mime=mime), "utf-8")
    cmd = [nginx_binary(), "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")]
    check = subprocess.run([*cmd, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {proc.stderr.read()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("nginx did not start listening within 10 s") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---- e2e: a plain HTTP server (no nginx, no CSP) -----------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_folder(folder: Path):
    """A plain HTTP server (no nginx, no CSP) for a built folder; returns (url, server)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


