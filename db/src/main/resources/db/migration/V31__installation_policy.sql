-- Installation-wide settings an operator changes at run time (one row, typed columns). staff_two_factor_required: every
-- operator and reseller must use two-factor sign-in; one without it is sent to enrolment before anything else.
create table installation_policy (
    id                        boolean primary key default true check (id),
    staff_two_factor_required boolean     not null default false,
    changed_at                timestamptz,
    changed_by                bigint references account (id)
);
insert into installation_policy default values;
