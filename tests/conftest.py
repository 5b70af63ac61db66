"""Shared fixtures: one store built from the seeds into a temporary path for the whole run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from data.store import DB_PATH_ENV, build_store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A store built from the committed seeds; the app under test points at it via the env var."""
    path = tmp_path_factory.mktemp("store") / "test.duckdb"
    build_store(path)
    previous = os.environ.get(DB_PATH_ENV)
    os.environ[DB_PATH_ENV] = str(path)
    yield path
    if previous is None:
        os.environ.pop(DB_PATH_ENV, None)
    else:
        os.environ[DB_PATH_ENV] = previous


@pytest.fixture(scope="session", autouse=True)
def scenario_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Saved scenarios go to a temporary file for the whole run (never the developer's own)."""
    from data.scenarios import PATH_ENV

    path = tmp_path_factory.mktemp("scenarios") / "scenarios.duckdb"
    previous = os.environ.get(PATH_ENV)
    os.environ[PATH_ENV] = str(path)
    yield path
    if previous is None:
        os.environ.pop(PATH_ENV, None)
    else:
        os.environ[PATH_ENV] = previous


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A private PostgreSQL server for the run (Debian's binaries; see tests/pg_server.py).

    Skipped on a developer machine without the server package; in CI (``CI=true``, where
    ``.ci/run`` installs it) its absence fails the run instead of hiding the tests."""
    from tests.pg_server import binaries, postgres_server

    if binaries() is None:
        message = "PostgreSQL server binaries not found (apt-get install -y postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with postgres_server() as url:
        yield url
