"""What every migrate sets up besides the schema (newsroom/apps.py)."""

import sqlite3

from .test_settings import run_manage

PRODUCTION = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "news.example.org"}


def test_migrate_creates_the_cache_table(tmp_path):
    database = tmp_path / "site.sqlite3"
    result = run_manage("migrate", "--no-input", **PRODUCTION, DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as connection:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
    assert "newsroom_cache" in tables
