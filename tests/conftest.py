"""Shared fixtures: one store built from the seeds into a temporary path for the whole run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from data.store import DB_PATH_ENV, build_store

ROOT = Path(__file__).resolve().parents[1]

# Mutation runs (benchmarks/mutation.py) run the suite once per mutant: they set this variable to cap
# the examples every hypothesis test draws, including tests whose @settings ask for more. Unset (the
# normal suite, CI), nothing changes.
MAX_EXAMPLES_ENV = "SCORING_HYPOTHESIS_MAX_EXAMPLES"
_cap = os.environ.get(MAX_EXAMPLES_ENV)
if _cap:
    settings.register_profile("mutation", max_examples=int(_cap), deadline=None)
    settings.load_profile("mutation")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under the mutation cap, lower each test's own ``max_examples`` to it (read when the test runs)."""
    if not _cap:
        return
    for item in items:
        test = getattr(item, "obj", None)
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is not None and own.max_examples > int(_cap):
            test._hypothesis_internal_use_settings = settings(own, max_examples=int(_cap))


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
