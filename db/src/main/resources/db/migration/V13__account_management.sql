-- Account management: a password set by someone else (a reset) must be changed at the next sign-in, and accounts are
-- deleted softly (the row stays for the audit log, servers' history and invoices; the user name stays taken).
alter table account
    add column must_change_password boolean not null default false,
    add column deleted_at           timestamptz;
