-- Disk snapshots of servers (issue 14). Hard power-off and reset are job kinds ('power_off', 'reset') and need no table.
-- How many snapshots a server of the plan may keep at once; 0 offers none.
alter table plan add column snapshot_limit int not null default 3 check (snapshot_limit between 0 and 100);

-- A snapshot's row follows its lifecycle (dev.slice.snapshot.SnapshotTransitions), changed with compare-and-set on
-- version. The driver knows it as 'slice-<id>'; name is the customer's label. Rows stay as 'deleted' for the record.
create table snapshot (
    id         bigserial primary key,
    server_id  bigint      not null references server (id),
    name       text        not null,
    status     text        not null check (status in ('creating', 'ready', 'deleting', 'deleted', 'failed')),
    version    bigint      not null default 0,
    error      text,
    created_by bigint references account (id),
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index snapshot_name_per_server on snapshot (server_id, name) where status <> 'deleted';
create index snapshot_server on snapshot (server_id, id) where status <> 'deleted';
