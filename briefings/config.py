"""Settings the core needs, read from the environment and `.env` (never at import time)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_PATH = Path("data/briefings.db")


class CoreSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    database_path: Path = Field(
        default=DEFAULT_DATABASE_PATH,
        description="SQLite file; created and seeded with the shipped packs on first use.",
    )
    database_url: str | None = Field(
        default=None,
        description="postgresql://user:password@host/database for PostgreSQL (several bot "
        "processes can share it); sqlite:///path or a path: SQLite. Unset: DATABASE_PATH.",
    )

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str | None) -> str | None:
        if (
            value
            and "://" in value
            and not value.startswith(("sqlite:///", "postgresql://", "postgres://"))
        ):
            raise ValueError("use sqlite:///path, a path, or postgresql://user@host/database")
        return value

    @property
    def database(self) -> str | Path:
        """Where the store is: DATABASE_URL when set, else the DATABASE_PATH file."""
        return self.database_url or self.database_path
