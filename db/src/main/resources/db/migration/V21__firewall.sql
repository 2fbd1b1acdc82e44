-- A server's inbound firewall (issue 14): rules the customer edits, enforced by the server's node in nftables
-- (dev.slice.driver.firewall.NftFirewall). No row in server_firewall means no firewall: everything allowed.
create table server_firewall (
    server_id      bigint      primary key references server (id),
    default_action text        not null check (default_action in ('allow', 'deny')),
    updated_at     timestamptz not null
);

-- The rules in the order they are tried (position 0 first, first match wins). Ports only for tcp and udp; no source
-- means from anywhere. The bounds are dev.slice.firewall.FirewallLimits'; these checks only keep the rows sane.
create table firewall_rule (
    server_id bigint not null references server_firewall (server_id) on delete cascade,
    position  int    not null check (position >= 0),
    action    text   not null check (action in ('allow', 'deny')),
    protocol  text   not null check (protocol in ('tcp', 'udp', 'icmp', 'any')),
    port_from int    check (port_from between 1 and 65535),
    port_to   int    check (port_to between 1 and 65535),
    source    cidr,
    primary key (server_id, position),
    check (port_from is null and port_to is null or port_from <= port_to and protocol in ('tcp', 'udp'))
);
