"""Who a message pings, as Discord decides it: the text's mentions filtered by the payload's
``allowed_mentions`` and by what the author may mention.

Discord's documented rules: without ``allowed_mentions`` every mention in the content is
parsed; with it, only the ``parse`` types (``everyone``, ``roles``, ``users``) and the listed
``roles``/``users`` ids ping. A role pings only if it is mentionable or the author has
Mention Everyone; ``@everyone``/``@here`` need that permission too. The result fills the
message's ``mention_everyone``, ``mention_roles`` and ``mentions`` fields, which tests read
to see who was really pinged.
"""

from __future__ import annotations

import re

from .constants import Permission
from .guilds import GuildSpec
from .payloads import Json

ROLE = re.compile(r"<@&(\d+)>")
USER = re.compile(r"<@!?(\d+)>")
EVERYONE = re.compile(r"@(everyone|here)\b")


def resolve(
    content: str, allowed: Json | None, *, guild: GuildSpec | None, author_id: int, users: Json
) -> Json:
    """The three mention fields of a message with this content, sent by `author_id`."""
    parse = {"everyone", "roles", "users"} if allowed is None else set(allowed.get("parse", []))
    listed_roles = {int(r) for r in (allowed or {}).get("roles", [])}
    listed_users = {int(u) for u in (allowed or {}).get("users", [])}
    may_all = guild is not None and bool(
        guild.permissions_of(author_id) & Permission.MENTION_EVERYONE
    )
    roles = []
    for found in dict.fromkeys(int(r) for r in ROLE.findall(content)):
        role = guild.roles.get(found) if guild else None
        wanted = "roles" in parse or found in listed_roles
        if role is not None and wanted and (role["mentionable"] or may_all):
            roles.append(str(found))
    mentioned = [
        users[u]
        for u in dict.fromkeys(int(u) for u in USER.findall(content))
        if u in users and ("users" in parse or u in listed_users)
    ]
    everyone = bool(EVERYONE.search(content)) and "everyone" in parse and may_all
    return {"mention_everyone": everyone, "mention_roles": roles, "mentions": mentioned}
