-- Placement across many nodes: a node belongs to one group (a location, a rack); a plan may be pinned to a group;
-- a draining node takes no new servers (its own keep running and may still be resized in place).
alter table node add column node_group text not null default 'default' check (node_group ~ '^[a-z0-9][a-z0-9-]{0,39}$');
alter table node add column draining boolean not null default false;
alter table plan add column node_group text check (node_group is null or node_group ~ '^[a-z0-9][a-z0-9-]{0,39}$');
