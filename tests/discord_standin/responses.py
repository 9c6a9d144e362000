"""Discord's HTTP conventions: JSON error bodies, exact ``application/json``, multipart bodies."""

from __future__ import annotations

import json
import mimetypes
import re
from typing import Any

from aiohttp import BodyPartReader, web

from .models import RecordedRequest, UploadedFile
from .payloads import Json
from .store import Uploads

RECORD = web.RequestKey("standin_record", RecordedRequest)
"""The request's entry in ``DiscordStandIn.requests`` (set by the middleware)."""
PAYLOAD = web.RequestKey("standin_payload", object)
"""The parsed JSON body or multipart ``payload_json`` (use ``json_object``/``json_list``)."""
UPLOADS = web.RequestKey("standin_uploads", list[tuple[int, UploadedFile]])
"""Uploaded files with the ``n`` of their ``files[n]`` part."""


class DiscordError(Exception):
    """Raised by handlers: becomes Discord's JSON error body ``{"code", "message"[, "errors"]}``."""

    def __init__(self, status: int, code: int, message: str, errors: Json | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def body(self) -> Json:
        body: Json = {"message": self.message, "code": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """JSON with Content-Type exactly ``application/json`` (discord.py compares it verbatim)."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


async def parse_body(request: web.Request) -> tuple[Any, Uploads]:
    """JSON body, or multipart ``payload_json`` + ``files[n]`` parts, as Discord accepts them."""
    if request.content_type == "multipart/form-data":
        reader = await request.multipart()
        payload: Any = None
        uploads: Uploads = []
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            data = bytes(await part.read())
            if part.name == "payload_json":
                payload = json.loads(data)
            elif part.name and (m := re.fullmatch(r"files\[(\d+)\]", part.name)):
                filename = part.filename or f"file{m.group(1)}"
                content_type = part.headers.get("Content-Type")
                if content_type in (None, "application/octet-stream"):
                    content_type = mimetypes.guess_type(filename)[0] or content_type
                uploads.append((int(m.group(1)), UploadedFile(filename, data, content_type)))
        return payload, uploads
    text = await request.text()
    if not text:
        return None, []
    if request.content_type == "application/json":
        return json.loads(text), []
    return text, []


def json_object(request: web.Request) -> Json:
    """The request's JSON body when it is an object, else ``{}``."""
    body = request[PAYLOAD]
    return body if isinstance(body, dict) else {}


def json_list(request: web.Request) -> list[Json]:
    """The request's JSON body when it is an array, else ``[]``."""
    body = request[PAYLOAD]
    return body if isinstance(body, list) else []
