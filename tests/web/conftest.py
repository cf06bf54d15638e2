"""Web fixtures: the real app on a real SQLite file and, when available, a real PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from amante.config import Settings
from amante.web.app import create_app


@pytest.fixture
def settings(tmp_path, db_url) -> Settings:
    return Settings(home=tmp_path / "home", database_url=db_url, secret_key="x" * 40)


@pytest.fixture
def app(settings):
    application = create_app(settings)
    yield application
    application.state.db.close()


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app)
