"""Checking that a cited web page still answers."""

import http.client
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass

USER_AGENT = "NewsroomLinkCheck/1.0 (+citation checker)"
# Servers that refuse HEAD answer these; a GET tells the truth.
RETRY_WITH_GET = {403, 405, 501}


@dataclass(frozen=True)
class LinkCheck:
    ok: bool
    result: str


def _request(url, method, timeout):
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        redirected = response.geturl() != url
        return response.status, response.reason, redirected


def check_url(url: str, *, timeout: float = 10) -> LinkCheck:
    """HEAD, then GET where HEAD is refused; redirects are followed."""
    try:
        try:
            status, reason, redirected = _request(url, "HEAD", timeout)
        except urllib.error.HTTPError as error:
            if error.code not in RETRY_WITH_GET:
                raise
            status, reason, redirected = _request(url, "GET", timeout)
    except urllib.error.HTTPError as error:
        return LinkCheck(False, f"{error.code} {error.reason}")
    except TimeoutError:
        return LinkCheck(False, f"No answer within {timeout:g} s")
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return LinkCheck(False, f"No answer within {timeout:g} s")
        return LinkCheck(False, f"Unreachable: {reason}")
    except (http.client.HTTPException, OSError, ValueError) as error:
        return LinkCheck(False, f"Failed: {error}")
    note = " after a redirect" if redirected else ""
    return LinkCheck(200 <= status < 400, f"{status} {reason}{note}")
