-- Node agents: one process per host serves the jobs of its own node and heartbeats here. Kept apart from node (the
-- operator's settings) because it is written every few seconds.
create table node_agent (
    node_id               bigint      primary key references node (id),
    -- SHA-256 (hex) of the node's credential, shown once when the operator added the node; null only for a node of
    -- the control plane's own process (single host), which needs none.
    credential_hash       text,
    credential_created_at timestamptz,
    address               text,
    -- which process heartbeats (host/pid/random), for the operator and the log
    instance              text,
    heartbeat_interval_ms int         not null default 5000 check (heartbeat_interval_ms > 0),
    -- times from the database's clock, the one clock all hosts share
    heartbeat_at          timestamptz,
    registered_at         timestamptz,
    state                 text        not null default 'awaiting' check (state in ('awaiting', 'online', 'unreachable')),
    state_since           timestamptz not null default statement_timestamp()
);
insert into node_agent (node_id) select id from node;
create unique index node_agent_credential on node_agent (credential_hash) where credential_hash is not null;

-- A job runs on one node: the worker of that node's agent claims it (null: the control plane's, no node).
alter table job add column node_id bigint references node (id);
update job j set node_id = s.node_id from server s where s.id = j.server_id;
update job j set node_id = r.node_id from report_run r where r.job_id = j.id;
create index job_runnable_per_node on job (node_id, run_after) where status = 'queued';
