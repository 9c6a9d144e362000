"""The Gateway v10 websocket: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME, shards.

Supports ``encoding=json`` with or without ``compress=zlib-stream`` (discord.py 2.7 asks for
zlib-stream unless zstandard is installed: each outgoing message is compressed with one shared
``zlib.compressobj`` and ends in a ``Z_SYNC_FLUSH``, exactly as Discord's transport compression).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
import zlib
from collections import deque
from typing import Protocol

from aiohttp import WSMsgType, web

from .payloads import Json

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT = 0, 1, 2, 6, 7
REQUEST_GUILD_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11


class GatewayHost(Protocol):
    """What the gateway needs from the stand-in to build its events."""

    def check_token(self, token: str) -> bool: ...

    def ready_payload(self, session: GatewaySession) -> Json: ...

    def guild_create_payloads(self, shard_id: int, shard_count: int) -> list[Json]: ...

    def guild_members(self, guild_id: int, user_ids: list[int] | None) -> list[Json]: ...

    async def gateway_activity(self) -> None:
        """Called after each client payload (wakes tests waiting on gateway state)."""


class GatewayConnection:
    """One websocket; serialises sends so the shared zlib stream stays in order."""

    def __init__(self, ws: web.WebSocketResponse, *, compress: bool) -> None:
        self.ws = ws
        self._compressor = zlib.compressobj() if compress else None
        self._lock = asyncio.Lock()

    async def send(self, payload: Json) -> None:
        text = json.dumps(payload, separators=(",", ":"))
        async with self._lock:
            if self.ws.closed:
                return
            if self._compressor is None:
                await self.ws.send_str(text)
            else:
                data = self._compressor.compress(text.encode())
                data += self._compressor.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)


class GatewaySession:
    """An identified session: shard, intents, sequence and a replay buffer for RESUME."""

    def __init__(self, *, shard_id: int, shard_count: int, intents: int, identify: Json) -> None:
        self.session_id = uuid.uuid4().hex
        self.shard_id = shard_id
        self.shard_count = shard_count
        self.intents = intents
        self.identify = identify
        self.seq = 0
        self.buffer: deque[Json] = deque(maxlen=500)
        self.connection: GatewayConnection | None = None

    async def dispatch(self, event: str, data: Json) -> int:
        self.seq += 1
        payload = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
        self.buffer.append(payload)
        if self.connection is not None:
            await self.connection.send(payload)
        return self.seq


class Gateway:
    """Accepts discord.py's gateway connections and routes dispatches to the right shard."""

    heartbeat_interval_ms = 41_250

    def __init__(self, host: GatewayHost) -> None:
        self._host = host
        self.sessions: dict[str, GatewaySession] = {}
        self.connections: set[web.WebSocketResponse] = set()
        self.connect_queries: list[dict[str, str]] = []
        """The query string of each websocket connect (``v``, ``encoding``, ``compress``)."""
        self.received: list[Json] = []
        """Every non-heartbeat payload the client sent (IDENTIFY, RESUME, presence...)."""
        self.heartbeats = 0
        self.resumes = 0
        self._identified = asyncio.Event()

    # -- routing ---------------------------------------------------------------------------------

    def live_sessions(self) -> list[GatewaySession]:
        return [s for s in self.sessions.values() if s.connection is not None]

    def session_for(self, guild_id: int | None) -> GatewaySession:
        """The connected session that owns ``guild_id`` (shard 0 for DMs)."""
        for session in self.live_sessions():
            shard = 0 if guild_id is None else (guild_id >> 22) % session.shard_count
            if session.shard_id == shard:
                return session
        raise RuntimeError(
            f"no connected gateway session for guild {guild_id}: is the bot running?"
        )

    async def dispatch(self, event: str, data: Json, *, guild_id: int | None = None) -> None:
        await self.session_for(guild_id).dispatch(event, data)

    async def wait_identified(self, timeout: float = 5.0) -> None:
        async with asyncio.timeout(timeout):
            await self._identified.wait()

    # -- gateway-side faults ---------------------------------------------------------------------

    async def request_reconnect(self, shard_id: int = 0) -> None:
        """Send op 7 RECONNECT: discord.py closes and RESUMEs on ``resume_gateway_url``."""
        await self._session_by_shard(shard_id).connection.send({"op": RECONNECT, "d": None})  # type: ignore[union-attr]

    async def invalidate_session(self, shard_id: int = 0, *, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION (``resumable=False`` makes discord.py IDENTIFY again)."""
        session = self._session_by_shard(shard_id)
        if not resumable:
            self.sessions.pop(session.session_id, None)
        await session.connection.send({"op": INVALID_SESSION, "d": resumable})  # type: ignore[union-attr]

    def _session_by_shard(self, shard_id: int) -> GatewaySession:
        for session in self.live_sessions():
            if session.shard_id == shard_id:
                return session
        raise RuntimeError(f"shard {shard_id} is not connected")

    async def close(self) -> None:
        for ws in list(self.connections):
            await ws.close(code=1001, message=b"stand-in shutting down")

    # -- websocket handler -----------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self.connections.add(ws)
        self.connect_queries.append(dict(request.query))
        if request.query.get("encoding", "json") != "json":
            await ws.close(code=4002, message=b"only encoding=json is supported")
            self.connections.discard(ws)
            return ws
        compress = request.query.get("compress") == "zlib-stream"
        connection = GatewayConnection(ws, compress=compress)
        session: GatewaySession | None = None
        try:
            interval = self.heartbeat_interval_ms
            await connection.send({"op": HELLO, "d": {"heartbeat_interval": interval}})
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                session = await self._on_payload(connection, session, payload) or session
                await self._host.gateway_activity()
        finally:
            self.connections.discard(ws)
            if session is not None and session.connection is connection:
                session.connection = None
        return ws

    async def _on_payload(
        self, connection: GatewayConnection, session: GatewaySession | None, payload: Json
    ) -> GatewaySession | None:
        op, data = payload.get("op"), payload.get("d")
        if op == HEARTBEAT:
            self.heartbeats += 1
            await connection.send({"op": HEARTBEAT_ACK})
            return None
        self.received.append(payload)
        if op == IDENTIFY:
            return await self._identify(connection, data or {})
        if op == RESUME:
            return await self._resume(connection, data or {})
        if op == REQUEST_GUILD_MEMBERS and session is not None:
            await self._members_chunk(session, data or {})
        return None

    async def _identify(self, connection: GatewayConnection, data: Json) -> GatewaySession | None:
        if not self._host.check_token(str(data.get("token", ""))):
            await connection.ws.close(code=4004, message=b"Authentication failed.")
            return None
        shard_id, shard_count = data.get("shard") or [0, 1]
        if shard_count < 1 or not 0 <= shard_id < shard_count:
            await connection.ws.close(code=4010, message=b"Invalid shard.")
            return None
        session = GatewaySession(
            shard_id=shard_id,
            shard_count=shard_count,
            intents=int(data.get("intents", 0)),
            identify=data,
        )
        session.connection = connection
        self.sessions[session.session_id] = session
        await session.dispatch("READY", self._host.ready_payload(session))
        for guild in self._host.guild_create_payloads(shard_id, shard_count):
            await session.dispatch("GUILD_CREATE", guild)
        self._identified.set()
        return session

    async def _resume(self, connection: GatewayConnection, data: Json) -> GatewaySession | None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or not self._host.check_token(str(data.get("token", ""))):
            await connection.send({"op": INVALID_SESSION, "d": False})
            return None
        self.resumes += 1
        session.connection = connection
        last_seen = int(data.get("seq") or 0)
        for missed in [p for p in session.buffer if p["s"] > last_seen]:
            await connection.send(missed)
        await session.dispatch("RESUMED", {})
        return session

    async def _members_chunk(self, session: GatewaySession, data: Json) -> None:
        guild_id = int(data["guild_id"])
        raw_ids = data.get("user_ids")
        if raw_ids is not None and not isinstance(raw_ids, list):
            raw_ids = [raw_ids]
        user_ids = None if raw_ids is None else [int(u) for u in raw_ids]
        chunk: Json = {
            "guild_id": str(guild_id),
            "members": self._host.guild_members(guild_id, user_ids),
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        await session.dispatch("GUILD_MEMBERS_CHUNK", chunk)
