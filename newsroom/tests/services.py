"""Reaching the real services (Redis, PostgreSQL) that some tests need."""

import os
import socket

import pytest


def require_service(name, host, port):
    """Skip with a reason when a service is down; fail instead under CI's strict mode."""
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as error:
        message = f"{name} is not reachable at {host}:{port} ({error})"
        if os.environ.get("NEWSROOM_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
