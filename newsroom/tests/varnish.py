"""Debian's varnishd with our VCL (deploy/varnish/default.vcl) in front of a given backend.

Shared by the edge tests and the edge benchmark. The VCL's backend line is
pointed at the backend; varnishd listens on a free loopback port.
"""

import contextlib
import os
import re
import socket
import subprocess
import tempfile
import time
from pathlib import Path

VARNISHD = "/usr/sbin/varnishd"
VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "default.vcl"
BACKEND_LINE = re.compile(r'^backend default \{ .host = "[^"]*"; .port = "\d+"; \}.*$', re.M)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_varnish(host: str, port: int | str, *, listen: int | None = None, storage="malloc,32m"):
    """Yield the base URL ("http://127.0.0.1:PORT") of a varnishd caching host:port.

    `listen` is its port, when the backend must know it before it starts
    (NEWSROOM_VARNISH_URL); a free one otherwise.

    Raises RuntimeError, with what varnishd printed, when it does not start.
    """
    # Not under pytest's tmp_path, which only root may enter: varnishd drops
    # to its own users before it reads the VCL.
    with tempfile.TemporaryDirectory(prefix="newsroom-varnish-") as name:
        folder = Path(name)
        os.chmod(folder, 0o755)
        vcl = folder / "default.vcl"
        vcl_text, replaced = BACKEND_LINE.subn(
            f'backend default {{ .host = "{host}"; .port = "{port}"; }}', VCL.read_text()
        )
        if replaced != 1:
            raise RuntimeError("the VCL's backend line is not where the starter looks for it")
        vcl.write_text(vcl_text)
        listen = listen or free_port()
        command = [VARNISHD, "-F", "-n", str(folder / "work"), "-a", f"127.0.0.1:{listen}"]
        command += ["-f", str(vcl), "-s", storage]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", listen), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise RuntimeError(
                        f"varnishd did not start: {process.communicate()[0]}"
                    ) from None
                time.sleep(0.1)
        try:
            yield f"http://127.0.0.1:{listen}"
        finally:
            process.terminate()
            process.communicate(timeout=10)
