"""Real listeners on loopback for the outbound-request tests, and a stand-in resolver.

Each Listener counts every TCP connection it accepts, so a test can show that
a refused address was never even connected to. Loopback has a whole /8 here:
with NEWSROOM_OUTBOUND_ALLOWED_NETWORKS opening 127.0.0.2 only, a listener on
127.0.0.2 plays a public server and one on 127.0.0.1 the internal service it
must not reach.
"""

import contextlib
import http.server
import socket
import ssl
import subprocess
import threading

from newsroom.tests.services import require_program


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answers from the listener's routes: path -> (status, headers, body)."""

    protocol_version = "HTTP/1.1"

    def do_HEAD(self):
        self._answer(head=True)

    def do_GET(self):
        self._answer(head=False)

    def _answer(self, head):
        self.server.requests.append((self.command, self.path, dict(self.headers)))
        status, headers, body = self.server.routes.get(self.path, (404, {}, b"not here"))
        self.send_response(status)
        headers = {"Content-Length": str(len(body)), **headers}
        for name, value in headers.items():
            if value is not None:
                self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def verify_request(self, request, client_address):
        self.connections += 1
        return True


class Listener:
    """An HTTP server on (host, port), port 0 meaning any free one.

    `routes` maps a path to (status, headers, body); a header set to None is
    left out (e.g. Content-Length, to send a body of unknown length). `raw`
    replaces HTTP with bytes sent as they are to every connection.
    """

    def __init__(self, host="127.0.0.1", port=0, routes=None, *, raw=None, tls=None):
        server_class = type("Server", (_Server,), {"address_family": _family(host)})
        self.server = server_class((host, port), _Handler, bind_and_activate=True)
        self.server.routes = routes if routes is not None else {}
        self.server.requests = []
        self.server.connections = 0
        self.server_names = []
        if raw is not None:
            self.server.finish_request = lambda request, address: request.sendall(raw)
        if tls is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(tls)
            context.sni_callback = lambda sock, name, ctx: self.server_names.append(name)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.host, self.port = host, self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def routes(self):
        return self.server.routes

    @property
    def requests(self):
        return self.server.requests

    @property
    def connections(self):
        return self.server.connections

    def url(self, path="/", scheme="http"):
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()


def _family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


@contextlib.contextmanager
def listening(*args, **kwargs):
    listener = Listener(*args, **kwargs)
    try:
        yield listener
    finally:
        listener.close()


def free_port_on_both(first="127.0.0.2", second="127.0.0.1"):
    """A port free on both loopback addresses (for a name answered with either)."""
    for _ in range(20):
        with socket.socket() as probe:
            probe.bind((first, 0))
            port = probe.getsockname()[1]
        with socket.socket() as probe, contextlib.suppress(OSError):
            probe.bind((second, port))
            return port
    raise RuntimeError("no port free on both addresses")


def closed_port(host="127.0.0.1"):
    """A port where nothing listens (bound and released at once)."""
    with socket.socket(_family(host)) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class Resolver:
    """Answers getaddrinfo for a few names, as a DNS server would (names it does not know
    go to the real resolver). No resolver on this machine answers a public-looking name
    with a loopback address, or answers differently the second time, as a DNS rebinding
    attack does; this stands in for one. Each value is a list of answers, one per lookup
    (the last repeats); an answer is a list of addresses."""

    def __init__(self, monkeypatch, answers):
        self.answers = {name: list(sequence) for name, sequence in answers.items()}
        self.lookups = {name: 0 for name in answers}
        real = socket.getaddrinfo

        def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
            if host not in self.answers:
                return real(host, port, family, type, proto, flags)
            sequence = self.answers[host]
            answer = sequence[min(self.lookups[host], len(sequence) - 1)]
            self.lookups[host] += 1
            return [
                (_family(address), socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))
                for address in answer
            ]

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def self_signed_certificate(folder, host):
    """(PEM file with key and certificate for `host`) made with the openssl command."""
    require_program("/usr/bin/openssl", "apt-get install -y openssl")
    pem = folder / f"{host}.pem"
    subprocess.run(
        [
            "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", f"/CN={host}", "-addext", f"subjectAltName=DNS:{host}",
            "-keyout", str(pem), "-out", str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    pem.write_text(pem.read_text() + (folder / "cert.pem").read_text())
    return pem, folder / "cert.pem"
