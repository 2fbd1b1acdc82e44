-- A guest suspended by its owner (its machine saved through the driver's Suspend capability) is a power state, not a
-- status: the status 'suspended' stays the provider's suspension (unpaid bill, abuse), and the two can coincide.
alter table server drop constraint server_power_state_check;
alter table server add constraint server_power_state_check
    check (power_state in ('running', 'stopped', 'suspended', 'unknown'));
