-- Usage history and bandwidth accounting (issues 12 and 13).
--
-- A plan's monthly traffic allowance in GB (10^9 bytes) of outbound traffic, and the price of each GB over it in minor
-- units; an allowance of 0 is unmetered (nothing is ever charged for traffic).
alter table plan
    add column traffic_allowance_gb bigint not null default 0 check (traffic_allowance_gb >= 0),
    add column overage_per_gb_cents bigint not null default 0 check (overage_per_gb_cents >= 0);

-- The last raw counters read from each server's guest (cumulative since the guest started; -1: the backend cannot
-- tell). The next sample's deltas are taken against these, in the transaction that stores the sample.
create table usage_counter (
    server_id        bigint      primary key references server (id),
    sampled_at       timestamptz not null,
    cpu_time_nanos   bigint      not null,
    disk_read_bytes  bigint      not null,
    disk_write_bytes bigint      not null,
    net_rx_bytes     bigint      not null,
    net_tx_bytes     bigint      not null
);

-- One row per sample: what each counter grew by since the previous sample (never negative), and the memory in use
-- then. Kept a few days, for the last hour's graph; usage_hour keeps the rest.
create table usage_sample (
    server_id        bigint      not null references server (id),
    sampled_at       timestamptz not null,
    cpu_time_nanos   bigint      not null check (cpu_time_nanos >= 0),
    memory_bytes     bigint      not null,
    disk_read_bytes  bigint      not null check (disk_read_bytes >= 0),
    disk_write_bytes bigint      not null check (disk_write_bytes >= 0),
    net_rx_bytes     bigint      not null check (net_rx_bytes >= 0),
    net_tx_bytes     bigint      not null check (net_tx_bytes >= 0),
    primary key (server_id, sampled_at)
);
create index usage_sample_age on usage_sample (sampled_at);

-- The samples of each UTC hour added up (memory: the highest seen), in the sample's own transaction: the last day's
-- and month's graphs, and the monthly traffic totals, read these.
create table usage_hour (
    server_id        bigint      not null references server (id),
    hour             timestamptz not null,
    samples          int         not null,
    cpu_time_nanos   bigint      not null,
    memory_max_bytes bigint      not null,
    disk_read_bytes  bigint      not null,
    disk_write_bytes bigint      not null,
    net_rx_bytes     bigint      not null,
    net_tx_bytes     bigint      not null,
    primary key (server_id, hour)
);

-- The same per UTC calendar month: the customer's monthly traffic and the totals billing charges the overage of.
create table usage_month (
    server_id        bigint      not null references server (id),
    month            date        not null,
    net_rx_bytes     bigint      not null,
    net_tx_bytes     bigint      not null,
    primary key (server_id, month)
);
create index usage_month_month on usage_month (month);

-- A server's traffic overage of one UTC calendar month, charged once: the row is written in the ledger entry's own
-- transaction (with no entry when nothing was over), so a second pass, a restart or a concurrent pass finds it.
create table traffic_charge (
    server_id       bigint      not null references server (id),
    month           date        not null,
    tx_bytes        bigint      not null,
    allowance_gb    bigint      not null,
    per_gb_minor    bigint      not null,
    billed_tenths   bigint      not null,
    amount_minor    bigint      not null,
    ledger_entry_id bigint      references ledger_entry (id),
    charged_at      timestamptz not null,
    primary key (server_id, month)
);
