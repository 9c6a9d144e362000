-- 004: relations are unique per scope, so a server's tie never touches a shipped one.
-- 001 keyed them by (source, target, kind) across every server: an import of the same
-- triple re-scoped the shipped row to the importer. The table is rebuilt (SQLite cannot
-- drop a primary key) with its rows, in their order, and keyed by scope as well.

CREATE TABLE relations_scoped (
    pack     TEXT REFERENCES packs (slug) ON DELETE CASCADE,
    guild_id INTEGER,
    source   TEXT NOT NULL REFERENCES actors (id),
    target   TEXT NOT NULL REFERENCES actors (id),
    kind     TEXT NOT NULL,
    data     TEXT NOT NULL
);
INSERT INTO relations_scoped (pack, guild_id, source, target, kind, data)
SELECT pack, guild_id, source, target, kind, data FROM relations ORDER BY rowid;
DROP TABLE relations;
ALTER TABLE relations_scoped RENAME TO relations;

-- The upsert's conflict target: one row per scope (0 = shipped) and triple.
CREATE UNIQUE INDEX relations_once ON relations (ifnull(guild_id, 0), source, target, kind);
CREATE INDEX relations_by_pack ON relations (pack, guild_id);
