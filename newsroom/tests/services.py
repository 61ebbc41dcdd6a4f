"""Reaching the real components (Redis, Chromium, shared files) that some tests need."""

import os
import socket

import pytest


def _missing(message):
    """Skip with the reason; under CI's strict mode a missing component is a failure."""
    if os.environ.get("NEWSROOM_REQUIRE_SERVICES") == "1":
        pytest.fail(message)
    pytest.skip(message)


def require_service(name, host, port):
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as error:
        _missing(f"{name} is not reachable at {host}:{port} ({error})")


def require_program(path, install_hint):
    if not os.access(path, os.X_OK):
        _missing(f"{path} is not installed ({install_hint})")


def require_path(path, what):
    """A file or folder outside the repository that a test reads (e.g. ../shared/ninjs)."""
    if not os.path.exists(path):
        _missing(f"{path} is not there ({what})")
