"""Settings the core needs, read from the environment and `.env` (never at import time)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
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
