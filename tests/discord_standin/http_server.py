"""``Server``: the aiohttp app on 127.0.0.1 serving a ``World`` (REST under ``/api/v10``, the
gateway, the CDN), with request recording, fault injection, rate-limit headers and the checks
Discord applies to what a bot sends."""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from aiohttp import web

from . import rest, threads, webhooks
from .constants import DIRECT_MESSAGES, GUILD_MESSAGES
from .events import Signal
from .faults import Fault, FaultInjector, InjectedFault, fault_body, route_pattern
from .gateway import Gateway, GatewaySession
from .limits import check_callback_limits, check_message_limits, form_errors
from .models import LimitViolation, RecordedRequest
from .openapi import SPEC_PATH, SpecValidator
from .payloads import Json
from .ratelimit import GlobalRateLimit
from .responses import PAYLOAD, RECORD, UPLOADS, DiscordError, json_response, parse_body
from .world import World

API_PREFIX = "/api/v10"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
RoutePattern = str | re.Pattern[str]
"""A route template or path starting with ``/`` (``{placeholders}`` match any id), a trailing
part of one (``"@original"``, ``"messages/@original"``), or a regex searched in the path."""


def request_matches(record: RecordedRequest, method: str, pattern: RoutePattern) -> bool:
    """Whether ``record`` is a ``method`` (or ``*``) request to ``pattern`` (a ``RoutePattern``)."""
    if method != "*" and record.method != method.upper():
        return False
    if isinstance(pattern, re.Pattern):
        return pattern.search(record.path) is not None
    if pattern.startswith("/"):
        return pattern in (record.route, record.path) or bool(
            route_pattern(pattern).match(record.path)
        )
    tail = "/" + pattern
    return record.path.endswith(tail) or (record.route or "").endswith(tail)


class Server:
    """Serves one ``World`` over HTTP and the gateway; records what the bot sent."""

    def __init__(
        self,
        world: World,
        *,
        reject_over_limit: bool = True,
        callback_deadline: float = 3.0,
        echo_bot_messages: bool = True,
        validate_schema: bool = True,
    ) -> None:
        self.world = world
        self.reject_over_limit = reject_over_limit
        """Answer over-limit payloads with 400 Invalid Form Body (as Discord does)."""
        self.callback_deadline = callback_deadline
        """Seconds an interaction stays answerable; later callbacks get 404 Unknown interaction."""
        self.echo_bot_messages = echo_bot_messages
        """Send MESSAGE_CREATE/UPDATE/DELETE for bot messages (when the bot's intents ask)."""
        self.rate_limit_headers = True
        self.global_limit: GlobalRateLimit | None = None
        """Discord's global requests-per-second limit, when set (see ``ratelimit.py``)."""
        self.response_delay = 0.0
        """Seconds each REST answer is held after the request was handled: the latency of a
        real API, during which the message exists but the bot has not heard back."""
        self.faults = FaultInjector()
        self.schema = SpecValidator.load() if validate_schema else None
        self.schema_skipped: str | None = None
        """Why request bodies are not checked against the OpenAPI spec (None: they are)."""
        if self.schema is None:
            self.schema_skipped = "disabled" if not validate_schema else f"no spec at {SPEC_PATH}"
        self.requests: list[RecordedRequest] = []
        self.unhandled: list[RecordedRequest] = []
        self.limit_violations: list[LimitViolation] = []
        self.schema_violations: list[str] = []
        self.problems: list[str] = []
        """Protocol misuse Discord would refuse: late or double acknowledgements, unknown tokens."""
        self.signal = Signal(self._recently)
        self.gateway = Gateway(self)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway/resume", self.gateway.handle)
        rest.register(app.router, self)
        webhooks.register(app.router, self)
        threads.register(app.router, self)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._unhandled)
        app.router.add_route("*", "/{tail:.*}", self._unhandled_other)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = int(self._runner.addresses[0][1])
        self.world.cdn_base = self.cdn_base

    async def close(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def cdn_base(self) -> str:
        return self.base_url + "/cdn"

    @contextmanager
    def patch_discord(self) -> Iterator[None]:
        """Point discord.py's REST base, gateway and CDN at this server (restored on exit)."""
        from .patching import patched_discord

        with patched_discord(self.api_base, self.gateway_url, self.cdn_base):
            yield

    # -- test-facing controls --------------------------------------------------------------------

    def inject_fault(
        self, method: str, path: str | re.Pattern[str], fault: Fault, *, times: int = 1
    ) -> InjectedFault:
        """Answer the next ``times`` requests matching ``method`` (or ``*``) and ``path`` (below
        ``/api/v10``; ``{placeholders}`` match any id) with ``fault`` (see ``faults.Fault``)."""
        return self.faults.add(method, path, fault, times)

    def requests_to(self, method: str, route_or_path: RoutePattern) -> list[RecordedRequest]:
        """Recorded requests by method and route (``/channels/{channel_id}/messages``), concrete
        path, trailing part or regex (see ``RoutePattern``), oldest first."""
        return [r for r in self.requests if request_matches(r, method, route_or_path)]

    async def wait_for_request(
        self, method: str, route: RoutePattern, *, timeout: float = 5.0, since: int = 0
    ) -> RecordedRequest:
        """The first request like ``requests_to(method, route)`` among ``requests[since:]``,
        waiting for it (answered: its ``status`` is set). To wait for a new one, pass
        ``since=len(standin.requests)`` taken before the action that causes it."""

        def found() -> RecordedRequest | None:
            for record in self.requests[since:]:
                if record.status is not None and request_matches(record, method, route):
                    return record
            return None

        result: RecordedRequest = await self.signal.wait_for(
            found, timeout=timeout, what=f"a {method} request to {route}"
        )
        return result

    def assert_clean(self, *, schema: bool = True) -> None:
        """Fail if the bot called unhandled routes, broke limits, misused interactions or (when the
        OpenAPI spec is available and ``schema``) sent bodies the spec rejects."""
        issues = [f"unhandled {r.method} {r.path}" for r in self.unhandled]
        issues += [
            f"limit {v.request} {v.path}: {v.actual} > {v.limit}" for v in self.limit_violations
        ]
        issues += [f"problem: {p}" for p in self.problems]
        if schema:
            issues += [f"schema: {v}" for v in self.schema_violations]
        assert not issues, "stand-in saw:\n  " + "\n  ".join(issues)

    def _recently(self) -> str:
        recent = ", ".join(f"{r.method} {r.path}->{r.status}" for r in self.requests[-5:])
        return (
            f"last requests: [{recent}]; problems: {self.problems}; "
            f"limit violations: {self.limit_violations}"
        )

    # -- checks used by the handlers -------------------------------------------------------------

    def check_message(
        self, request: web.Request, payload: Json, *, create: bool, body: Json | None = None
    ) -> None:
        """Run the limit (and optional schema) checks on a message payload; 400 like Discord.
        `body` is the whole request body when the message is nested in it (a forum post's
        `message`): the schema is checked against the route's body, not the message alone."""
        self._validate_schema(request, payload if body is None else body)
        self.check_limits(request, check_message_limits(payload))
        has_body = any(
            payload.get(k) for k in ("content", "embeds", "components", "sticker_ids", "poll")
        )
        if create and not has_body and not request[UPLOADS]:
            raise DiscordError(400, 50006, "Cannot send an empty message")

    def check_callback(self, request: web.Request, body: Json) -> None:
        self._validate_schema(request, body)
        self.check_limits(request, check_callback_limits(body))
        data = body.get("data") or {}
        empty = not any(data.get(k) for k in ("content", "embeds", "components", "poll"))
        if body.get("type") == 4 and empty and not request[UPLOADS]:
            raise DiscordError(400, 50006, "Cannot send an empty message")

    def check_limits(self, request: web.Request, found: list[LimitViolation]) -> None:
        """Record limit violations; refuse the request like Discord when ``reject_over_limit``."""
        if not found:
            return
        where = f"{request.method} {request.path[len(API_PREFIX) :]}"
        self.limit_violations.extend(
            LimitViolation(v.path, v.limit, v.actual, v.rule, request=where) for v in found
        )
        if self.reject_over_limit:
            raise DiscordError(400, 50035, "Invalid Form Body", form_errors(found))

    def _validate_schema(self, request: web.Request, payload: Json) -> None:
        if self.schema is None:
            return
        route = request.match_info.route.resource
        template = route.canonical[len(API_PREFIX) :] if route is not None else request.path
        for error in self.schema.validate(request.method, template, payload):
            self.schema_violations.append(f"{request.method} {template}: {error}")

    # -- middleware ------------------------------------------------------------------------------

    async def _unhandled(self, request: web.Request) -> web.StreamResponse:
        request[RECORD].route = None
        self.unhandled.append(request[RECORD])
        raise DiscordError(404, 0, "404: Not Found")

    async def _unhandled_other(self, request: web.Request) -> web.StreamResponse:
        """Anything outside the API (e.g. a CDN asset): 404, recorded with its full path."""
        record = RecordedRequest(
            request.method, request.path, None, dict(request.query), status=404
        )
        self.requests.append(record)
        self.unhandled.append(record)
        await self.signal.notify()
        return web.Response(status=404, text="404: Not Found")

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX + "/"):
            return await handler(request)
        path = request.path[len(API_PREFIX) :]
        payload, uploads = await parse_body(request)
        resource = request.match_info.route.resource
        record = RecordedRequest(
            method=request.method,
            path=path,
            route=None if resource is None else resource.canonical[len(API_PREFIX) :],
            query=dict(request.query),
            json=payload,
            files=[u for _, u in uploads],
        )
        request[RECORD], request[PAYLOAD], request[UPLOADS] = record, payload, uploads
        self.requests.append(record)
        response: web.StreamResponse
        fault = self.faults.take(request.method, path)
        if fault is None and self.global_limit is not None:
            fault = self.global_limit.take(path)
        try:
            if fault is not None:
                response = json_response(fault_body(fault), fault.status, fault.headers)
            else:
                response = await handler(request)
        except DiscordError as error:
            response = json_response(error.body(), error.status)
        if self.rate_limit_headers and fault is None:
            response.headers.update(self._rate_limit_headers(record.route or path))
        record.status = response.status
        if self.response_delay:
            await asyncio.sleep(self.response_delay)
        await self.signal.notify()
        return response

    def _rate_limit_headers(self, route: str) -> dict[str, str]:
        bucket = hashlib.sha1(route.encode()).hexdigest()[:16]
        return {
            "X-RateLimit-Limit": "50",
            "X-RateLimit-Remaining": "49",
            "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
            "X-RateLimit-Bucket": bucket,
        }

    # -- the gateway's host (``gateway.GatewayHost``) --------------------------------------------

    def check_token(self, token: str) -> bool:
        return self.world.check_token(token)

    def ready_payload(self, session: GatewaySession) -> Json:
        return self.world.ready_payload(session, self.gateway_url + "/resume")

    def guild_create_payloads(self, shard_id: int, shard_count: int) -> list[Json]:
        return self.world.guild_create_payloads(shard_id, shard_count)

    def guild_members(self, guild_id: int, user_ids: list[int] | None) -> list[Json]:
        return self.world.guild_members(guild_id, user_ids)

    async def gateway_activity(self) -> None:
        await self.signal.notify()

    async def emit_message_event(self, event: str, message: Json) -> None:
        """Send MESSAGE_CREATE/UPDATE/DELETE for a bot message to a session that wants it."""
        if not self.echo_bot_messages or int(message.get("flags") or 0) & 64:
            return
        guild = self.world.guild_of_channel(int(message["channel_id"]))
        try:
            session = self.gateway.session_for(guild.id if guild else None)
        except RuntimeError:
            return
        if not session.intents & (GUILD_MESSAGES if guild else DIRECT_MESSAGES):
            return
        data = dict(message)
        if event == "MESSAGE_DELETE":
            data = {"id": message["id"], "channel_id": message["channel_id"]}
        if guild is not None:
            data["guild_id"] = str(guild.id)
            if event == "MESSAGE_CREATE":
                member = guild.member_payload(self.world.application_id)
                member.pop("user", None)
                data["member"] = member
        await session.dispatch(event, data)
