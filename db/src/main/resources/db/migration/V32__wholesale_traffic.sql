-- The operator's wholesale price per GB of a reseller's customers' traffic over their plan's allowance: charged to the
-- reseller for the same GB its customer is charged (0: the operator charges the reseller nothing for traffic).
alter table plan_wholesale add column overage_per_gb_minor bigint not null default 0 check (overage_per_gb_minor >= 0);
alter table traffic_charge add column reseller_id bigint references account (id);
alter table traffic_charge add column wholesale_per_gb_minor bigint not null default 0;
alter table traffic_charge add column wholesale_amount_minor bigint not null default 0 check (wholesale_amount_minor >= 0);
alter table traffic_charge add column wholesale_entry_id bigint references ledger_entry (id);
