"""The stand-in's message store: every message the bot created, its edits, uploads and deletion."""

from __future__ import annotations

import copy
from collections.abc import Callable

from .models import StoredMessage, UploadedFile
from .payloads import Json, SnowflakeFactory, attachment_object, iso_now, message_object

Uploads = list[tuple[int, UploadedFile]]
"""Uploaded files with the ``n`` of their ``files[n]`` multipart field."""

SUPPRESS_EMBEDS = 1 << 2
IS_COMPONENTS_V2 = 1 << 15


def _number_components(components: list[Json]) -> list[Json]:
    """Copy components, giving each one the sequential ``id`` Discord assigns when it is absent."""
    counter = 0

    def walk(items: list[Json]) -> list[Json]:
        nonlocal counter
        out = []
        for item in items:
            item = dict(item)
            counter += 1
            item.setdefault("id", counter)
            if isinstance(item.get("components"), list):
                item["components"] = walk(item["components"])
            for key in ("component", "accessory"):
                if isinstance(item.get(key), dict):
                    item[key] = walk([item[key]])[0]
            out.append(item)
        return out

    return walk(copy.deepcopy(components))


def _embeds(embeds: list[Json] | None) -> list[Json]:
    return [{"type": "rich", **copy.deepcopy(e)} for e in embeds or []]


class MessageStore:
    """Messages by id and by channel; uploaded bytes by attachment id (served on the fake CDN)."""

    def __init__(self, snowflakes: SnowflakeFactory, cdn_base: Callable[[], str]) -> None:
        self._snowflakes = snowflakes
        self._cdn_base = cdn_base
        self.messages: dict[int, StoredMessage] = {}
        self.by_channel: dict[int, list[int]] = {}
        self.blobs: dict[int, UploadedFile] = {}

    def get(self, message_id: int) -> StoredMessage | None:
        stored = self.messages.get(message_id)
        return None if stored is None or stored.deleted else stored

    def in_channel(
        self, channel_id: int, *, include_ephemeral: bool = False
    ) -> list[StoredMessage]:
        ids = self.by_channel.get(channel_id, [])
        found = (self.messages[i] for i in ids)
        return [m for m in found if not m.deleted and (include_ephemeral or not m.ephemeral)]

    def add(self, data: Json, *, files: list[UploadedFile] | None = None) -> StoredMessage:
        """Store an already-built message object (e.g. a user's message a test injects)."""
        stored = StoredMessage(data=data, files=list(files or []))
        self.messages[stored.id] = stored
        self.by_channel.setdefault(stored.channel_id, []).append(stored.id)
        return stored

    def upload(
        self, channel_id: int, upload: UploadedFile, *, description: str | None = None
    ) -> tuple[Json, UploadedFile]:
        attachment_id = self._snowflakes.next()
        kept = UploadedFile(
            filename=upload.filename,
            data=upload.data,
            content_type=upload.content_type,
            attachment_id=attachment_id,
        )
        self.blobs[attachment_id] = kept
        url = f"{self._cdn_base()}/attachments/{channel_id}/{attachment_id}/{upload.filename}"
        data = attachment_object(
            attachment_id,
            upload.filename,
            size=len(upload.data),
            url=url,
            content_type=upload.content_type,
            description=description,
        )
        return data, kept

    def _new_attachments(
        self, channel_id: int, payload: Json, uploads: Uploads
    ) -> tuple[list[Json], list[UploadedFile]]:
        meta = {str(a.get("id")): a for a in payload.get("attachments") or []}
        objects: list[Json] = []
        files: list[UploadedFile] = []
        for index, upload in uploads:
            info = meta.get(str(index), {})
            data, kept = self.upload(channel_id, upload, description=info.get("description"))
            objects.append(data)
            files.append(kept)
        return objects, files

    def create(
        self,
        *,
        channel_id: int,
        author: Json,
        payload: Json,
        uploads: Uploads,
        type: int = 0,
        extra: Json | None = None,
        interaction_token: str | None = None,
    ) -> StoredMessage:
        """Create a message from a bot's message payload (content/embeds/components/flags/files)."""
        attachments, files = self._new_attachments(channel_id, payload, uploads)
        data = message_object(
            self._snowflakes.next(),
            channel_id=channel_id,
            author=author,
            content=str(payload.get("content") or ""),
            embeds=_embeds(payload.get("embeds")),
            components=_number_components(payload.get("components") or []),
            attachments=attachments,
            flags=int(payload.get("flags") or 0),
            type=type,
            tts=bool(payload.get("tts")),
        )
        reference = payload.get("message_reference")
        if isinstance(reference, dict) and reference.get("message_id"):
            data["type"] = 19
            data["message_reference"] = {"type": 0, "channel_id": str(channel_id), **reference}
            referenced = self.get(int(reference["message_id"]))
            data["referenced_message"] = None if referenced is None else referenced.data
        if payload.get("nonce") is not None:
            data["nonce"] = payload["nonce"]
        data.update(extra or {})
        stored = self.add(data, files=files)
        stored.interaction_token = interaction_token
        return stored

    def edit(self, message_id: int, payload: Json, uploads: Uploads) -> StoredMessage:
        """Apply an edit like Discord: absent keys stay, listed attachments stay, files append."""
        stored = self.messages[message_id]
        stored.history.append(copy.deepcopy(stored.data))
        data = stored.data
        if "content" in payload:
            data["content"] = str(payload["content"] or "")
        if "embeds" in payload:
            data["embeds"] = _embeds(payload["embeds"])
        if "components" in payload:
            data["components"] = _number_components(payload["components"] or [])
        if payload.get("flags") is not None:
            old, new = int(data.get("flags") or 0), int(payload["flags"])
            data["flags"] = (old & ~SUPPRESS_EMBEDS) | (new & (SUPPRESS_EMBEDS | IS_COMPONENTS_V2))
        new_objects, new_files = self._new_attachments(stored.channel_id, payload, uploads)
        if payload.get("attachments") is not None:
            keep = {str(a.get("id")) for a in payload["attachments"]}
            kept = [a for a in data.get("attachments", []) if a["id"] in keep]
            stored.files = [f for f in stored.files if str(f.attachment_id) in keep]
        else:
            kept = list(data.get("attachments", []))
        data["attachments"] = kept + new_objects
        stored.files.extend(new_files)
        data["edited_timestamp"] = iso_now()
        return stored

    def delete(self, message_id: int) -> StoredMessage | None:
        stored = self.get(message_id)
        if stored is not None:
            stored.deleted = True
        return stored
