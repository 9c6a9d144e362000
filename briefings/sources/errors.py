"""Why a source was refused: a reason code and the data to say it (the bot words it)."""

from __future__ import annotations

from typing import Literal

from briefings.errors import BriefingError

Reason = Literal[
    "too-large",
    "too-long",
    "too-short",
    "file-type",
    "content-type",
    "encoding",
    "scheme",
    "credentials",
    "bad-url",
    "address",
    "redirects",
    "timeout",
    "status",
    "unreachable",
    "unreadable",
]

_TEXT: dict[Reason, str] = {
    "too-large": "the source is over {limit} bytes",
    "too-long": "the source's text is over {limit} characters",
    "too-short": "the source has no readable text (under {limit} characters)",
    "file-type": "{name} is not a text, Markdown or HTML file",
    "content-type": "the page is {type}, not HTML, text or Markdown",
    "encoding": "the source is not UTF-8 and declares no charset it can be read in ({charset})",
    "scheme": "only http and https links can be fetched, not {scheme}",
    "credentials": "a link with a user name or password in it is refused",
    "bad-url": "{url} is not a link that can be fetched",
    "address": "{host} is a private, local or reserved address ({address})",
    "redirects": "more than {limit} redirects",
    "timeout": "the page did not arrive within {limit} seconds",
    "status": "the site answered HTTP {status}",
    "unreachable": "the site could not be reached ({host})",
    "unreadable": "the page could not be reduced to its text in time",
}


class SourceRefused(BriefingError):
    """A file or page that cannot be a source; nothing was stored."""

    def __init__(self, reason: Reason, **detail: str | int) -> None:
        self.reason: Reason = reason
        self.detail = detail
        super().__init__(f"Source refused: {_TEXT[reason].format(**detail)}.")
