-- 009 (PostgreSQL form): many briefings; see ../009-briefings.sql. Briefings owned by a
-- scope, drafts until published; per-briefing actor roles; relations unique per scope and
-- briefing.

ALTER TABLE packs ADD COLUMN guild_id BIGINT;
ALTER TABLE packs ADD COLUMN status TEXT NOT NULL DEFAULT 'published'
    CHECK (status IN ('draft', 'published'));
ALTER TABLE packs ADD COLUMN created_at TEXT;
ALTER TABLE packs ADD COLUMN created_by BIGINT;
ALTER TABLE packs ADD COLUMN published_at TEXT;
UPDATE packs SET created_at = loaded_at, published_at = loaded_at;
UPDATE packs SET data = (data::jsonb || jsonb_build_object(
    'status', 'published', 'created_at', loaded_at, 'published_at', loaded_at))::text;
CREATE INDEX packs_by_guild ON packs (guild_id, status);

CREATE TABLE actor_roles (
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    pack     TEXT NOT NULL REFERENCES packs (slug) ON DELETE CASCADE,
    guild_id BIGINT,
    role     TEXT,
    aliases  TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (actor_id, pack)
);
CREATE INDEX actor_roles_by_pack ON actor_roles (pack);

INSERT INTO actor_roles (actor_id, pack, guild_id, role)
SELECT id, pack, guild_id, json_extract(data, '$.role') FROM actors
WHERE pack IS NOT NULL AND json_extract(data, '$.role') IS NOT NULL;
UPDATE actors SET data = (data::jsonb - 'role')::text;

DROP INDEX relations_once;
CREATE UNIQUE INDEX relations_once
    ON relations (coalesce(guild_id, 0), coalesce(pack, ''), source, target, kind);

CREATE TRIGGER actor_roles_notify AFTER INSERT OR UPDATE OR DELETE ON actor_roles
    FOR EACH STATEMENT EXECUTE FUNCTION briefings_notify('briefings_catalogue');

-- SQLite's json_set(doc, '$.key', value), as the store's make_global uses it (one key, a JSON
-- value: `json('null')` is PostgreSQL's own cast to json).
CREATE FUNCTION json_set(doc text, path text, value json) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT jsonb_set(doc::jsonb, string_to_array(substr(path, 3), '.'), value::jsonb)::text $$;
