"""Key rotation: re-encrypt every encrypted value with the newest key, in one transaction."""

from __future__ import annotations

from sqlalchemy import Engine, text

from amante.store.crypto import EncryptedJSON, EncryptedText, Keyring
from amante.store.models import Base


def encrypted_columns() -> list[tuple[str, str, str]]:
    """(table, primary key column, encrypted column) for every encrypted column in the models."""
    found = []
    for table in Base.metadata.sorted_tables:
        pk = table.primary_key.columns.values()[0].name
        for column in table.columns:
            if isinstance(column.type, EncryptedText | EncryptedJSON):
                found.append((table.name, pk, column.name))
    return found


def rotate_keys(engine: Engine, keyring: Keyring) -> int:
    """Re-encrypt all values with keyring's first key; returns how many values were rewritten.

    Reads raw column text (bypassing the column type), so plaintext from before encryption
    was enabled is encrypted too. Any failure rolls the whole rotation back.
    """
    count = 0
    with engine.begin() as conn:
        for table, pk, column in encrypted_columns():
            rows = conn.execute(text(f"SELECT {pk}, {column} FROM {table}")).all()
            for ident, raw in rows:
                if raw is None:
                    continue
                conn.execute(
                    text(f"UPDATE {table} SET {column} = :value WHERE {pk} = :ident"),
                    {"value": keyring.rotate(raw), "ident": ident},
                )
                count += 1
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return count
