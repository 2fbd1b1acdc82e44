-- Notifications are the results of the jobs an account may see; the account keeps when it last looked at them, so the
-- panel's bell counts only what finished since.
alter table account add column notifications_seen_at timestamptz;
