-- Billing: an append-only ledger per account, hourly metering of servers, monthly invoices.
-- Amounts are integer minor units (cents) of the installation's currency (slice.billing.currency).

-- Who an account is on an invoice, and how it pays. Issuers (the operator, resellers) and customers alike.
-- tax_rate_bp: tax contained in the prices, in basis points (2000 = 20%); null = the installation's default.
-- prepaid: null = as the account's parent says, then the installation's default (slice.billing.prepaid).
create table billing_profile (
    account_id  bigint primary key references account (id),
    legal_name  text not null default '',
    address     text not null default '',
    tax_id      text not null default '',
    tax_rate_bp int check (tax_rate_bp between 0 and 10000),
    prepaid     boolean
);

-- The balance beside the entries, written only by the ledger's own trigger: balance = sum of the account's entries,
-- last_seq = how many entries it has. Its row lock orders an account's entries.
create table account_balance (
    account_id    bigint primary key references account (id),
    currency      text   not null,
    balance_minor bigint not null default 0,
    last_seq      bigint not null default 0
);

-- Entries are never changed or removed; a mistake is undone by a reversal entry (reverses = the undone entry).
-- Signs: payments and credits raise the balance, charges and refunds lower it, adjustments either way; a reversal
-- is the exact negative of the entry it reverses. accrued_at: when the amount belongs to (a metered charge: its first hour).
create table ledger_entry (
    id            bigserial primary key,
    account_id    bigint      not null references account (id),
    seq           bigint      not null,
    kind          text        not null check (kind in ('charge', 'payment', 'credit', 'refund', 'adjustment', 'reversal')),
    amount_minor  bigint      not null check (amount_minor <> 0),
    currency      text        not null,
    balance_after bigint      not null,
    reverses      bigint unique references ledger_entry (id),
    actor_id      bigint references account (id),
    actor_name    text        not null,
    reason        text        not null check (length(reason) > 0),
    reference     text,
    server_id     bigint references server (id),
    accrued_at    timestamptz not null,
    created_at    timestamptz not null,
    unique (account_id, seq),
    constraint ledger_entry_sign check (
        (kind in ('payment', 'credit') and amount_minor > 0) or (kind in ('charge', 'refund') and amount_minor < 0)
        or kind in ('adjustment', 'reversal')),
    constraint ledger_entry_reversal check ((kind = 'reversal') = (reverses is not null))
);
create index ledger_entry_account on ledger_entry (account_id, seq desc);

create function ledger_entry_append() returns trigger language plpgsql as $$
declare
    reversed ledger_entry%rowtype;
    current  account_balance%rowtype;
begin
    if new.reverses is not null then
        select * into reversed from ledger_entry where id = new.reverses;
        if reversed.account_id <> new.account_id or reversed.amount_minor <> -new.amount_minor or reversed.kind = 'reversal' then
            raise exception 'a reversal must undo exactly one entry of the same account, and not another reversal';
        end if;
    end if;
    insert into account_balance (account_id, currency) values (new.account_id, new.currency) on conflict do nothing;
    select * into current from account_balance where account_id = new.account_id for update;
    if current.currency <> new.currency then
        raise exception 'account % keeps its ledger in %, not %', new.account_id, current.currency, new.currency;
    end if;
    new.seq := current.last_seq + 1;
    new.balance_after := current.balance_minor + new.amount_minor;
    update account_balance set balance_minor = new.balance_after, last_seq = new.seq where account_id = new.account_id;
    return new;
end $$;

create function ledger_entry_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'the ledger is append-only: % is refused; record a reversal instead', tg_op;
end $$;

create trigger ledger_entry_append before insert on ledger_entry for each row execute function ledger_entry_append();
create trigger ledger_entry_no_update before update or delete on ledger_entry for each row execute function ledger_entry_refuse_change();
create trigger ledger_entry_no_truncate before truncate on ledger_entry for each statement execute function ledger_entry_refuse_change();

-- The kept balance is the ledger's to write: a direct change (not from ledger_entry_append) is refused.
create function account_balance_guard() returns trigger language plpgsql as $$
begin
    if pg_trigger_depth() < 2 and (tg_op <> 'INSERT' or new.balance_minor <> 0 or new.last_seq <> 0) then
        raise exception 'account_balance is written only by the ledger''s trigger: append an entry instead';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger account_balance_guard before insert or update or delete on account_balance
    for each row execute function account_balance_guard();

-- Metering: a server's plan price over a span of whole hours [from_hour, to_hour); to_hour null while it runs on.
-- Opened by an order, closed and reopened by a resize, closed by a delete.
-- What the operator charges a reseller per month for each server on one of the reseller's plans (wholesale).
create table plan_wholesale (
    plan_id       bigint primary key references plan (id),
    monthly_minor bigint not null check (monthly_minor >= 0)
);

-- reseller_id/wholesale_minor: the reseller charged wholesale for the same hours (null/0 on the operator's own plans).
create table meter_segment (
    id              bigserial primary key,
    server_id       bigint      not null references server (id),
    account_id      bigint      not null references account (id),
    plan_id         bigint      not null references plan (id),
    monthly_minor   bigint      not null check (monthly_minor >= 0),
    reseller_id     bigint references account (id),
    wholesale_minor bigint      not null default 0 check (wholesale_minor >= 0),
    from_hour     timestamptz not null,
    to_hour       timestamptz,
    check (to_hour is null or to_hour >= from_hour)
);
create unique index meter_segment_one_open on meter_segment (server_id) where to_hour is null;
create index meter_segment_server on meter_segment (server_id, from_hour);

-- One row per server and hour, whatever passes run: the primary key is the idempotence.
create table meter_hour (
    server_id      bigint      not null references server (id),
    hour           timestamptz not null,
    segment_id     bigint      not null references meter_segment (id),
    monthly_minor  bigint      not null,
    amount_minor   bigint      not null check (amount_minor >= 0),
    ledger_entry_id bigint references ledger_entry (id),
    wholesale_minor        bigint not null default 0,
    wholesale_amount_minor bigint not null default 0 check (wholesale_amount_minor >= 0),
    wholesale_entry_id     bigint references ledger_entry (id),
    primary key (server_id, hour)
);

-- Servers that exist when billing arrives are metered from now on, never for the past.
insert into meter_segment (server_id, account_id, plan_id, monthly_minor, reseller_id, from_hour)
select s.id, s.owner_id, s.plan_id, p.monthly_price_cents, case when o.role = 'reseller' then o.id end, date_trunc('hour', now())
from server s join plan p on p.id = s.plan_id join account o on o.id = p.owner_id where s.status <> 'deleted';

-- Webhook events of a payment provider, once each: the provider's event id is the key.
create table provider_event (
    event_id        text primary key,
    type            text        not null,
    account_id      bigint references account (id),
    ledger_entry_id bigint references ledger_entry (id),
    received_at     timestamptz not null
);

-- Invoices: numbered per issuer without gaps (the sequence row is locked and advanced in the invoice's transaction).
create table invoice_sequence (
    issuer_id   bigint primary key references account (id),
    last_number bigint not null default 0
);

create table invoice (
    id               bigserial primary key,
    issuer_id        bigint      not null references account (id),
    customer_id      bigint      not null references account (id),
    number           bigint      not null,
    period_start     date        not null,
    period_end       date        not null,
    currency         text        not null,
    total_minor      bigint      not null,
    tax_minor        bigint      not null,
    tax_rate_bp      int         not null,
    issuer_name      text        not null,
    issuer_address   text        not null,
    issuer_tax_id    text        not null,
    customer_name    text        not null,
    customer_address text        not null,
    customer_tax_id  text        not null,
    issued_at        timestamptz not null,
    pdf              bytea       not null,
    unique (issuer_id, number),
    unique (customer_id, period_start)
);

create table invoice_line (
    invoice_id      bigint not null references invoice (id),
    line_no         int    not null,
    description     text   not null,
    amount_minor    bigint not null,
    primary key (invoice_id, line_no)
);

-- What an invoice billed: a ledger entry is on one invoice at most.
create table invoice_entry (
    invoice_id      bigint not null references invoice (id),
    ledger_entry_id bigint primary key references ledger_entry (id)
);

-- Dunning: servers Slice suspended because their account's balance stayed negative past the grace period (only these are
-- lifted again when the balance is paid back), and the one request per arrears to the operator to terminate.
create table dunning_suspension (
    server_id    bigint primary key references server (id),
    account_id   bigint      not null references account (id),
    suspended_at timestamptz not null
);

create table dunning_termination_request (
    account_id    bigint      not null references account (id),
    arrears_since timestamptz not null,
    requested_at  timestamptz not null,
    primary key (account_id, arrears_since)
);
