"""Checking that a cited web page still answers."""

from dataclasses import dataclass

from newsroom import outbound

USER_AGENT = "NewsroomLinkCheck/1.0 (+citation checker)"
# Servers that refuse HEAD answer these; a GET tells the truth.
RETRY_WITH_GET = {403, 405, 501}
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class LinkCheck:
    ok: bool
    result: str


def check_url(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> LinkCheck:
    """HEAD, then GET where HEAD is refused; redirects are followed, each to a public address.

    The result names the status or the problem, never what the page says; every
    address that is not public gets the same answer, whatever listens there.
    """
    request = {"timeout": timeout, "headers": {"User-Agent": USER_AGENT}}
    try:
        response = outbound.fetch(url, method="HEAD", **request)
        if response.status in RETRY_WITH_GET:
            response = outbound.fetch(url, method="GET", **request)
    except outbound.NotPublic:
        return LinkCheck(False, "Refused: address not public")
    except outbound.NoAnswer:
        return LinkCheck(False, f"No answer within {timeout:g} s")
    except outbound.Unreachable as error:
        return LinkCheck(False, f"Unreachable: {error}")
    except outbound.OutboundError as error:
        return LinkCheck(False, f"Failed: {error}")
    note = " after a redirect" if response.redirected else ""
    return LinkCheck(200 <= response.status < 400, f"{response.status} {response.reason}{note}")
