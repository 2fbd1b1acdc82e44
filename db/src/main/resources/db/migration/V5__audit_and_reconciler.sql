create table audit_log (
    id          bigserial primary key,
    at          timestamptz not null,
    actor_id    bigint references account (id),
    actor_name  text        not null,
    action      text        not null,
    target_type text,
    target_id   text,
    detail      text        not null default ''
);
create index audit_log_at on audit_log (id desc);
create index audit_log_target on audit_log (target_type, target_id);

-- What the reconciler found that it must not fix by itself: guests without a server (orphan) and servers
-- whose guest is gone (lost). Kept until the condition clears, so the log is written once per finding.
create table reconcile_finding (
    id          bigserial primary key,
    node_id     bigint      not null references node (id),
    backend     text        not null,
    guest_id    text        not null,
    server_id   bigint references server (id),
    kind        text        not null check (kind in ('orphan', 'lost')),
    first_seen  timestamptz not null,
    last_seen   timestamptz not null,
    resolved_at timestamptz
);
create unique index reconcile_finding_open on reconcile_finding (node_id, backend, guest_id, kind) where resolved_at is null;
