-- 008: an announcement channel's subscription may publish (crosspost) each delivery to the
-- servers that follow the channel. Only channel subscriptions publish.

ALTER TABLE subscriptions ADD COLUMN publish INTEGER NOT NULL DEFAULT 0
    CHECK (publish IN (0, 1) AND (publish = 0 OR target = 'channel'));
