-- API tokens: a scope (read-only tokens may only read: GET and HEAD) and an optional expiry.
alter table api_token add column scope text not null default 'full' check (scope in ('read-only', 'full'));
alter table api_token add column expires_at timestamptz;

-- Invoices on demand: the provider issues one now for a customer's unbilled charges. Monthly invoices stay one per
-- customer and month; on-demand ones do not take a month, and share the issuer's invoice numbers.
alter table invoice add column on_demand boolean not null default false;
alter table invoice drop constraint invoice_customer_id_period_start_key;
create unique index invoice_one_per_month on invoice (customer_id, period_start) where not on_demand;

-- Credit notes: a refund recorded against an invoice credits the customer (a 'credit' ledger entry) and issues a credit
-- note, numbered per issuer in a series of its own without gaps (the sequence row is locked and advanced in the note's
-- transaction), kept as a PDF like invoices. Parties are the invoice's.
create table credit_note_sequence (
    issuer_id   bigint primary key references account (id),
    last_number bigint not null default 0
);

create table credit_note (
    id              bigserial primary key,
    issuer_id       bigint      not null references account (id),
    customer_id     bigint      not null references account (id),
    invoice_id      bigint      not null references invoice (id),
    number          bigint      not null,
    currency        text        not null,
    amount_minor    bigint      not null check (amount_minor > 0),
    tax_minor       bigint      not null,
    tax_rate_bp     int         not null,
    reason          text        not null check (length(reason) > 0),
    ledger_entry_id bigint      not null unique references ledger_entry (id),
    issued_at       timestamptz not null,
    pdf             bytea       not null,
    unique (issuer_id, number)
);
create index credit_note_invoice on credit_note (invoice_id);
create index credit_note_customer on credit_note (customer_id, id desc);
