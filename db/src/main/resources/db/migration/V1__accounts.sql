-- Accounts: operator > reseller > customer. A customer belongs to a reseller or to the operator (parent_id);
-- a reseller belongs to the operator. Passwords and API tokens are stored hashed only.
create table account (
    id            bigserial primary key,
    role          text        not null check (role in ('operator', 'reseller', 'customer')),
    username      text        not null,
    display_name  text        not null,
    email         text,
    password_hash text        not null,
    parent_id     bigint references account (id),
    enabled       boolean     not null default true,
    created_at    timestamptz not null,
    constraint account_parent_by_role check (
        (role = 'operator' and parent_id is null) or (role <> 'operator' and parent_id is not null))
);
create unique index account_username_unique on account (lower(username));
create index account_parent on account (parent_id);

-- Bearer tokens for the REST API. Only a SHA-256 of the token is kept; the clear token is shown once.
create table api_token (
    id           bigserial primary key,
    account_id   bigint      not null references account (id),
    name         text        not null,
    token_hash   text        not null unique,
    token_prefix text        not null,
    created_at   timestamptz not null,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index api_token_account on api_token (account_id);
