"""A loopback stand-in for Discord's HTTP API v10 and Gateway v10, for end-to-end tests that run
the unmodified discord.py client against 127.0.0.1.

Quick start (see ``fixtures.py`` for the ready-made ``standin`` fixture and ``run_bot``)::

    async with run_bot(my_bot, standin):
        reply = await standin.slash("ping")
        assert reply.embeds[0]["title"] == "Pong"
        standin.assert_clean()
"""

import warnings

with warnings.catch_warnings():
    # discord.py's voice module imports the stdlib ``audioop``, deprecated since Python 3.11; under
    # ``filterwarnings = ["error"]`` that import would fail collection. Import discord once here
    # with only that warning silenced (later imports reuse the loaded module).
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord  # noqa: F401

from .compat import CHECKED_DISCORD_PY
from .constants import ChannelType, Permission
from .events import InteractionTimeout
from .faults import Fault, InjectedFault
from .guilds import GuildSpec, MemberSpec
from .limits import (
    assert_within_discord_limits,
    check_callback_limits,
    check_command_limits,
    check_message_limits,
)
from .models import LimitViolation, MessageView, RecordedRequest, Reply, UploadedFile
from .options import Opt
from .ratelimit import GlobalRateLimit
from .server import DiscordStandIn
from .world import World

__all__ = [
    "CHECKED_DISCORD_PY",
    "ChannelType",
    "DiscordStandIn",
    "Fault",
    "GlobalRateLimit",
    "GuildSpec",
    "InjectedFault",
    "InteractionTimeout",
    "LimitViolation",
    "MemberSpec",
    "MessageView",
    "Opt",
    "Permission",
    "RecordedRequest",
    "Reply",
    "UploadedFile",
    "World",
    "assert_within_discord_limits",
    "check_callback_limits",
    "check_command_limits",
    "check_message_limits",
]
