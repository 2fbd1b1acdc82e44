-- Nodes run guests. Capacity is physical; what placement may hand out is capacity * overcommit ratio.
create table node (
    id                bigserial primary key,
    name              text          not null unique,
    cpus              int           not null check (cpus >= 0),
    memory_mib        bigint        not null check (memory_mib >= 0),
    disk_mib          bigint        not null check (disk_mib >= 0),
    cpu_overcommit    numeric(6, 2) not null default 4.0 check (cpu_overcommit > 0),
    memory_overcommit numeric(6, 2) not null default 1.0 check (memory_overcommit > 0),
    disk_overcommit   numeric(6, 2) not null default 1.0 check (disk_overcommit > 0),
    libvirt_uri       text,
    enabled           boolean       not null default true,
    created_at        timestamptz   not null
);

-- What each backend's probe said on this node (available or why not).
create table node_backend (
    node_id     bigint      not null references node (id),
    backend     text        not null,
    driver_name text        not null,
    available   boolean     not null,
    version     text,
    detail      text,
    probed_at   timestamptz not null,
    primary key (node_id, backend)
);

create table ip_pool (
    id         bigserial primary key,
    node_id    bigint not null references node (id),
    name       text   not null unique,
    network    cidr   not null,
    gateway    inet   not null,
    bridge     text   not null,
    dns        text[] not null default '{}'
);

-- Every usable address of a pool is a row; allocation takes a free row (server_id null).
create table ip_address (
    pool_id   bigint not null references ip_pool (id),
    address   inet   not null,
    server_id bigint,
    primary key (pool_id, address)
);
create unique index ip_address_one_per_server on ip_address (server_id) where server_id is not null;
