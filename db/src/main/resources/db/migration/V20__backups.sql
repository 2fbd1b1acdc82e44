-- Backups of servers' disks (issue 14): archives in a backup store (slice.backups.store), outside the guest, so they
-- outlive the server. A backup's row follows its lifecycle (dev.slice.backup.BackupTransitions), changed with
-- compare-and-set on version; rows stay as 'deleted' for the record. owner_id is the server's owner at the time: a
-- deleted server's backups stay visible to that owner (and restorable into a new server of the same backend).
create table backup (
    id          bigserial primary key,
    server_id   bigint      not null references server (id),
    owner_id    bigint      not null references account (id),
    node_id     bigint      not null references node (id),
    backend     text        not null,
    template    text        not null,
    name        text        not null,
    trigger     text        not null check (trigger in ('manual', 'scheduled')),
    status      text        not null check (status in ('creating', 'ready', 'deleting', 'deleted', 'failed')),
    archive     text,
    size_bytes  bigint,
    sha256      text check (sha256 ~ '^[0-9a-f]{64}$'),
    error       text,
    -- When its retention ends: scheduled ones at creation + retention periods; manual ones once their server is deleted.
    expires_at  timestamptz,
    version     bigint      not null default 0,
    created_by  bigint references account (id),
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);
create index backup_server on backup (server_id, id) where status <> 'deleted';
create index backup_owner on backup (owner_id, id) where status <> 'deleted';
create index backup_expiry on backup (expires_at) where status in ('ready', 'failed');

-- A server's schedule: one backup each day or week, the newest 'retention' scheduled ones kept. next_run_at is the
-- scheduler's durable state: it moves on in the transaction that enqueues the backup, so a restart never runs one twice.
create table backup_schedule (
    server_id   bigint      primary key references server (id),
    frequency   text        not null check (frequency in ('daily', 'weekly')),
    retention   int         not null check (retention between 1 and 100),
    next_run_at timestamptz not null,
    updated_at  timestamptz not null
);
create index backup_schedule_due on backup_schedule (next_run_at);

-- A plan's default schedule for its new servers (null: none); the server's own schedule may change it.
alter table plan add column backup_frequency text check (backup_frequency in ('daily', 'weekly')),
                 add column backup_retention int check (backup_retention between 1 and 100),
                 add constraint plan_backup_schedule check ((backup_frequency is null) = (backup_retention is null));

-- One scheduler job (no server) queued or running at a time: enqueuing a second is refused by the index.
create unique index job_one_backup_scheduler on job (kind) where kind = 'backup_schedule' and status in ('queued', 'running');
