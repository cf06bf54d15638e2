"""One settings object for amante: AMANTE_* environment variables or a .env file."""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where data lives and which parts are used. Read once per process."""

    model_config = SettingsConfigDict(env_prefix="AMANTE_", env_file=".env", extra="ignore")

    home: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir("amante")))
    database_url: str | None = None
    backend: str = "builtin"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = Field(default=30.0, gt=0, le=600)
    llm_max_tokens: int = Field(default=400, ge=16, le=8192)
    llm_context_tokens: int = Field(default=4096, ge=512, le=1_000_000)
    llm_model_path: str | None = None
    region: str = "INTL"
    user: str = "local"
    encryption_keys: str | None = None

    env: Literal["development", "production"] = "development"
    secret_key: str | None = None
    session_days: int = Field(default=14, ge=1, le=365)
    cookie_secure: bool = False
    quick_exit_url: str = "https://www.google.com/search?q=weather"
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)

    @field_validator("home")
    @classmethod
    def _expand(cls, v: Path) -> Path:
        return v.expanduser()

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'amante.db'}"


PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "dev", "development", "please-change"}


class UnsafeSettings(ValueError):
    """A setting that must not be used outside development."""


def resolve_secret_key(settings: Settings) -> str:
    """The configured secret, or (embedded default) one generated into the data folder.

    Outside development a missing, placeholder or short secret is refused at start.
    """
    key = settings.secret_key
    if key is not None:
        weak = key.strip().lower() in PLACEHOLDER_SECRETS or len(key) < 32
        if weak and settings.env != "development":
            raise UnsafeSettings(
                "AMANTE_SECRET_KEY is a placeholder or shorter than 32 characters; "
                "set a long random value (python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))')"
            )
        return key
    if settings.env != "development":
        raise UnsafeSettings("AMANTE_SECRET_KEY must be set when AMANTE_ENV=production")
    path = settings.home / "secret.key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    settings.home.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(value + "\n", encoding="ascii")
    return value


@cache
def get_settings() -> Settings:
    return Settings()
