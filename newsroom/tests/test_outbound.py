"""newsroom/outbound.py against real listeners on loopback.

With the default settings every loopback, private or link-local address is
refused, and the listeners show that nothing connected. The success paths
open 127.0.0.2 (or all of loopback) through NEWSROOM_OUTBOUND_ALLOWED_NETWORKS,
the escape hatch tests and intranets use.
"""

import ipaddress

import pytest

from newsroom import outbound
from newsroom.tests.network import (
    Resolver,
    closed_port,
    free_port_on_both,
    listening,
    self_signed_certificate,
)

OK = {"/ok": (200, {}, b"fine")}


def fetch(url, **kwargs):
    return outbound.fetch(url, timeout=kwargs.pop("timeout", 3), **kwargs)


@pytest.fixture
def internal():
    """The services a crafted URL would aim at: one on 127.0.0.1, one on ::1."""
    with listening("127.0.0.1", routes=OK) as v4, listening("::1", routes=OK) as v6:
        yield v4, v6


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{v4}/ok",
        "http://localhost:{v4}/ok",
        "http://LOCALHOST:{v4}/ok",
        "http://127.1:{v4}/ok",
        "http://2130706433:{v4}/ok",
        "http://0x7f000001:{v4}/ok",
        "http://0.0.0.0:{v4}/ok",
        "https://127.0.0.1:{v4}/ok",
        "http://[::1]:{v6}/ok",
        "http://[::ffff:127.0.0.1]:{v4}/ok",
        "http://[::]:{v6}/ok",
        "http://user:secret@127.0.0.1:{v4}/ok",
        # Nothing listens at these; a connection attempt would show as a timeout.
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/",
        "http://10.0.0.5/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://[fd00::1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[2002:7f00:1::]/",
    ],
)
def test_addresses_that_are_not_public_are_refused_before_connecting(internal, url):
    v4, v6 = internal
    with pytest.raises(outbound.NotPublic, match=r"^address not public$"):
        fetch(url.format(v4=v4.port, v6=v6.port), timeout=10)
    assert (v4.connections, v6.connections) == (0, 0)


def test_the_refusal_is_the_same_whether_or_not_anything_listens(internal):
    v4, _ = internal
    answers = set()
    for port in (v4.port, closed_port()):
        with pytest.raises(outbound.NotPublic) as refusal:
            fetch(f"http://127.0.0.1:{port}/ok")
        answers.add(str(refusal.value))
    assert answers == {"address not public"}
    assert v4.connections == 0


def test_every_redirect_hop_is_checked_and_the_internal_one_gets_nothing(settings, internal):
    v4, v6 = internal
    settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    routes = {
        "/to-v4": (302, {"Location": v4.url("/ok")}, b""),
        "/to-v6": (301, {"Location": v6.url("/ok")}, b""),
        "/to-localhost": (307, {"Location": f"http://localhost:{v4.port}/ok"}, b""),
        "/via": (302, {"Location": "/to-v4"}, b""),
        **OK,
    }
    with listening("127.0.0.2", routes=routes) as public:
        for path in routes.keys() - OK.keys():
            with pytest.raises(outbound.NotPublic):
                fetch(public.url(path))
        assert fetch(public.url("/ok")).body == b""
    assert (v4.connections, v6.connections) == (0, 0)
    assert [path for _, path, _ in public.requests if path == "/to-v4"] == ["/to-v4"] * 2


def test_redirects_are_followed_to_a_limit_and_only_to_web_addresses(settings):
    settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    routes = {
        "/moved": (301, {"Location": "/ok"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/file": (302, {"Location": "file:///etc/passwd"}, b""),
        **OK,
    }
    with listening("127.0.0.2", routes=routes) as public:
        moved = fetch(public.url("/moved"), max_bytes=100)
        assert (moved.status, moved.body, moved.redirected) == (200, b"fine", True)
        assert moved.url == public.url("/ok")
        with pytest.raises(outbound.OutboundError, match="more than 5 redirects"):
            fetch(public.url("/loop"))
        assert len(public.requests) == 1 + 1 + 6
        with pytest.raises(outbound.OutboundError, match="not an http"):
            fetch(public.url("/file"))


def test_it_connects_to_the_address_it_checked_not_a_second_dns_answer(settings, monkeypatch):
    """DNS rebinding: the first answer passes the check, the next would be 127.0.0.1."""
    settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    port = free_port_on_both("127.0.0.2", "127.0.0.1")
    resolver = Resolver(monkeypatch, {"wire.example.org": [["127.0.0.2"], ["127.0.0.1"]]})
    with (
        listening("127.0.0.2", port, routes=OK) as checked,
        listening("127.0.0.1", port, routes=OK) as rebound,
    ):
        response = fetch(f"http://wire.example.org:{port}/ok", max_bytes=100)
    assert (response.status, response.body) == (200, b"fine")
    assert resolver.lookups == {"wire.example.org": 1}
    assert rebound.connections == 0
    [(_, _, headers)] = checked.requests
    assert headers["Host"] == f"wire.example.org:{port}"


def test_a_name_with_any_address_that_is_not_public_is_refused(settings, monkeypatch):
    settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    port = free_port_on_both("127.0.0.2", "127.0.0.1")
    Resolver(monkeypatch, {"mixed.example.org": [["127.0.0.2", "127.0.0.1"]]})
    with (
        listening("127.0.0.2", port, routes=OK) as first,
        listening("127.0.0.1", port, routes=OK) as second,
        pytest.raises(outbound.NotPublic),
    ):
        fetch(f"http://mixed.example.org:{port}/ok")
    assert (first.connections, second.connections) == (0, 0)


def test_https_sends_the_host_name_and_checks_the_certificate_against_it(
    settings, monkeypatch, tmp_path
):
    settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    Resolver(monkeypatch, {"wire.example.org": [["127.0.0.2"]]})
    key_and_certificate, certificate = self_signed_certificate(tmp_path, "wire.example.org")
    with listening("127.0.0.2", routes=OK, tls=key_and_certificate) as server:
        with pytest.raises(outbound.OutboundError, match="TLS certificate refused"):
            fetch(f"https://wire.example.org:{server.port}/ok")
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
        response = fetch(f"https://wire.example.org:{server.port}/ok", max_bytes=100)
        assert (response.status, response.body) == (200, b"fine")
        # The same server by its address: the certificate does not name it.
        with pytest.raises(outbound.OutboundError, match="TLS certificate refused"):
            fetch(f"https://127.0.0.2:{server.port}/ok")
    assert server.server_names[:2] == ["wire.example.org", "wire.example.org"]


def test_paths_and_queries_are_sent_escaped(settings):
    settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with listening("127.0.0.1") as server:
        fetch(server.url("/Fähre Bild.jpg?q=a b&x=%20"))
    assert server.requests[0][1] == "/F%C3%A4hre%20Bild.jpg?q=a%20b&x=%20"


def test_the_body_is_read_up_to_the_limit_only(settings):
    settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    routes = {
        "/small": (200, {}, b"x" * 100),
        "/large": (200, {}, b"x" * 101),
        "/unsized": (200, {"Content-Length": None, "Connection": "close"}, b"x" * 5000),
        "/error": (500, {}, b"x" * 5000),
    }
    with listening("127.0.0.1", routes=routes) as server:
        assert fetch(server.url("/small"), max_bytes=100).body == b"x" * 100
        error = fetch(server.url("/error"), max_bytes=100)
        assert (error.status, error.body) == (500, b"")
        for path in ("/large", "/unsized"):
            with pytest.raises(outbound.TooLarge):
                fetch(server.url(path), max_bytes=100)
        assert fetch(server.url("/large")).body == b""


def test_messages_never_quote_what_the_server_sent(settings):
    settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with (
        listening("127.0.0.1", raw=b"-ERR SECRET-TOKEN-7 unknown command\r\n") as raw,
        pytest.raises(outbound.OutboundError) as failure,
    ):
        fetch(raw.url("/"))
    assert "SECRET" not in str(failure.value)
    assert str(failure.value) == "the server's answer is not valid HTTP"


def test_a_closed_port_on_an_allowed_network_is_unreachable(settings):
    settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with pytest.raises(outbound.Unreachable, match="Connection refused"):
        fetch(f"http://127.0.0.1:{closed_port()}/")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::1", True),
        ("::ffff:93.184.215.14", True),
        ("64:ff9b::5db8:d70e", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("100.64.0.1", False),
        ("169.254.169.254", False),
        ("192.0.2.1", False),
        ("224.0.0.251", False),
        ("255.255.255.255", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("::", False),
        ("::127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("fe80::1", False),
        ("fec0::1", False),
        ("fd12:3456::1", False),
        ("ff02::1", False),
        ("2001:db8::1", False),
    ],
)
def test_which_addresses_are_public(address, public):
    assert outbound.is_public_address(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("localhost", True),
        ("LOCALHOST.", True),
        ("api.localhost", True),
        ("printer.local", True),
        ("db.internal", True),
        ("nas.home.arpa", True),
        ("10.0.0.5", True),
        ("::1", True),
        ("169.254.169.254", True),
        ("news.example.org", False),
        ("93.184.215.14", False),
        ("localhost.example.org", False),
    ],
)
def test_which_hosts_are_local_as_written(host, local):
    assert outbound.is_local_host(host) is local
