-- 006 (PostgreSQL form): a channel subscription may ping one role with each delivery.

ALTER TABLE subscriptions ADD COLUMN ping_role_id BIGINT
    CHECK (ping_role_id IS NULL OR target = 'channel');
