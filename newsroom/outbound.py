"""HTTP requests to addresses that editors and wire documents choose.

A citation link or a wire picture's href may name this machine, the private
network or the cloud's metadata service (127.0.0.1, 10.0.0.5,
169.254.169.254). Fetching it would let whoever typed it reach, through us,
services no reader can: the link checker would report what answered there,
the importer would store it. So every request here resolves the host once,
refuses it unless every address it has is public, connects to exactly the
address it checked (a second DNS answer cannot swap in another), follows
redirects itself with the same check on every hop, and reads a bounded number
of bytes. Error messages are ours: they never quote what a server sent, and a
refused address gives the same one whether or not anything listens there.

It imports none of our apps: the link checker and the ninjs importer share it.
"""

import http.client
import ipaddress
import socket
import ssl
import urllib.parse
from dataclasses import dataclass

from django.conf import settings

MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# Names that never leave the machine or the local network (RFC 6761, 6762, 8375, and
# ICANN's .internal), whatever a resolver answers for them.
LOCAL_NAMES = {"localhost", "localhost.localdomain"}
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa", ".localdomain")
# IPv6 prefixes that carry an IPv4 address, judged by that address: NAT64 (RFC 6052)
# and IPv4-compatible (deprecated, ::a.b.c.d). IPv4-mapped and 6to4 have attributes.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class OutboundError(Exception):
    """Why a request failed, in words safe to show an editor (never a server's content)."""


class NotPublic(OutboundError):
    """The address is not on the public internet (or a redirect led to one that is not)."""

    def __init__(self):
        super().__init__("address not public")


class Unreachable(OutboundError):
    """The name does not resolve, or nothing accepts the connection."""


class NoAnswer(OutboundError):
    """The server took longer than the timeout to connect or answer."""


class TooLarge(OutboundError):
    def __init__(self, limit: int):
        super().__init__(f"larger than {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class Response:
    url: str  # after any redirects
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes  # at most max_bytes
    redirected: bool


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether the address is on the public internet: not loopback, private, link-local,
    multicast, reserved, unspecified, shared (CGNAT 100.64/10) or documentation, nor an
    IPv6 address wrapping an IPv4 address that is one of those."""
    if address.version == 6:
        embedded = (
            address.ipv4_mapped
            or address.sixtofour
            or (ipaddress.IPv4Address(int(address) & 0xFFFFFFFF) if address in NAT64 else None)
        )
        if embedded is not None:
            return is_public_address(embedded)
        if address in IPV4_COMPATIBLE or address.is_site_local:
            return False
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_link_local
    )


def is_local_host(host: str) -> bool:
    """Whether a URL's host is, as written, an address or name no reader could reach."""
    host = host.lower().rstrip(".")
    if host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES):
        return True
    try:
        return not is_public_address(ipaddress.ip_address(host))
    except ValueError:  # a name, not an address
        return False


def resolves_to_local(host: str) -> bool:
    """Whether the name resolves, here and now, to an address that is not public."""
    try:
        return not all(is_public_address(address) for address in _resolve(host, 80))
    except Unreachable:
        return False


def privately_resolved_hosts(*urls: str) -> list[str]:
    """The host names among the URLs that resolve, here and now, to an address that is not
    public: readers may not reach them, and fetch() refuses them."""
    hosts = {urllib.parse.urlsplit(url).hostname for url in urls if url}
    return sorted(host for host in hosts if host and resolves_to_local(host))


def fetch(
    url: str,
    *,
    method: str = "GET",
    timeout: float,
    max_bytes: int = 0,
    headers: dict[str, str] | None = None,
) -> Response:
    """One request, redirects followed, every hop to a checked public address.

    Reads at most `max_bytes` of a 2xx answer's body (0: none; other answers'
    bodies are never read); raises TooLarge beyond that and OutboundError
    (NotPublic, Unreachable, NoAnswer …) when there is no answer to give. Any
    status, 4xx and 5xx included, is a Response.
    """
    for hop in range(MAX_REDIRECTS + 1):
        connection = _connect(url, timeout)
        try:
            connection.request(method, _path(url), headers=headers or {})
            response = connection.getresponse()
            location = response.getheader("Location")
            if response.status in REDIRECT_STATUSES and location:
                url = urllib.parse.urljoin(url, location)
                continue
            return Response(
                url=url,
                status=response.status,
                reason=response.reason,
                headers=response.headers,
                body=_read(response, max_bytes) if 200 <= response.status < 300 else b"",
                redirected=hop > 0,
            )
        except TimeoutError as error:
            raise NoAnswer(f"no answer within {timeout:g} s") from error
        except http.client.HTTPException as error:
            raise OutboundError("the server's answer is not valid HTTP") from error
        except OSError as error:
            raise Unreachable(error.strerror or "the connection was lost") from error
        finally:
            connection.close()
    raise OutboundError(f"more than {MAX_REDIRECTS} redirects")


def _allowed(address) -> bool:
    """Public, or in a network the settings open for testing or an intranet."""
    # ::ffff:127.0.0.1 is 127.0.0.1: judge the IPv4 address the settings name.
    address = getattr(address, "ipv4_mapped", None) or address
    return is_public_address(address) or any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS
    )


def _resolve(host: str, port: int) -> list:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Unreachable("the host name does not resolve") from error
    return list(dict.fromkeys(ipaddress.ip_address(answer[4][0]) for answer in answers))


def _connect(url: str, timeout: float) -> http.client.HTTPConnection:
    """A connection to the URL's host that can only reach the addresses checked here."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise OutboundError("not a valid web address") from error
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise OutboundError("not an http(s) address")
    connection_class = PinnedHTTPSConnection if parts.scheme == "https" else PinnedHTTPConnection
    port = port or connection_class.default_port
    # Every address the name has, not only the first: a later connection attempt (or
    # a resolver rotating its answers) could otherwise land on the one not checked.
    addresses = _resolve(parts.hostname, port)
    if not all(_allowed(address) for address in addresses):
        raise NotPublic
    return connection_class(parts.hostname, port, addresses=addresses, timeout=timeout)


def _path(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    # Wire and citation URLs arrive with spaces and non-ASCII letters; HTTP wants them
    # escaped (what is escaped already stays as it is).
    path = urllib.parse.quote(parts.path or "/", safe="/%:@!$&'()*+,;=~")
    query = urllib.parse.quote(parts.query, safe="/?%:@!$&'()*+,;=~")
    return f"{path}?{query}" if query else path


def _read(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    if not max_bytes:
        return b""
    length = response.getheader("Content-Length") or ""
    if length.isdigit() and int(length) > max_bytes:
        raise TooLarge(max_bytes)
    # One byte past the limit: a server may send no length, or lie about it.
    body = response.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise TooLarge(max_bytes)
    return body


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Sends Host: <the name> but connects only to the addresses checked for it."""

    def __init__(self, host, port, *, addresses, timeout):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self):
        error = OSError("no address")
        for address in self.addresses:
            try:
                self.sock = socket.create_connection((str(address), self.port), self.timeout)
                return
            except TimeoutError:
                raise
            except OSError as refused:
                error = refused
        raise error


class PinnedHTTPSConnection(PinnedHTTPConnection):
    """TLS to the checked address, with SNI and the certificate checked for the host name."""

    default_port = 443

    def connect(self):
        super().connect()
        # Made per connection so it reads the system's (or SSL_CERT_FILE's) roots as they are.
        context = ssl.create_default_context()
        try:
            self.sock = context.wrap_socket(self.sock, server_hostname=self.host)
        except ssl.SSLCertVerificationError as error:
            raise OutboundError(f"TLS certificate refused ({error.verify_message})") from error
        except ssl.SSLError as error:
            raise OutboundError("the TLS handshake failed") from error
