"""A figure sized in pixels, with text helpers and PNG output. Imports matplotlib.

Only the object-oriented API is used (Figure + FigureCanvasAgg): no pyplot, no
global figure registry, no change to global rcParams, so a figure is free once
it goes out of scope. Rendering is still serialised by one lock: matplotlib does
not promise thread safety, and `warnings.catch_warnings` (used to keep "Glyph
missing" warnings quiet) swaps process-wide state.
"""

from __future__ import annotations

import io
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, Literal

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font, LoadFlags
from matplotlib.text import Text

from briefings.charts.base import OUTPUT_SCALE
from briefings.charts.style import BACKGROUND, INK

DPI = 100
SCALE = OUTPUT_SCALE
"""Output pixels per layout pixel: charts are laid out for a phone (about 520 px wide, type
16 px and up) and written at twice that, so they stay sharp on high-density screens."""
_FALLBACK = "Last Resort High-Efficiency"
"""Ships with matplotlib >= 3.10: unknown scripts draw as boxes instead of warning."""

Weight = Literal["normal", "bold"]
Slant = Literal["normal", "italic"]
_LOCK = threading.Lock()


@contextmanager
def rendering() -> Iterator[None]:
    """One render at a time, without matplotlib's missing-glyph warnings.

    A name in a script no bundled font covers (CJK, say) would otherwise warn once
    per glyph: noise in logs, and an error under pytest's filterwarnings=error.
    """
    with _LOCK, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
        yield


@cache
def _families() -> tuple[str, ...]:
    known = {f.name for f in font_manager.fontManager.ttflist}
    return ("DejaVu Sans", _FALLBACK) if _FALLBACK in known else ("DejaVu Sans",)


@cache
def font(px: float, weight: Weight = "normal", style: Slant = "normal") -> FontProperties:
    """A font `px` pixels high (em size) at DPI.

    Regular text falls back to Last Resort for scripts DejaVu lacks; bold does not,
    because the fallback has no bold and matplotlib would log that on every size.
    """
    family = list(_families()) if weight == "normal" else ["DejaVu Sans"]
    return FontProperties(family=family, size=px * 72 / DPI, weight=weight, style=style)


@cache
def _face(weight: Weight) -> FT2Font:
    """DejaVu at 100 px per em, for measuring (only ever used under the render lock)."""
    face = FT2Font(font_manager.findfont(FontProperties(family="DejaVu Sans", weight=weight)))
    face.set_size(100, 72)
    return face


@cache
def _bold_charmap() -> frozenset[int]:
    return frozenset(_face("bold").get_charmap())


@cache
def _advance(char: str, weight: Weight) -> float:
    """Advance width of one character in ems; a missing glyph is drawn as a 1-em box."""
    face = _face(weight)
    if unicodedata.category(char) == "Cf":  # bidi marks and isolates take no room
        return 0.0
    if not face.get_char_index(ord(char)):
        return 1.0
    return face.load_char(ord(char), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 6_553_600


def text_width(s: str, px: float, weight: Weight = "normal") -> float:
    """Pixels one line of `s` takes, from cached per-character advances.

    Laying text out through the renderer costs ~30 us a character on every call
    (hinting, shaping); this sum is within ~1% of it, rounded up by 2% to be safe.
    """
    return sum(_advance(c, weight) for c in s) * px * 1.02


def weight_for(s: str, weight: Weight) -> Weight:
    """Bold only when the bold font has every character (else names would lose letters)."""
    drawn = (c for c in s if not c.isspace() and unicodedata.category(c) != "Cf")
    if weight == "bold" and not all(ord(c) in _bold_charmap() for c in drawn):
        return "normal"
    return weight


class Sheet:
    """One figure of `width` x `height` layout pixels (positions are given in them); the
    PNG is SCALE times larger."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor=BACKGROUND)
        self.canvas = FigureCanvasAgg(self.fig)

    def axes(self, left: float, top: float, width: float, height: float) -> Axes:
        """Axes at a pixel box measured from the top-left corner, with no decoration."""
        box = (
            left / self.width,
            1 - (top + height) / self.height,
            width / self.width,
            height / self.height,
        )
        ax = self.fig.add_axes(box)
        ax.set_facecolor(BACKGROUND)
        ax.set_axis_off()
        return ax

    def text(self, x: float, y: float, s: str, *, px: float, **kw: Any) -> Text:
        """Text at pixel (x, y) from the top-left of the figure."""
        return self.fig.text(x / self.width, 1 - y / self.height, s, **text_style(s, px, **kw))

    def measure(self, s: str, px: float, weight: Weight = "normal") -> float:
        """Width in pixels of one line of `s` (see `text_width`)."""
        return text_width(s, px, weight_for(s, weight))

    def wrap(
        self, s: str, max_px: float, px: float, weight: Weight = "normal", lines: int = 2
    ) -> str:
        """`s` in at most `lines` lines of `max_px` pixels, the last one ellipsized."""
        out: list[str] = []
        words = s.split()
        while words and len(out) < lines - 1:
            take = 1
            while take < len(words) and (
                self.measure(" ".join(words[: take + 1]), px, weight) <= max_px
            ):
                take += 1
            if self.measure(words[0], px, weight) > max_px:
                break  # one over-long word: leave it to the ellipsis below
            out.append(" ".join(words[:take]))
            words = words[take:]
        if words:
            out.append(self.fit(" ".join(words), max_px, px, weight))
        return "\n".join(out)

    def fit_name(
        self, name: str, aliases: list[str], max_px: float, px: float, weight: Weight = "normal"
    ) -> str:
        """A name, or its shortest all-capitals alias ("CSTO") when the name does not fit."""
        if self.measure(name, px, weight) <= max_px:
            return name
        short = sorted((a for a in aliases if a.isupper() and len(a) > 1), key=len)
        if short and self.measure(short[0], px, weight) <= max_px:
            return short[0]
        return self.fit(name, max_px, px, weight)

    def fit(self, s: str, max_px: float, px: float, weight: Weight = "normal") -> str:
        """`s` ellipsized to fit `max_px` pixels (binary search on its length)."""
        s = " ".join(s.split())
        if self.measure(s, px, weight) <= max_px:
            return s
        lo, hi = 0, len(s)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.measure(s[:mid].rstrip() + "…", px, weight) <= max_px:
                lo = mid
            else:
                hi = mid - 1
        return s[:lo].rstrip() + "…"

    def legend(
        self, handles: list[Any], top: float, *, px: float, ncols: int = 2, **kw: Any
    ) -> None:
        """A frameless legend whose top-left corner is at (8, `top`) pixels, in ink."""
        self.fig.legend(
            handles=handles,
            loc="upper left",
            ncols=ncols,
            frameon=False,
            prop=font(px),
            labelcolor=INK,
            bbox_to_anchor=(8 / self.width, 1 - top / self.height),
            borderaxespad=0,
            **kw,
        )

    def png(self) -> bytes:
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png", dpi=DPI * SCALE, metadata={"Software": None})
        self.fig.clear()  # drop artists now rather than when the sheet is collected
        return _palette(buf.getvalue())


def _palette(png: bytes) -> bytes:
    """The image in 256 colours (a chart has few; antialiasing survives): about a third of
    the bytes, so a 2x image still sends quickly from a phone. No "Software" stamp, no
    dithering: the bytes depend on the inputs only."""
    from PIL import Image  # matplotlib's own dependency

    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        quantised = rgb.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    quantised.save(out, format="PNG", optimize=True)
    return out.getvalue()


def text_style(
    s: str,
    px: float,
    *,
    weight: Weight = "normal",
    style: Slant = "normal",
    color: str = INK,
    **kw: Any,
) -> dict[str, Any]:
    """Keyword arguments for any matplotlib text: our font, and `$` never read as math."""
    props = font(px, weight_for(s, weight), style)
    return {"fontproperties": props, "color": color, "parse_math": False, **kw}


def label(ax: Axes, x: float, y: float, s: str, *, px: float, **kw: Any) -> Text:
    return ax.text(x, y, s, **text_style(s, px, **kw))
