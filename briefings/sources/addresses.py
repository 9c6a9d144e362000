"""Which addresses a fetch may connect to: public ones only (no request forgery).

The host is resolved here and the connection goes to the address checked here: the
resolver given to aiohttp returns only checked addresses, so a name that resolves to a
public address for the check and a private one for the connection (DNS rebinding) cannot
slip through. IP literals never reach a resolver, so `check_host` checks them first.
"""

from __future__ import annotations

import ipaddress
import socket

from aiohttp import ThreadedResolver
from aiohttp.abc import AbstractResolver, ResolveResult

from briefings.sources.errors import SourceRefused

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def refused(address: Address, *, allow_loopback: bool) -> bool:
    """Private, loopback, link-local, multicast, reserved, unspecified, or anything not
    globally routable; an IPv4-mapped (or 6to4, Teredo) IPv6 address is judged as the IPv4
    address it carries. Loopback passes only with `allow_loopback` (tests)."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if inner is not None:
            return refused(inner, allow_loopback=allow_loopback)
    if address.is_loopback:
        return not allow_loopback
    return (
        address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def literal(host: str) -> Address | None:
    """The host as an IP address, if it is one ("[::1]" included)."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def check_host(host: str, *, allow_loopback: bool) -> None:
    """Refuse an IP-literal host that is not public (names are checked when resolved)."""
    address = literal(host)
    if address is not None and refused(address, allow_loopback=allow_loopback):
        raise SourceRefused("address", host=host[:100], address=shown(address))


def shown(address: Address) -> str:
    """As people write it: an IPv4-mapped address with its IPv4 part ("::ffff:127.0.0.1")."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"::ffff:{address.ipv4_mapped}"
    return str(address)


class PublicResolver(AbstractResolver):
    """aiohttp's resolver that only ever returns addresses `refused` lets through; when
    none is left it refuses the fetch, naming the first address it dropped."""

    def __init__(self, *, allow_loopback: bool) -> None:
        self.allow_loopback = allow_loopback
        self._inner = ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        try:
            found = await self._inner.resolve(host, port, family)
        except OSError:
            raise SourceRefused("unreachable", host=host[:100]) from None
        kept = [r for r in found if not self._refused(r["host"])]
        if not kept:
            first = found[0]["host"] if found else "no address"
            raise SourceRefused("address", host=host[:100], address=first)
        return kept

    def _refused(self, host: str) -> bool:
        address = literal(host)
        return address is None or refused(address, allow_loopback=self.allow_loopback)

    async def close(self) -> None:
        await self._inner.close()
