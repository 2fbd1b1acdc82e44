-- Benchmark runs (operators' reports of density and overhead). A run is carried out by one job (kind 'report');
-- its status changes by compare-and-set on version, along ReportTransitions.
create table report_run (
    id          bigserial primary key,
    node_id     bigint      not null references node (id),
    job_id      bigint      not null unique references job (id),
    backends    text[]      not null,
    vcpus       int         not null check (vcpus > 0),
    memory_mib  bigint      not null check (memory_mib > 0),
    disk_mib    bigint      not null check (disk_mib > 0),
    depth       text        not null check (depth in ('quick', 'full')),
    density     boolean     not null,
    reserve_mib bigint      not null check (reserve_mib >= 0),
    status      text        not null check (status in ('queued', 'running', 'cancelling', 'succeeded', 'failed', 'cancelled')),
    error       text,
    version     bigint      not null default 0,
    created_by  bigint references account (id),
    created_at  timestamptz not null,
    started_at  timestamptz,
    finished_at timestamptz
);
-- One run at a time per node: runs would measure each other.
create unique index report_run_one_active_per_node on report_run (node_id) where status in ('queued', 'running', 'cancelling');
create index report_run_newest on report_run (id desc);

-- What the figures depend on, recorded when the run starts.
create table report_host_facts (
    run_id      bigint  primary key references report_run (id),
    cpu_model   text    not null,
    cpus        int     not null,
    memory_mib  bigint  not null,
    kernel      text    not null,
    cgroups     text    not null,
    kvm_device  boolean not null,
    ksm         text    not null,
    governor    text    not null,
    backends    text    not null -- JSON object: backend -> driver, version and probe detail
);

-- Every guest a run makes, written before the driver is asked to create it, so that clean-up finds each one:
-- one per backend to measure the workloads in, and the density guests started one after another.
create table report_guest (
    guest_id     text   primary key,
    run_id       bigint not null references report_run (id),
    backend      text   not null,
    purpose      text   not null check (purpose in ('measure', 'density')),
    status       text   not null check (status in ('planned', 'ready', 'destroyed')),
    boot_ms      double precision,
    concurrency  int    not null default 1
);
create index report_guest_run on report_guest (run_id);

-- Density: the host after each guest added (guests = 0 is the host before the first), and why adding stopped.
create table report_density (
    run_id                  bigint           not null references report_run (id),
    backend                 text             not null,
    guests                  int              not null,
    mem_available_mib       bigint           not null,
    host_mib_per_guest      double precision,
    charged_mib_per_guest   double precision,
    idle_cpu_pct_per_guest  double precision,
    cpu_score               double precision,
    stop_reason             text,
    taken_at                timestamptz      not null,
    primary key (run_id, backend, guests)
);

-- One figure of one round on one target ('bare-metal' or a backend), with the host's load when it was taken.
-- A round's figures are written in one transaction: a round is either all there or not at all.
create table report_sample (
    id                bigserial primary key,
    run_id            bigint           not null references report_run (id),
    target            text             not null,
    round             int              not null,
    warm_up           boolean          not null,
    metric            text             not null,
    value             double precision not null,
    unit              text             not null,
    direct_io         boolean          not null,
    load_average      double precision not null,
    cpu_pressure      double precision not null,
    memory_pressure   double precision not null,
    mem_available_mib bigint           not null,
    taken_at          timestamptz      not null,
    unique (run_id, target, round, metric)
);
