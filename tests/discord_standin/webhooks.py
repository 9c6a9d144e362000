"""Interaction callbacks and the interaction webhook (follow-ups, ``@original``), with Discord's
rules: one acknowledgement, within the deadline, follow-ups only after it, callback types that fit
the interaction type."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from aiohttp import web

from .models import InteractionRecord, StoredMessage
from .payloads import Json
from .responses import UPLOADS, DiscordError, json_object, json_response

if TYPE_CHECKING:
    from .http_server import Server

API = "/api/v10"
EPHEMERAL, LOADING = 1 << 6, 1 << 7
ALLOWED_CALLBACKS = {1: {1}, 2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}
"""Callback types Discord accepts per interaction type (ping, command, component, autocomplete,
modal submit)."""


def register(router: web.UrlDispatcher, server: Server) -> None:
    routes = WebhookRoutes(server)
    hook = API + "/webhooks/{application_id}/{token}"
    router.add_post(API + "/interactions/{interaction_id}/{token}/callback", routes.callback)
    router.add_post(hook, routes.followup)
    for message in ("@original", "{message_id}"):
        router.add_get(f"{hook}/messages/{message}", routes.get_message)
        router.add_patch(f"{hook}/messages/{message}", routes.edit_message)
        router.add_delete(f"{hook}/messages/{message}", routes.delete_message)


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true")


class WebhookRoutes:
    def __init__(self, server: Server) -> None:
        self.s = server
        self.w = server.world

    # -- helpers ---------------------------------------------------------------------------------

    def _message_extra(self, record: InteractionRecord) -> tuple[int, Json]:
        payload = record.payload
        user = (payload.get("member") or {}).get("user") or payload.get("user")
        metadata: Json = {
            "id": str(record.id),
            "type": record.type,
            "user": user,
            "authorizing_integration_owners": payload.get("authorizing_integration_owners", {}),
        }
        kind = 0
        if record.type == 2:
            command_type = int(payload["data"].get("type", 1))
            metadata["name"] = payload["data"]["name"]
            metadata["command_type"] = command_type
            kind = 20 if command_type == 1 else 23
        elif "message" in payload:
            metadata["interacted_message_id"] = payload["message"]["id"]
        extra = {
            "webhook_id": str(self.w.application_id),
            "application_id": str(self.w.application_id),
            "interaction_metadata": metadata,
        }
        return kind, extra

    def _create(
        self, record: InteractionRecord, payload: Json, request: web.Request
    ) -> StoredMessage:
        kind, extra = self._message_extra(record)
        return self.w.store.create(
            channel_id=record.channel_id,
            author=self.w.bot_user,
            payload=payload,
            uploads=request[UPLOADS],
            type=kind,
            extra=extra,
            interaction_token=record.token,
        )

    def _edit_original(
        self, record: InteractionRecord, payload: Json, request: web.Request
    ) -> StoredMessage:
        assert record.original_message_id is not None
        stored = self.w.store.edit(record.original_message_id, payload, request[UPLOADS])
        stored.data["flags"] = int(stored.data.get("flags") or 0) & ~LOADING
        record.original_edits += 1
        return stored

    def _record(self, request: web.Request) -> InteractionRecord:
        record = self.w.interactions.get(request.match_info["token"])
        if int(request.match_info["application_id"]) != self.w.application_id or record is None:
            raise DiscordError(404, 10015, "Unknown Webhook")
        if not record.acknowledged:
            self.s.problems.append(
                f"webhook used before the interaction was acknowledged: {request.path}"
            )
            raise DiscordError(404, 10015, "Unknown Webhook")
        return record

    def _target(self, request: web.Request, record: InteractionRecord) -> int:
        raw = request.match_info.get("message_id")
        if raw is None:
            target = record.original_message_id
        else:
            target = int(raw)
            if target not in [*record.followup_ids, record.original_message_id]:
                target = None
        if target is None or self.w.store.get(target) is None:
            raise DiscordError(404, 10008, "Unknown Message")
        return target

    # -- POST /interactions/{id}/{token}/callback ------------------------------------------------

    async def callback(self, request: web.Request) -> web.Response:
        record = self.w.interactions.get(request.match_info["token"])
        if record is None or str(record.id) != request.match_info["interaction_id"]:
            self.s.problems.append(f"callback for an unknown interaction: {request.path}")
            raise DiscordError(404, 10062, "Unknown interaction")
        late = asyncio.get_running_loop().time() - record.created_at
        if late > self.s.callback_deadline:
            self.s.problems.append(f"interaction {record.id} acknowledged after {late:.2f}s")
            raise DiscordError(404, 10062, "Unknown interaction")
        if record.acknowledged:
            self.s.problems.append(f"interaction {record.id} acknowledged twice")
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        body = json_object(request)
        kind = int(body.get("type", 0))
        if kind not in ALLOWED_CALLBACKS.get(record.type, set()):
            self.s.problems.append(f"callback type {kind} for interaction type {record.type}")
            raise DiscordError(400, 50035, "Invalid Form Body", {"type": "invalid callback type"})
        self.s.check_callback(request, body)
        data: Json = body.get("data") or {}
        record.callback_type, record.callback_data = kind, data
        record.callback_latency = late
        resource: Json = {"type": kind}
        if kind == 4:
            stored = self._create(record, data, request)
            record.original_message_id = stored.id
            resource["message"] = stored.data
        elif kind == 5:
            flags = (int(data.get("flags") or 0) & EPHEMERAL) | LOADING
            stored = self._create(record, {"flags": flags}, request)
            record.original_message_id = stored.id
            resource["message"] = stored.data
        elif kind == 7:
            if record.original_message_id is None:
                raise DiscordError(
                    400, 50035, "Invalid Form Body", {"type": "no message to update"}
                )
            stored = self.w.store.edit(record.original_message_id or 0, data, request[UPLOADS])
            resource["message"] = stored.data
        await self._after_callback(resource)
        return self._callback_response(request, record, resource)

    async def _after_callback(self, resource: Json) -> None:
        message = resource.get("message")
        if message is not None:
            event = "MESSAGE_UPDATE" if resource["type"] == 7 else "MESSAGE_CREATE"
            await self.s.emit_message_event(event, message)

    def _callback_response(
        self, request: web.Request, record: InteractionRecord, resource: Json
    ) -> web.Response:
        if not _truthy(request.query.get("with_response")):
            return web.Response(status=204)
        interaction: Json = {"id": str(record.id), "type": record.type}
        message = resource.get("message")
        if message is not None:
            flags = int(message.get("flags") or 0)
            interaction.update(
                response_message_id=message["id"],
                response_message_loading=bool(flags & LOADING),
                response_message_ephemeral=bool(flags & EPHEMERAL),
            )
        return json_response({"interaction": interaction, "resource": resource})

    # -- interaction webhook ---------------------------------------------------------------------

    async def followup(self, request: web.Request) -> web.Response:
        record = self._record(request)
        payload = json_object(request)
        self.s.check_message(request, payload, create=True)
        original = self.w.store.get(record.original_message_id or 0)
        still_loading = original is not None and int(original.data.get("flags") or 0) & LOADING
        if record.callback_type == 5 and still_loading and record.original_edits == 0:
            # Discord: after a deferred reply, the first follow-up replaces the "thinking" message.
            stored = self._edit_original(
                record, {k: v for k, v in payload.items() if k != "flags"}, request
            )
            await self.s.emit_message_event("MESSAGE_UPDATE", stored.data)
        else:
            stored = self._create(record, payload, request)
            record.followup_ids.append(stored.id)
            await self.s.emit_message_event("MESSAGE_CREATE", stored.data)
        if not _truthy(request.query.get("wait")):
            return web.Response(status=204)
        return json_response(stored.data)

    async def get_message(self, request: web.Request) -> web.Response:
        record = self._record(request)
        return json_response(self.w.store.messages[self._target(request, record)].data)

    async def edit_message(self, request: web.Request) -> web.Response:
        record = self._record(request)
        target = self._target(request, record)
        payload = json_object(request)
        self.s.check_message(request, payload, create=False)
        if target == record.original_message_id:
            stored = self._edit_original(record, payload, request)
        else:
            stored = self.w.store.edit(target, payload, request[UPLOADS])
        await self.s.emit_message_event("MESSAGE_UPDATE", stored.data)
        return json_response(stored.data)

    async def delete_message(self, request: web.Request) -> web.Response:
        record = self._record(request)
        stored = self.w.store.delete(self._target(request, record))
        if stored is not None:
            await self.s.emit_message_event("MESSAGE_DELETE", stored.data)
        return web.Response(status=204)
