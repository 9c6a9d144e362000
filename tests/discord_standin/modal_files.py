"""Files uploaded through a modal's file upload component (type 19), as Discord sends them.

The submit names each file by attachment id in the component's ``values``; the attachment
objects themselves come in ``data.resolved.attachments`` (Discord's modal submit payload).
The bytes are served on the stand-in's CDN like any other attachment.

    ids, resolved = uploaded(standin, [("card.yaml", data)], channel_id=CHANNEL_ID)
    await standin.submit_modal("form", {"file": ids}, resolved=resolved)
"""

from __future__ import annotations

from collections.abc import Iterable

from .payloads import Json
from .server import DiscordStandIn


def uploaded(
    standin: DiscordStandIn, files: Iterable[tuple[str, bytes]], *, channel_id: int
) -> tuple[list[str], Json]:
    """Attachment ids for a file upload's ``values``, and the ``resolved`` data naming them."""
    attachments = [standin.world.resolved_attachment(channel_id, f) for f in files]
    ids = [str(a["id"]) for a in attachments]
    return ids, {"attachments": {str(a["id"]): a for a in attachments}}
