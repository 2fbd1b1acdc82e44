-- Two-factor sign-in (TOTP, RFC 6238). One row per account that has started or finished enrolment: the secret is
-- never sent back once confirmed; last_step is the newest time step accepted, so that a code cannot be used twice.
create table account_two_factor (
    account_id   bigint primary key references account (id),
    secret       text        not null,
    confirmed_at timestamptz,
    last_step    bigint,
    created_at   timestamptz not null
);

-- One-use recovery codes, stored as PasswordEncoder hashes like passwords.
create table account_recovery_code (
    id         bigserial primary key,
    account_id bigint      not null references account (id),
    code_hash  text        not null,
    used_at    timestamptz
);
create index account_recovery_code_account on account_recovery_code (account_id);
