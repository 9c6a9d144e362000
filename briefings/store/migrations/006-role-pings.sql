-- 006: a channel subscription may ping one role with each delivery (opt-in). NULL: no ping.
-- Only channel subscriptions ping; the service refuses a role for DMs, and this keeps it so.

ALTER TABLE subscriptions ADD COLUMN ping_role_id INTEGER
    CHECK (ping_role_id IS NULL OR target = 'channel');
