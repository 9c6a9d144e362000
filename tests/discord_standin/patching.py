"""Point the unmodified discord.py client at the stand-in by patching its three base URLs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import discord.asset
import discord.gateway
import discord.http
import yarl


@contextmanager
def patched_discord(api_base: str, gateway_url: str, cdn_base: str) -> Iterator[None]:
    """Patch ``Route.BASE`` (REST), ``DiscordWebSocket.DEFAULT_GATEWAY`` (first gateway connect;
    READY's ``resume_gateway_url`` covers resumes) and ``Asset.BASE`` (CDN); restore on exit.

    ``Route.BASE`` is read when a route is built, so keep the patch active for the bot's life.
    """
    route_cls = discord.http.Route
    ws_cls = discord.gateway.DiscordWebSocket
    asset_cls = discord.asset.Asset
    saved = (route_cls.BASE, ws_cls.DEFAULT_GATEWAY, asset_cls.BASE)
    route_cls.BASE = api_base
    ws_cls.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    asset_cls.BASE = cdn_base
    try:
        yield
    finally:
        route_cls.BASE, ws_cls.DEFAULT_GATEWAY, asset_cls.BASE = saved
