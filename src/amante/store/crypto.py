"""Encryption at rest for sensitive text (messages, memories, journal) with operator-held keys.

Keys are Fernet keys (AES-128-CBC + HMAC-SHA256, from `cryptography`). The first key encrypts;
all keys decrypt, so rotation is: add a new key first, re-encrypt (`amante db rotate-key`),
then drop the old one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

TOKEN_PREFIX = "gAAAAA"  # every Fernet token starts with its version byte 0x80, base64 "gAAAAA"


class CryptoError(RuntimeError):
    """The encryption key is missing, malformed, or cannot decrypt stored data."""


class Keyring:
    """The operator's keys: the first encrypts, every key decrypts."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise CryptoError("no encryption key configured")
        try:
            self.fernets = [Fernet(k.encode() if isinstance(k, str) else k) for k in keys]
        except (ValueError, TypeError) as exc:
            raise CryptoError(
                "an encryption key is malformed: each key must be 32 url-safe base64-encoded "
                "bytes (generate one with `amante db new-key`)"
            ) from exc
        self.multi = MultiFernet(self.fernets)
        self.keys = list(keys)

    def encrypt(self, text: str) -> str:
        return self.multi.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        if not token.startswith(TOKEN_PREFIX):
            return token  # written before encryption was enabled; rotate-key encrypts it
        try:
            return self.multi.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise CryptoError(
                "stored text cannot be decrypted with the configured keys; "
                "check AMANTE_ENCRYPTION_KEYS or the key file"
            ) from exc

    def rotate(self, token: str) -> str:
        """Re-encrypt a value with the first key (plaintext legacy values get encrypted)."""
        if not token.startswith(TOKEN_PREFIX):
            return self.encrypt(token)
        return self.multi.rotate(token.encode("ascii")).decode("ascii")


_active: Keyring | None = None


def set_keyring(keyring: Keyring | None) -> None:
    """Install the keyring used by EncryptedText columns in this process."""
    global _active
    _active = keyring


def active_keyring() -> Keyring:
    if _active is None:
        raise CryptoError("no encryption keyring is active; open the database through amante")
    return _active


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def load_or_create_keys(home: Path, configured: str | None) -> list[str]:
    """Keys from config (comma-separated, newest first), else the key file in `home`.

    The embedded default generates the key file on first run, readable only by its owner.
    """
    if configured:
        return [k.strip() for k in configured.split(",") if k.strip()]
    path = home / "encryption.key"
    if path.exists():
        keys = [k.strip() for k in path.read_text(encoding="ascii").splitlines() if k.strip()]
        if keys:
            return keys
    home.mkdir(parents=True, exist_ok=True)
    key = new_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return [key]


class EncryptedText(TypeDecorator):
    """A Text column whose values are encrypted with the active keyring."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: object) -> str | None:
        if value is None:
            return None
        return active_keyring().encrypt(value)

    def process_result_value(self, value: str | None, dialect: object) -> str | None:
        if value is None:
            return None
        return active_keyring().decrypt(value)


class EncryptedJSON(TypeDecorator):
    """A JSON value stored as encrypted text (for analysis details and profiles)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: object, dialect: object) -> str | None:
        if value is None:
            return None
        return active_keyring().encrypt(json.dumps(value, ensure_ascii=False))

    def process_result_value(self, value: str | None, dialect: object) -> object:
        if value is None:
            return None
        return json.loads(active_keyring().decrypt(value))
