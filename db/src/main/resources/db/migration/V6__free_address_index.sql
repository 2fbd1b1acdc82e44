-- Allocation takes the lowest free address of a node's pools: this index finds it without scanning taken ones.
create index ip_address_free on ip_address (pool_id, address) where server_id is null;
