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
