"""The bot's settings: one pydantic-settings class, read from the environment and `.env`."""

from __future__ import annotations

import logging
import re
import sys
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import NoDecode

from briefings.config import CoreSettings

_TOKEN_SHAPE = re.compile(r"^[\w-]{17,}\.[\w-]{4,}\.[\w-]{20,}$")

MISSING_TOKEN_HELP = """\
DISCORD_TOKEN is {problem}.

Get a bot token from the Discord Developer Portal (https://discord.com/developers/applications
-> your application -> Bot -> Reset Token), then put it in the environment or in a .env file
next to where you start the bot:

    DISCORD_TOKEN=your-token-here

(.env.example lists every setting.) To read the briefing without Discord, use the offline CLI:

    ./run cli ask "What does Turkey gain from Assad's fall?"
"""


class Settings(CoreSettings):
    discord_token: SecretStr = Field(description="The bot's token. Required; never logged.")
    dev_guild_id: int | None = Field(
        default=None, description="Sync commands to this guild at start (instant), for testing."
    )
    owner_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Comma-separated user ids allowed to run owner actions."
    )
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR.")
    log_format: Literal["text", "json"] = Field(
        default="text", description="text, or json: one object per line (no content, no token)."
    )
    shard_count: int | None = Field(
        default=None, ge=1, description="Fixed shard count; unset lets Discord recommend one."
    )
    health_host: str = Field(
        default="127.0.0.1",
        description="Address the /livez, /readyz and /metrics server binds (local only).",
    )
    health_port: int | None = Field(
        default=None, ge=0, le=65535, description="Port of that server; unset: no server."
    )
    source_allow_loopback: bool = Field(
        default=False,
        description="Tests only: /source url may fetch from 127.0.0.1 (no other private range).",
    )
    shard_ids: Annotated[list[int] | None, NoDecode] = Field(
        default=None, description="Shard ids this process runs (with SHARD_COUNT); unset: all."
    )
    delivery_requests_per_s: float = Field(
        default=48.0, gt=0, le=50, description="Delivery requests/s this process may make."
    )

    @field_validator("discord_token")
    @classmethod
    def _token_shape(cls, token: SecretStr) -> SecretStr:
        if not _TOKEN_SHAPE.match(token.get_secret_value().strip()):
            raise ValueError("malformed: a bot token has three dot-separated parts")
        return SecretStr(token.get_secret_value().strip())

    @field_validator("owner_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _split_shards(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()] or None
        return value

    @model_validator(mode="after")
    def _shards_need_a_count(self) -> Settings:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("SHARD_IDS needs SHARD_COUNT (the total across processes)")
            if any(not 0 <= i < self.shard_count for i in self.shard_ids):
                raise ValueError("SHARD_IDS must be between 0 and SHARD_COUNT - 1")
        return self

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in logging.getLevelNamesMapping():
            raise ValueError(f"unknown log level {value!r}")
        return level


def load_settings_or_exit() -> Settings:
    """Settings, or a clear message and exit code 2 (the token is never echoed)."""
    try:
        return Settings()  # filled from the environment
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else ""
            if field == "discord_token":
                problem = "missing" if error["type"] == "missing" else "malformed"
                print(MISSING_TOKEN_HELP.format(problem=problem), file=sys.stderr)
            else:
                print(f"Setting {field.upper()}: {error['msg']}", file=sys.stderr)
        raise SystemExit(2) from None
