-- What is sold: OS templates, plans (owned by the operator or a reseller), and the limits the operator
-- grants a reseller's plans.
create table os_template (
    name    text primary key,
    label   text    not null,
    enabled boolean not null default true
);

create table plan (
    id                  bigserial primary key,
    owner_id            bigint      not null references account (id),
    name                text        not null,
    backend             text        not null,
    vcpus               int         not null check (vcpus between 1 and 256),
    memory_mib          bigint      not null check (memory_mib >= 16),
    disk_mib            bigint      not null check (disk_mib >= 64),
    bandwidth_mbit      int         not null default 0 check (bandwidth_mbit >= 0),
    monthly_price_cents bigint      not null check (monthly_price_cents >= 0),
    status              text        not null default 'active' check (status in ('active', 'retired')),
    created_at          timestamptz not null
);
create unique index plan_name_per_owner on plan (owner_id, lower(name));

-- The most a reseller's plans may sell: per-plan maxima, allowed backends, and a cap on servers in total.
create table capacity_grant (
    reseller_id             bigint primary key references account (id),
    max_vcpus_per_plan      int    not null,
    max_memory_mib_per_plan bigint not null,
    max_disk_mib_per_plan   bigint not null,
    max_servers             int    not null,
    backends                text[] not null default '{}'
);
