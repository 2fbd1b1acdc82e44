-- Quotas: totals a reseller's grant lets it sell across its live servers (next to max_servers), and the limits a
-- reseller (or the operator) sets on one customer account. Null means unlimited.
alter table capacity_grant
    add column max_vcpus          int    check (max_vcpus >= 0),
    add column max_memory_mib     bigint check (max_memory_mib >= 0),
    add column max_disk_mib       bigint check (max_disk_mib >= 0),
    add column max_ipv4_addresses int    check (max_ipv4_addresses >= 0);

-- One row per limited customer; orders lock it (for update) so concurrent orders count each other.
create table account_limits (
    account_id         bigint primary key references account (id),
    max_servers        int    check (max_servers >= 0),
    max_vcpus          int    check (max_vcpus >= 0),
    max_memory_mib     bigint check (max_memory_mib >= 0),
    max_disk_mib       bigint check (max_disk_mib >= 0),
    max_ipv4_addresses int    check (max_ipv4_addresses >= 0)
);
