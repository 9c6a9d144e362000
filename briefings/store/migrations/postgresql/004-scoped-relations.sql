-- 004 (PostgreSQL form): relations unique per scope (0 = shipped) and triple.

ALTER TABLE relations DROP CONSTRAINT relations_pkey;
CREATE UNIQUE INDEX relations_once ON relations (coalesce(guild_id, 0), source, target, kind);
CREATE INDEX relations_by_pack ON relations (pack, guild_id);
