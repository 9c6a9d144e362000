-- 008 (PostgreSQL form): an announcement channel's subscription may publish each delivery.

ALTER TABLE subscriptions ADD COLUMN publish INTEGER NOT NULL DEFAULT 0
    CHECK (publish IN (0, 1) AND (publish = 0 OR target = 'channel'));
