-- A server booted from a rescue system (the driver's Rescue capability) is a status of its own: Slice is doing
-- something with it, and its other actions (reinstall, resize, snapshots) wait until it leaves rescue.
alter table server drop constraint server_status_check;
alter table server add constraint server_status_check
    check (status in ('provisioning', 'active', 'suspended', 'reinstalling', 'resizing', 'deleting', 'deleted', 'failed',
                      'rescue'));
