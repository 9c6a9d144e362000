-- 009: many briefings. A briefing (a `packs` row) belongs to a scope (guild_id NULL:
-- global) and is a draft until published; the rows that exist are the shipped ones,
-- published. What a briefing says about an actor (its role, and names it uses for
-- them) is the briefing's own, in `actor_roles`; the actor record (id, name, kind,
-- aliases) is shared. Relations are unique per scope AND briefing, so two briefings
-- stating the same tie never overwrite each other.

ALTER TABLE packs ADD COLUMN guild_id INTEGER;
ALTER TABLE packs ADD COLUMN status TEXT NOT NULL DEFAULT 'published'
    CHECK (status IN ('draft', 'published'));
ALTER TABLE packs ADD COLUMN created_at TEXT;
ALTER TABLE packs ADD COLUMN created_by INTEGER;
ALTER TABLE packs ADD COLUMN published_at TEXT;
UPDATE packs SET created_at = loaded_at, published_at = loaded_at;
UPDATE packs SET data = json_set(data, '$.status', 'published', '$.created_at', loaded_at,
    '$.published_at', loaded_at);
CREATE INDEX packs_by_guild ON packs (guild_id, status);

CREATE TABLE actor_roles (
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    pack     TEXT NOT NULL REFERENCES packs (slug) ON DELETE CASCADE,
    guild_id INTEGER,
    role     TEXT,
    aliases  TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (actor_id, pack)
) WITHOUT ROWID;
CREATE INDEX actor_roles_by_pack ON actor_roles (pack);

INSERT INTO actor_roles (actor_id, pack, guild_id, role)
SELECT id, pack, guild_id, json_extract(data, '$.role') FROM actors
WHERE pack IS NOT NULL AND json_extract(data, '$.role') IS NOT NULL;
UPDATE actors SET data = json_remove(data, '$.role');

DROP INDEX relations_once;
CREATE UNIQUE INDEX relations_once
    ON relations (ifnull(guild_id, 0), ifnull(pack, ''), source, target, kind);
