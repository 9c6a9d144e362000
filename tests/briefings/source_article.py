"""A small article written for these tests (not a real one), as Markdown and as HTML.

It names catalogue actors by name and alias (Turkey as Ankara, Russia as the Kremlin,
Erdoğan), a name the catalogue lacks (Olena Marchenko), dates of each precision, figures
and attributed quotes, under two headings."""

from __future__ import annotations

TITLE = "Grain, Gas and the Straits"

MARKDOWN = f"""# {TITLE}

By Test Writer

## The corridor

Ankara reopened the grain corridor on 3 March 2025 after weeks of talks with the Kremlin.
Ships carried 2.4 million tonnes in the first month, and insurers cut their premiums by 15%.
“The sea is open for business,” Olena Marchenko said in Odesa.

Officials in Istanbul expect the route to stay busy until the harvest of 2026, although the
navy still escorts every convoy through the western Black Sea.

## The gas bargain

In January 2024 Erdoğan agreed a new price with Gazprom, and Russia accepted a delay of
payments. “We pay what is fair,” Erdoğan told reporters. Turkey still buys about 40% of its
gas from Russia, a dependence that Ankara has tried to reduce since 2016 by buying liquefied
gas from other suppliers and by building storage on its own soil.
"""

HTML = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{TITLE} | Example Review</title>
<style>body {{ color: red }} .secret-style {{ display: none }}</style>
<script>window.secretScript = "alert('stolen')";</script></head>
<body onload="steal()">
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/login">Log in</a></nav>
<article>
<h1>{TITLE}</h1>
<h2>The corridor</h2>
<p>Ankara reopened the grain corridor on 3 March 2025 after weeks of talks with the Kremlin.
Ships carried 2.4 million tonnes in the first month, and insurers cut their premiums by 15%.
“The sea is open for business,” Olena Marchenko said in Odesa.</p>
<script>document.write("injected by a script");</script>
<p>Officials in Istanbul expect the route to stay busy until the harvest of 2026, although
the navy still escorts every convoy through the western Black Sea.</p>
<h2>The gas bargain</h2>
<p>In January 2024 Erdoğan agreed a new price with Gazprom, and Russia accepted a delay of
payments. “We pay what is fair,” Erdoğan told reporters. Turkey still buys about 40% of its
gas from Russia, a dependence that Ankara has tried to reduce since 2016 by buying liquefied
gas from other suppliers and by building storage on its own soil.</p>
</article>
<footer>Copyright Example Review. Subscribe for more.</footer>
</body></html>
"""


def heavy_page(links: int = 7_000, parts: int = 30) -> bytes:
    """The article inside a page heavy with menus (`links` of them) and long: what a news
    site's 600 KB page looks like to the extractor (its main text ~30,000 characters)."""
    menu = "".join(
        f'<li><a href="/section/{i}">Section {i}</a><span class="teaser">more {i}</span></li>'
        for i in range(links)
    )
    sentence = "Ankara reopened the grain corridor on 3 March 2025 after talks with the Kremlin. "
    paragraph = f"<p>{sentence * 11}</p>\n"
    body = "".join(f"<h2>Part {i}</h2>\n{paragraph}{paragraph}" for i in range(parts))
    page = HTML.replace("<nav>", f"<nav><ul>{menu}</ul>").replace("</article>", body + "</article>")
    return page.encode()
