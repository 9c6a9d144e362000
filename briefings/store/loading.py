"""Loading a pack file as the host (seeding, the CLI): idempotent, all-or-nothing,
versioned per card. The plan is `changes.plan`, the write is `CardStore.apply`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from briefings.changes import Action, ChangeSet, content_hash, plan
from briefings.models import PackFile, now_utc
from briefings.namespaces import Writer, lookup
from briefings.store.cards import CardStore

__all__ = ["LoadReport", "content_hash", "load_pack"]

HOST = Writer(scope=None)


@dataclass(slots=True)
class LoadReport:
    pack: str
    pack_version: int
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.archived)

    def summary(self) -> str:
        return (
            f"{self.pack} v{self.pack_version}: {len(self.added)} added, "
            f"{len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.archived)} archived"
        )

    @classmethod
    def of(cls, changes: ChangeSet, version: int) -> LoadReport:
        cards = changes.tally["cards"]
        return cls(
            changes.pack,
            version,
            list(cards.added),
            list(cards.updated),
            list(cards.unchanged),
            list(cards.archived),
        )


async def load_pack(
    store: CardStore,
    pack: PackFile,
    *,
    by: int | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
    action: Action = "load",
) -> LoadReport:
    """Apply a pack: new cards are added, changed ones get a new version, cards the
    file no longer has are archived. Loading the same file twice changes nothing."""
    now = now or now_utc()
    stored = await store.db.fetch_one(
        "SELECT version, content_hash FROM packs WHERE slug = ?", (pack.pack.slug,)
    )
    digest = content_hash(pack)
    if stored is not None and stored["content_hash"] == digest:
        return LoadReport(
            pack.pack.slug, int(stored["version"]), unchanged=[c.id for c in pack.cards]
        )
    existing = await store.existing(lookup(pack, HOST))
    changes = plan(
        pack, existing, writer=HOST, by=by, at=now, source=pack.pack.slug, pack_hash=digest
    )
    assert changes.pack_meta is not None  # a host's plan always carries the pack's row
    if not dry_run:
        await store.apply(changes, scope=None, action=action, member_id=by, at=now)
    return LoadReport.of(changes, changes.pack_meta.version)
