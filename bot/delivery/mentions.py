"""Role pings: a channel subscription may ping one role, and never anyone else.

Every message the bot sends allows no mentions at all, whatever its text says; a delivery
to a pinging subscription allows exactly its one role (not @everyone, @here, users or any
other role a card's text may name). Whether the bot may still mention the role is checked
before each delivery against the bot's own view of the guild: a role deleted or made
unmentionable since pauses the subscription with the reason, rather than posting pings
that silently reach no one.
"""

from __future__ import annotations

import discord

from bot import limits, strings
from bot.render import Page
from briefings.subscriptions import OutboxRow


class CannotPing(Exception):
    """The subscription's role cannot be pinged any more; `reason` says why (for members)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


NO_MENTIONS = discord.AllowedMentions.none()


def only_role(role_id: int) -> discord.AllowedMentions:
    """Exactly this role: parse nothing from the text, list the one role."""
    return discord.AllowedMentions(
        everyone=False, users=False, roles=[discord.Object(id=role_id)], replied_user=False
    )


def may_mention(role: discord.Role, place: object) -> bool:
    """Discord pings a role if it is mentionable or the author may mention all roles there."""
    if role.is_default():
        return False  # @everyone is never a role to ping
    if role.mentionable:
        return True
    me = role.guild.me
    if me is None or not isinstance(place, discord.abc.GuildChannel | discord.Thread):
        return False
    try:
        return place.permissions_for(me).mention_everyone
    except discord.ClientException:  # a thread whose parent the bot cannot see
        return False


def ping_role(client: discord.Client, row: OutboxRow) -> int | None:
    """The role this delivery pings, if any; raises CannotPing when it no longer may.

    A guild the bot does not have in view (an outage) is not checked: Discord itself then
    drops a ping the bot may not make, and the allowed mentions still name only this role."""
    sub = row.subscription
    if sub.ping_role_id is None or row.kind == "welcome" or sub.guild_id is None:
        return None
    guild = client.get_guild(sub.guild_id)
    if guild is None or guild.unavailable:
        return sub.ping_role_id
    role = guild.get_role(sub.ping_role_id)
    if role is None:
        raise CannotPing(strings.PAUSED_PING_ROLE_GONE)
    if not may_mention(role, guild.get_channel_or_thread(sub.channel_id or 0)):
        raise CannotPing(strings.PAUSED_CANNOT_PING)
    return role.id


def addressed(page: Page, role_id: int | None) -> tuple[str | None, discord.AllowedMentions]:
    """A page's content and allowed mentions: the ping leads the first page only."""
    if role_id is None:
        return page.content, NO_MENTIONS
    mention = f"<@&{role_id}>"
    content = f"{mention}\n{page.content}" if page.content else mention
    return limits.clip(content, limits.CONTENT), only_role(role_id)
