-- 005: what /ask needs. Cards' search rows get a field per part of the card, so
-- ranking can weigh a bottom line and a title above key points above the summary;
-- concept aliases (per pack and scope); and the questions the briefing could not
-- answer, kept for the server's editors (no member id).

DROP TABLE cards_fts;
CREATE VIRTUAL TABLE cards_fts USING fts5 (
    title, bottom_line, points, body, names,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO cards_fts (rowid, title, bottom_line, points, body, names)
SELECT
    c.rowid,
    json_extract(c.data, '$.title'),
    coalesce(json_extract(c.data, '$.bottom_line'), ''),
    coalesce((SELECT group_concat(value, char(10)) FROM json_each(c.data, '$.key_points')), ''),
    json_extract(c.data, '$.summary') || char(10) || coalesce(
        (SELECT group_concat(json_extract(value, '$.text'), ' ')
         FROM json_each(c.data, '$.quotes')), ''),
    coalesce((
        SELECT group_concat(name, ' ') FROM (
            SELECT json_extract(a.data, '$.name') || ' ' || coalesce(
                (SELECT group_concat(value, ' ') FROM json_each(a.data, '$.aliases')), ''
            ) AS name
            FROM card_actors ca JOIN actors a ON a.id = ca.actor_id WHERE ca.card_id = c.id
            UNION ALL
            SELECT json_extract(e.data, '$.title')
            FROM card_events ce JOIN events e ON e.id = ce.event_id WHERE ce.card_id = c.id
        )
    ), '')
FROM cards c;

CREATE TABLE concepts (
    pack     TEXT NOT NULL,
    guild_id INTEGER,
    id       TEXT NOT NULL,
    data     TEXT NOT NULL
);
CREATE UNIQUE INDEX concepts_by_scope ON concepts (ifnull(guild_id, 0), pack, id);

CREATE TABLE question_gaps (
    id       INTEGER PRIMARY KEY,
    guild_id INTEGER,
    question TEXT NOT NULL,
    folded   TEXT NOT NULL,
    reason   TEXT NOT NULL CHECK (reason IN ('not-covered', 'voted-down')),
    at       TEXT NOT NULL
);
CREATE INDEX question_gaps_by_guild ON question_gaps (guild_id, folded);
CREATE INDEX question_gaps_by_time ON question_gaps (at);
