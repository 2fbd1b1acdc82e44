-- Each backend's own capacity on a node, as its probe reported it (a QEMU host's memory for guests is not the OCI
-- runtime's disk); null until the next probe of a node registered before this.
alter table node_backend add column cpus int, add column memory_mib bigint, add column disk_mib bigint;
