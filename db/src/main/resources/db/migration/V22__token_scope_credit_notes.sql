-- API tokens: a scope (read-only tokens may only read: GET and HEAD) and an optional expiry.
alter table api_token add column scope text not null default 'full' check (scope in ('read-only', 'full'));
alter table api_token add column expires_at timestamptz;
