"""One settings object for amante: AMANTE_* environment variables or a .env file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where data lives and which parts are used. Read once per process."""

    model_config = SettingsConfigDict(env_prefix="AMANTE_", env_file=".env", extra="ignore")

    home: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir("amante")))
    database_url: str | None = None
    backend: str = "builtin"
    region: str = "INTL"
    user: str = "local"
    encryption_keys: str | None = None

    @field_validator("home")
    @classmethod
    def _expand(cls, v: Path) -> Path:
        return v.expanduser()

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'amante.db'}"


@cache
def get_settings() -> Settings:
    return Settings()
