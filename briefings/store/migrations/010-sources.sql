-- 010: a briefing's source (its article), one per pack and server. Re-attaching replaces
-- it; what it replaced is kept in source_history (where from, hash, who, when; not the
-- text: a copy of every version of an article is not worth its weight).

CREATE TABLE sources (
    pack        TEXT NOT NULL REFERENCES packs (slug) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('file', 'url')),
    location    TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    title       TEXT,
    text        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    attached_at TEXT NOT NULL,
    attached_by INTEGER NOT NULL,
    PRIMARY KEY (pack, guild_id)
);

CREATE TABLE source_history (
    id          INTEGER PRIMARY KEY,
    pack        TEXT NOT NULL REFERENCES packs (slug) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    location    TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    attached_at TEXT NOT NULL,
    attached_by INTEGER NOT NULL,
    replaced_at TEXT NOT NULL,
    replaced_by INTEGER NOT NULL
);
CREATE INDEX source_history_by_pack ON source_history (pack, guild_id, id);
