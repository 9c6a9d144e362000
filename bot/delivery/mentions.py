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
from briefings.subscriptions import OutboxRow, Target


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


def addressed(
    page: Page, role_id: int | None, lead: str | None = None
) -> tuple[str | None, discord.AllowedMentions]:
    """A page's content and allowed mentions, for the first page: the ping first, a DM's
    context line (`lead`) last, in small print."""
    if role_id is None and lead is None:
        return page.content, NO_MENTIONS
    lines = [f"<@&{role_id}>" if role_id is not None else None, page.content]
    lines.append(f"-# {lead}" if lead else None)
    content = "\n".join(line for line in lines if line)
    return limits.clip(content, limits.CONTENT), (
        NO_MENTIONS if role_id is None else only_role(role_id)
    )


def dm_context(client: discord.Client, row: OutboxRow) -> str | None:
    """A DM names the server its subscription was made in (a member may have several)."""
    sub = row.subscription
    if sub.target is not Target.DM:
        return None
    guild = client.get_guild(sub.guild_id) if sub.guild_id is not None else None
    if guild is None:
        return strings.DM_CONTEXT_NO_GUILD
    return strings.DM_CONTEXT.format(guild=discord.utils.escape_markdown(guild.name))
