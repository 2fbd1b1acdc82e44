-- A server's status (what Slice is doing with it) and its observed power state are kept apart.
-- Rows change with compare-and-set on version.
create table server (
    id                 bigserial primary key,
    guest_id           text        not null unique,
    owner_id           bigint      not null references account (id),
    plan_id            bigint      not null references plan (id),
    node_id            bigint      not null references node (id),
    backend            text        not null,
    hostname           text        not null,
    template           text        not null references os_template (name),
    vcpus              int         not null,
    memory_mib         bigint      not null,
    disk_mib           bigint      not null,
    bandwidth_mbit     int         not null,
    status             text        not null check (status in ('provisioning', 'active', 'suspended', 'reinstalling',
                                                            'resizing', 'deleting', 'deleted', 'failed')),
    power_state        text        not null default 'unknown' check (power_state in ('running', 'stopped', 'unknown')),
    ipv4               inet,
    mac                text        not null,
    root_password_hash text,
    ssh_keys           text[]      not null default '{}',
    version            bigint      not null default 0,
    created_at         timestamptz not null,
    updated_at         timestamptz not null
);
create unique index server_hostname_per_owner on server (owner_id, hostname) where status <> 'deleted';
create index server_node on server (node_id) where status <> 'deleted';
create index server_owner on server (owner_id);

alter table ip_address add constraint ip_address_server foreign key (server_id) references server (id);

-- Durable jobs. A job is an explicit list of idempotent steps; next_step is how far it got.
create table job (
    id           bigserial primary key,
    server_id    bigint references server (id),
    kind         text        not null,
    status       text        not null check (status in ('queued', 'running', 'succeeded', 'failed')),
    steps        text[]      not null,
    next_step    int         not null default 0,
    attempts     int         not null default 0,
    max_attempts int         not null,
    params       text        not null default '{}',
    error        text,
    output       text        not null default '',
    claimed_by   text,
    heartbeat_at timestamptz,
    run_after    timestamptz not null,
    created_by   bigint references account (id),
    created_at   timestamptz not null,
    started_at   timestamptz,
    finished_at  timestamptz
);
-- One active job per server at a time.
create unique index job_one_active_per_server on job (server_id) where status in ('queued', 'running');
create index job_runnable on job (run_after) where status = 'queued';
create index job_running on job (heartbeat_at) where status = 'running';
create index job_server on job (server_id, id desc);

create table job_step (
    job_id      bigint not null references job (id),
    step_index  int    not null,
    name        text   not null,
    status      text   not null check (status in ('pending', 'running', 'done', 'failed')),
    started_at  timestamptz,
    finished_at timestamptz,
    output      text   not null default '',
    primary key (job_id, step_index)
);
