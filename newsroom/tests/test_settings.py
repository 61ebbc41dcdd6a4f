"""Start-up behaviour of newsroom/settings.py, checked in fresh processes.

Settings are read once per process, so each case runs manage.py in a
subprocess with exactly the environment under test.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from newsroom.tests.services import require_service

ROOT = Path(__file__).resolve().parents[2]
# What a bare production environment has: none of the project's variables.
PROJECT_VARIABLES = ("DJANGO_", "DATABASE_URL", "CACHE_URL", "REDIS_URL", "EMAIL_URL", "AWS_")


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(PROJECT_VARIABLES)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def django_shell(code, **env):
    result = run_manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_ALLOWED_HOSTS="news.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_production_starts_when_configured():
    result = run_manage(
        "check", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="news.example.org"
    )
    assert result.returncode == 0, result.stderr


PRODUCTION = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "news.example.org"}


@pytest.mark.parametrize(
    "networks", ["127.0.0.0/8", "0.0.0.0/0", "10.0.0.0/8,169.254.169.254/32", "::1/128"]
)
def test_production_refuses_to_let_outbound_requests_reach_this_machine_or_metadata(networks):
    result = run_manage("check", **PRODUCTION, NEWSROOM_OUTBOUND_ALLOWED_NETWORKS=networks)
    assert result.returncode != 0
    assert "NEWSROOM_OUTBOUND_ALLOWED_NETWORKS" in result.stderr
    assert "includes loopback, 0.0.0.0 or link-local addresses" in result.stderr


def test_outbound_requests_may_reach_an_intranet_network_named_exactly():
    out = django_shell(
        "from django.conf import settings; print(settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS)",
        **PRODUCTION,
        NEWSROOM_OUTBOUND_ALLOWED_NETWORKS="10.20.0.0/16,fd00:20::/64",
    )
    assert out == "['10.20.0.0/16', 'fd00:20::/64']"
    typo = run_manage("check", **PRODUCTION, NEWSROOM_OUTBOUND_ALLOWED_NETWORKS="10.20.0/16")
    assert typo.returncode != 0
    assert "“10.20.0/16” is not a network" in typo.stderr
    # A developer's wire server on this machine.
    local = run_manage("check", DJANGO_DEBUG="1", NEWSROOM_OUTBOUND_ALLOWED_NETWORKS="127.0.0.1")
    assert local.returncode == 0, local.stderr


@pytest.mark.parametrize(
    ("edge", "missing"),
    [
        ({"NEWSROOM_EDGE": "varnish"}, "NEWSROOM_VARNISH_URL"),
        (
            {"NEWSROOM_EDGE": "fastly", "NEWSROOM_FASTLY_SERVICE_ID": "SU1Z0isxPaozGVKXdv0eY"},
            "NEWSROOM_FASTLY_KEY",
        ),
        ({"NEWSROOM_EDGE": "cloudflare"}, "NEWSROOM_CLOUDFLARE_ZONE and NEWSROOM_CLOUDFLARE_TOKEN"),
    ],
)
def test_production_refuses_an_edge_it_could_not_purge(edge, missing):
    result = run_manage("check", **PRODUCTION, **edge)
    assert result.returncode != 0
    assert f"NEWSROOM_EDGE={edge['NEWSROOM_EDGE']} needs {missing}" in result.stderr


def test_an_edge_must_be_one_we_purge():
    result = run_manage("check", **PRODUCTION, NEWSROOM_EDGE="akamai")
    assert result.returncode != 0
    assert "“akamai” is not an edge we purge" in result.stderr
    varnish = run_manage(
        "check",
        **PRODUCTION,
        NEWSROOM_EDGE="varnish",
        NEWSROOM_VARNISH_URL="http://127.0.0.1:6081/",
    )
    assert varnish.returncode == 0, varnish.stderr


def test_debug_mode_starts_with_no_configuration_and_uses_console_email():
    out = django_shell(
        "from django.conf import settings; print(settings.DEBUG, settings.EMAIL_BACKEND)",
        DJANGO_DEBUG="1",
    )
    assert out == "True django.core.mail.backends.console.EmailBackend"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    out = django_shell(
        "from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], "
        "c.execute('PRAGMA busy_timeout').fetchone()[0])",
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'wal.sqlite3'}",
    )
    assert out == "wal 20000"


def test_database_url_selects_postgresql():
    out = django_shell(
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['HOST'], d['NAME'], d['CONN_HEALTH_CHECKS'])",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://editor@db.example.org:5432/newsroom",
    )
    assert out == "django.db.backends.postgresql db.example.org newsroom True"


def test_redis_url_gives_a_shared_redis_cache_that_works():
    require_service("Redis", "127.0.0.1", 6379)
    out = django_shell(
        "from django.core.cache import caches; cache = caches['default']; "
        "cache.set('settings-test', 'shared', 30); "
        "print(type(cache).__name__, cache.get('settings-test'))",
        DJANGO_DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6379/15",
    )
    assert out == "RedisCache shared"


def test_redis_down_means_cache_misses_not_errors():
    """REDIS_URL at a closed port: reads miss and writes are dropped, nothing raises."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    out = django_shell(
        "from django.core.cache import caches; cache = caches['default']; "
        "cache.set('settings-test', 'lost', 30); "
        "print(type(cache).__module__, cache.get('settings-test'))",
        DJANGO_DEBUG="1",
        DJANGO_LOG_LEVEL="CRITICAL",
        REDIS_URL=f"redis://127.0.0.1:{closed}/14",
    )
    assert out == "django_redis.cache None"


def test_without_a_cache_url_the_cache_is_local_memory():
    out = django_shell(
        "from django.core.cache import caches; print(type(caches['default']).__name__)",
        DJANGO_DEBUG="1",
    )
    assert out == "LocMemCache"


def test_production_without_redis_counts_in_the_database_and_keeps_pages_in_memory():
    out = django_shell(
        "from django.core.cache import caches; "
        "print(type(caches['default']).__name__, type(caches['pages']).__name__)",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="news.example.org",
    )
    assert out == "CountingDatabaseCache LocMemCache"


def test_with_a_shared_cache_pages_live_in_it_too():
    out = django_shell(
        "from django.core.cache import caches; "
        "print(type(caches['default']).__name__, type(caches['pages']).__name__)",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="news.example.org",
        REDIS_URL="redis://127.0.0.1:6379/15",
    )
    assert out == "RedisCache RedisCache"


def test_email_url_configures_smtp():
    out = django_shell(
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS)",
        DJANGO_DEBUG="1",
        EMAIL_URL="smtp+tls://desk:secret@smtp.example.org:587",
    )
    assert out == "django.core.mail.backends.smtp.EmailBackend smtp.example.org 587 True"


def test_system_check_is_clean():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
