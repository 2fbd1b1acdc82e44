package dev.slice.billing;

import dev.slice.account.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Billing's rows, and all of billing's SQL: ledger entries and balances, meter segments and hours, provider events,
 * invoices. The ledger's rules that must hold whatever code runs (append-only, balance = sum, gapless sequence per
 * account) are kept by the database's triggers (V12__billing.sql), not here.
 */
@Repository
public class BillingRepository {
    private final JdbcClient jdbc;
    private final Currency currency;
    private final Clock clock;

    public BillingRepository(JdbcClient jdbc, BillingProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.currency = properties.currencyUnit();
        this.clock = clock;
    }

    /** An account as billing needs it: who it is, whose customer, and how it pays. */
    public record BillingAccount(long id, Role role, Long parentId, String username, String displayName) {}

    public Optional<BillingAccount> account(long id) {
        return jdbc.sql("select id, role, parent_id, username, display_name from account where id = ?").param(id)
                .query((rs, n) -> new BillingAccount(rs.getLong("id"), Role.fromId(rs.getString("role")),
                        (Long) rs.getObject("parent_id"), rs.getString("username"), rs.getString("display_name")))
                .optional();
    }

    public Optional<String> email(long accountId) {
        return jdbc.sql("select email from account where id = ?").param(accountId).query(String.class).optional()
                .filter(java.util.Objects::nonNull);
    }

    // ---- ledger

    LedgerEntry append(NewEntry entry) {
        return jdbc.sql("""
                insert into ledger_entry (account_id, seq, kind, amount_minor, currency, balance_after, reverses, actor_id,
                  actor_name, reason, reference, server_id, accrued_at, created_at)
                values (:account, 0, :kind, :amount, :currency, 0, :reverses, :actorId, :actorName, :reason, :reference, :server,
                  :accrued, :now)
                returning *""")
                .param("account", entry.accountId()).param("kind", entry.kind().id()).param("amount", entry.amount().minor())
                .param("currency", entry.amount().currency().getCurrencyCode()).param("reverses", entry.reverses())
                .param("actorId", entry.actorId()).param("actorName", entry.actorName()).param("reason", entry.reason())
                .param("reference", entry.reference()).param("server", entry.serverId())
                .param("accrued", Timestamp.from(entry.accruedAt())).param("now", Timestamp.from(clock.instant()))
                .query(this::mapEntry).single();
    }

    public Optional<LedgerEntry> entry(long id) {
        return jdbc.sql("select * from ledger_entry where id = ?").param(id).query(this::mapEntry).optional();
    }

    public boolean isReversed(long entryId) {
        return jdbc.sql("select exists (select 1 from ledger_entry where reverses = ?)").param(entryId).query(Boolean.class).single();
    }

    /** Newest first. */
    public List<LedgerEntry> entries(long accountId, int offset, int limit) {
        return jdbc.sql("select * from ledger_entry where account_id = ? order by seq desc offset ? limit ?")
                .params(accountId, Math.max(0, offset), Math.clamp(limit, 0, 1000)).query(this::mapEntry).list();
    }

    public long countEntries(long accountId) {
        return jdbc.sql("select count(*) from ledger_entry where account_id = ?").param(accountId).query(Long.class).single();
    }

    /** The balance kept beside the entries (zero for an account without any). */
    public Money balance(long accountId) {
        return jdbc.sql("select balance_minor from account_balance where account_id = ?").param(accountId).query(Long.class)
                .optional().map(m -> Money.of(m, currency)).orElse(Money.zero(currency));
    }

    /** The balance as derived from the entries themselves: what {@link #balance} must always equal. */
    public Money sumOfEntries(long accountId) {
        return Money.of(jdbc.sql("select coalesce(sum(amount_minor), 0) from ledger_entry where account_id = ?").param(accountId)
                .query(Long.class).single(), currency);
    }

    /** Takes the account's balance row lock for the rest of the transaction (it serializes the account's entries). */
    public Money lockBalance(long accountId) {
        jdbc.sql("insert into account_balance (account_id, currency) values (?, ?) on conflict do nothing")
                .params(accountId, currency.getCurrencyCode()).update();
        return Money.of(jdbc.sql("select balance_minor from account_balance where account_id = ? for update").param(accountId)
                .query(Long.class).single(), currency);
    }

    private LedgerEntry mapEntry(ResultSet rs, int row) throws SQLException {
        Currency unit = Currency.getInstance(rs.getString("currency"));
        return new LedgerEntry(rs.getLong("id"), rs.getLong("account_id"), rs.getLong("seq"), EntryKind.fromId(rs.getString("kind")),
                Money.of(rs.getLong("amount_minor"), unit), Money.of(rs.getLong("balance_after"), unit),
                (Long) rs.getObject("reverses"), rs.getString("actor_name"), rs.getString("reason"), rs.getString("reference"),
                (Long) rs.getObject("server_id"), rs.getTimestamp("accrued_at").toInstant(), rs.getTimestamp("created_at").toInstant());
    }

    // ---- billing profiles

    /** Who an account is on an invoice; its defaults when it never said. */
    public record Profile(long accountId, String legalName, String address, String taxId, Integer taxRateBp, Boolean prepaid) {}

    public Optional<Profile> profile(long accountId) {
        return jdbc.sql("select * from billing_profile where account_id = ?").param(accountId)
                .query((rs, n) -> new Profile(rs.getLong("account_id"), rs.getString("legal_name"), rs.getString("address"),
                        rs.getString("tax_id"), (Integer) rs.getObject("tax_rate_bp"), (Boolean) rs.getObject("prepaid")))
                .optional();
    }

    public void saveProfile(Profile p) {
        jdbc.sql("""
                insert into billing_profile (account_id, legal_name, address, tax_id, tax_rate_bp, prepaid)
                values (:id, :name, :address, :tax, :rate, :prepaid)
                on conflict (account_id) do update set legal_name = excluded.legal_name, address = excluded.address,
                  tax_id = excluded.tax_id, tax_rate_bp = excluded.tax_rate_bp, prepaid = excluded.prepaid""")
                .param("id", p.accountId()).param("name", p.legalName()).param("address", p.address()).param("tax", p.taxId())
                .param("rate", p.taxRateBp()).param("prepaid", p.prepaid()).update();
    }

    // ---- metering

    /** Opens a segment at the plan's price, and at its wholesale price for the plan's reseller (0 when none is set). */
    void openSegment(long serverId, long accountId, long planId, long monthlyMinor, Instant fromHour) {
        jdbc.sql("""
                insert into meter_segment (server_id, account_id, plan_id, monthly_minor, reseller_id, wholesale_minor, from_hour)
                select ?, ?, p.id, ?, case when o.role = 'reseller' then o.id end, coalesce(w.monthly_minor, 0), ?
                from plan p join account o on o.id = p.owner_id left join plan_wholesale w on w.plan_id = p.id where p.id = ?""")
                .params(serverId, accountId, monthlyMinor, Timestamp.from(fromHour), planId).update();
    }

    void setWholesale(long planId, long monthlyMinor) {
        jdbc.sql("""
                insert into plan_wholesale (plan_id, monthly_minor) values (?, ?)
                on conflict (plan_id) do update set monthly_minor = excluded.monthly_minor""").params(planId, monthlyMinor).update();
    }

    /** The wholesale price per GB of traffic over the plan's allowance; a plan without a monthly wholesale price keeps 0 for it. */
    void setWholesaleTraffic(long planId, long overagePerGbMinor) {
        jdbc.sql("""
                insert into plan_wholesale (plan_id, monthly_minor, overage_per_gb_minor) values (?, 0, ?)
                on conflict (plan_id) do update set overage_per_gb_minor = excluded.overage_per_gb_minor""")
                .params(planId, overagePerGbMinor).update();
    }

    /** A plan's owner and its role, for the wholesale rule. */
    Optional<BillingAccount> planOwner(long planId) {
        return jdbc.sql("select owner_id from plan where id = ?").param(planId).query(Long.class).optional().flatMap(this::account);
    }

    /** The reseller's active plans with their retail price and the operator's wholesale price (null when none is set). */
    public List<PlanPrices> planPrices(long resellerId) {
        return jdbc.sql("""
                select p.id, p.name, p.monthly_price_cents, w.monthly_minor, coalesce(w.overage_per_gb_minor, 0)
                from plan p left join plan_wholesale w on w.plan_id = p.id
                where p.owner_id = ? and p.status = 'active' order by lower(p.name), p.id""").param(resellerId)
                .query((rs, n) -> new PlanPrices(rs.getLong(1), rs.getString(2), Money.of(rs.getLong(3), currency),
                        rs.getObject(4) == null ? null : Money.of(rs.getLong(4), currency), Money.of(rs.getLong(5), currency))).list();
    }

    /**
     * @param wholesale      what the operator charges the reseller a month per server on the plan; null when not set (free)
     * @param wholesalePerGb what it charges per GB of the plan's servers' traffic over their allowance (0: nothing)
     */
    public record PlanPrices(long planId, String planName, Money retail, Money wholesale, Money wholesalePerGb) {}

    /**
     * Per month (UTC), what a reseller's customers were charged and what the reseller was charged for the same hours and
     * the same traffic over allowance.
     */
    public List<Margin> margins(long resellerId) {
        return jdbc.sql("""
                select month, sum(retail), sum(wholesale) from (
                  select to_char(h.hour at time zone 'UTC', 'YYYY-MM') as month, h.amount_minor as retail,
                    h.wholesale_amount_minor as wholesale
                  from meter_hour h join meter_segment m on m.id = h.segment_id where m.reseller_id = :reseller
                  union all
                  select to_char(c.month, 'YYYY-MM'), c.amount_minor, c.wholesale_amount_minor
                  from traffic_charge c where c.reseller_id = :reseller) charged
                group by 1 order by 1 desc""").param("reseller", resellerId)
                .query((rs, n) -> new Margin(YearMonth.parse(rs.getString(1)), Money.of(rs.getLong(2), currency),
                        Money.of(rs.getLong(3), currency))).list();
    }

    /** @param retail what the customers were charged; wholesale what the reseller was */
    public record Margin(YearMonth month, Money retail, Money wholesale) {
        public Money margin() {
            return retail.minus(wholesale);
        }
    }

    /** Ends the server's open segment at {@code toHour} (never before it began); false when none was open. */
    boolean closeSegment(long serverId, Instant toHour) {
        return jdbc.sql("update meter_segment set to_hour = greatest(from_hour, ?) where server_id = ? and to_hour is null")
                .params(Timestamp.from(toHour), serverId).update() > 0;
    }

    Optional<MeterSegment> openSegment(long serverId) {
        return jdbc.sql(SEGMENT + " where m.server_id = ? and m.to_hour is null").param(serverId).query(BillingRepository::segment)
                .optional();
    }

    /** The server's segments in order, locked: one metering pass at a time per server. */
    List<MeterSegment> lockSegments(long serverId) {
        return jdbc.sql(SEGMENT + " where m.server_id = ? order by m.from_hour, m.id for update of m").param(serverId)
                .query(BillingRepository::segment).list();
    }

    /** Servers with hours that may still be uncharged: an open segment, or a closed one whose last hour has no row. */
    List<Long> serversToMeter() {
        return jdbc.sql("""
                select distinct m.server_id from meter_segment m
                where m.to_hour is null or (m.to_hour > m.from_hour and not exists (
                  select 1 from meter_hour h where h.server_id = m.server_id and h.hour = m.to_hour - interval '1 hour'))
                order by 1""").query(Long.class).list();
    }

    Optional<Instant> lastChargedHour(long serverId) {
        return jdbc.sql("select max(hour) from meter_hour where server_id = ?").param(serverId)
                .query((rs, n) -> rs.getTimestamp(1)).optional().filter(java.util.Objects::nonNull).map(Timestamp::toInstant);
    }

    /** The month so far at retail (index 0) and at wholesale (index 1). */
    MeteringRule.Month[] month(long serverId, Instant monthStart, Instant monthEnd) {
        return jdbc.sql("""
                select coalesce(sum(monthly_minor), 0), coalesce(max(monthly_minor), 0), coalesce(sum(amount_minor), 0),
                  coalesce(sum(wholesale_minor), 0), coalesce(max(wholesale_minor), 0), coalesce(sum(wholesale_amount_minor), 0)
                from meter_hour where server_id = ? and hour >= ? and hour < ?""")
                .params(serverId, Timestamp.from(monthStart), Timestamp.from(monthEnd))
                .query((rs, n) -> new MeteringRule.Month[] {new MeteringRule.Month(rs.getLong(1), rs.getLong(2), rs.getLong(3)),
                        new MeteringRule.Month(rs.getLong(4), rs.getLong(5), rs.getLong(6))}).single();
    }

    /** Charged hours of one server, all in one statement; a row already there is an error (the caller holds the lock). */
    void insertHours(long serverId, long[] hourEpochSeconds, long[] segmentIds, long[] monthly, long[] amounts, Long entryId,
                     long[] wholesale, long[] wholesaleAmounts, Long wholesaleEntryId) {
        jdbc.sql("""
                insert into meter_hour (server_id, hour, segment_id, monthly_minor, amount_minor, ledger_entry_id, wholesale_minor,
                  wholesale_amount_minor, wholesale_entry_id)
                select ?, to_timestamp(h), s, p, a, ?, w, wa, ?
                from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) as t(h, s, p, a, w, wa)""")
                .params(serverId, entryId, wholesaleEntryId, hourEpochSeconds, segmentIds, monthly, amounts, wholesale, wholesaleAmounts)
                .update();
    }

    /** What a server was charged per hour between two instants (for tests and the panel's detail). */
    public long chargedBetween(long serverId, Instant from, Instant to) {
        return jdbc.sql("select coalesce(sum(amount_minor), 0) from meter_hour where server_id = ? and hour >= ? and hour < ?")
                .params(serverId, Timestamp.from(from), Timestamp.from(to)).query(Long.class).single();
    }

    /** What the account's running servers may still be charged this month: each one's price less its charges so far. */
    Money restOfMonthCommitted(long accountId, Instant monthStart, Instant monthEnd) {
        return Money.of(jdbc.sql("""
                select coalesce(sum(greatest(0, m.monthly_minor - coalesce((select sum(h.amount_minor) from meter_hour h
                  where h.server_id = m.server_id and h.hour >= :start and h.hour < :end), 0))), 0)
                from meter_segment m where m.account_id = :account and m.to_hour is null""")
                .param("account", accountId).param("start", Timestamp.from(monthStart)).param("end", Timestamp.from(monthEnd))
                .query(Long.class).single(), currency);
    }

    private static final String SEGMENT = """
            select m.*, s.hostname, p.name as plan_name, o.username as owner_username from meter_segment m
              join server s on s.id = m.server_id join account o on o.id = m.account_id
              join plan p on p.id = m.plan_id""";

    private static MeterSegment segment(ResultSet rs, int row) throws SQLException {
        Timestamp to = rs.getTimestamp("to_hour");
        return new MeterSegment(rs.getLong("id"), rs.getLong("server_id"), rs.getString("hostname"), rs.getLong("account_id"),
                rs.getLong("plan_id"), rs.getString("plan_name"), rs.getLong("monthly_minor"), (Long) rs.getObject("reseller_id"),
                rs.getLong("wholesale_minor"), rs.getTimestamp("from_hour").toInstant(), to == null ? null : to.toInstant(),
                rs.getString("owner_username"));
    }

    // ---- provider events

    Optional<ProviderEvents.ProviderEventRow> providerEvent(String eventId) {
        return jdbc.sql("select * from provider_event where event_id = ?").param(eventId)
                .query((rs, n) -> new ProviderEvents.ProviderEventRow(rs.getString("event_id"), rs.getString("type"),
                        (Long) rs.getObject("account_id"), (Long) rs.getObject("ledger_entry_id"))).optional();
    }

    /** False when the event id was there already (a concurrent delivery waits for the first one's commit). */
    boolean insertProviderEvent(String eventId, String type, Long accountId) {
        return jdbc.sql("insert into provider_event (event_id, type, account_id, received_at) values (?, ?, ?, ?) on conflict do nothing")
                .params(eventId, type, accountId, Timestamp.from(clock.instant())).update() == 1;
    }

    void setProviderEventEntry(String eventId, long entryId) {
        jdbc.sql("update provider_event set ledger_entry_id = ? where event_id = ?").params(entryId, eventId).update();
    }

    // ---- invoices

    private static final String UNINVOICED_CHARGE = """
            e.accrued_at < :before and not exists (select 1 from invoice_entry ie where ie.ledger_entry_id = e.id)
              and (e.kind = 'charge' or (e.kind = 'reversal'
                   and exists (select 1 from ledger_entry o where o.id = e.reverses and o.kind = 'charge')))""";

    /**
     * Customers and (UTC) months before {@code before} that have unbilled charges, oldest first. A charge accrued in a
     * month that was already invoiced (a reversal of a billed charge, say) goes to the month after the last invoice.
     */
    List<Map.Entry<Long, YearMonth>> dueInvoices(Instant before) {
        return jdbc.sql("""
                        select distinct account_id, to_char(month, 'YYYY-MM') from (
                          select e.account_id, greatest(date_trunc('month', e.accrued_at at time zone 'UTC'),
                            (select max(i.period_end) from invoice i where i.customer_id = e.account_id)) as month
                          from ledger_entry e join account a on a.id = e.account_id where a.parent_id is not null and """
                        + " " + UNINVOICED_CHARGE + ") due where month < (cast(:before as timestamptz) at time zone 'UTC') order by 2, 1")
                .param("before", Timestamp.from(before))
                .query((rs, n) -> Map.entry(rs.getLong(1), YearMonth.parse(rs.getString(2)))).list();
    }

    List<LedgerEntry> uninvoicedCharges(long accountId, Instant before) {
        return jdbc.sql("select e.* from ledger_entry e where e.account_id = :account and " + UNINVOICED_CHARGE + " order by e.seq")
                .param("account", accountId).param("before", Timestamp.from(before)).query(this::mapEntry).list();
    }

    /** Holds the issuer's numbering for the rest of the transaction: its invoices are numbered one at a time. */
    void lockInvoiceSequence(long issuerId) {
        jdbc.sql("insert into invoice_sequence (issuer_id) values (?) on conflict do nothing").param(issuerId).update();
        jdbc.sql("select last_number from invoice_sequence where issuer_id = ? for update").param(issuerId).query(Long.class).single();
    }

    /** The next number; a rollback of the invoice's transaction gives it back, so numbers have no gaps. */
    long nextInvoiceNumber(long issuerId) {
        return jdbc.sql("update invoice_sequence set last_number = last_number + 1 where issuer_id = ? returning last_number")
                .param(issuerId).query(Long.class).single();
    }

    /** The customer's monthly invoice starting on this day (on-demand invoices do not take a month). */
    Optional<Long> invoiceFor(long customerId, LocalDate periodStart) {
        return jdbc.sql("select id from invoice where customer_id = ? and period_start = ? and not on_demand")
                .params(customerId, periodStart).query(Long.class).optional();
    }

    /** Where the customer's last invoice (monthly or on demand) ended; empty before its first. */
    Optional<LocalDate> lastPeriodEnd(long customerId) {
        return jdbc.sql("select max(period_end) from invoice where customer_id = ?").param(customerId)
                .query((rs, n) -> rs.getObject(1, LocalDate.class)).optional().filter(java.util.Objects::nonNull);
    }

    long insertInvoice(Invoice i, byte[] pdf, List<Long> entryIds, boolean onDemand) {
        long id = jdbc.sql("""
                insert into invoice (issuer_id, customer_id, number, period_start, period_end, currency, total_minor, tax_minor,
                  tax_rate_bp, issuer_name, issuer_address, issuer_tax_id, customer_name, customer_address, customer_tax_id, issued_at, pdf,
                  on_demand)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""")
                .params(i.issuerId(), i.customerId(), i.number(), i.periodStart(), i.periodEnd(), i.total().currency().getCurrencyCode(),
                        i.total().minor(), i.tax().minor(), i.taxRateBp(), i.issuer().name(), i.issuer().address(), i.issuer().taxId(),
                        i.customer().name(), i.customer().address(), i.customer().taxId(), Timestamp.from(i.issuedAt()), pdf, onDemand)
                .query(Long.class).single();
        for (int n = 0; n < i.lines().size(); n++) {
            Invoice.Line line = i.lines().get(n);
            jdbc.sql("insert into invoice_line (invoice_id, line_no, description, amount_minor) values (?, ?, ?, ?)")
                    .params(id, n + 1, line.description(), line.amount().minor()).update();
        }
        jdbc.sql("insert into invoice_entry (invoice_id, ledger_entry_id) select ?, unnest(?::bigint[])")
                .params(id, entryIds.stream().mapToLong(Long::longValue).toArray()).update();
        return id;
    }

    public Optional<Invoice> invoice(long id) {
        return jdbc.sql(INVOICE + " where id = ?").param(id).query(this::mapInvoice).optional();
    }

    /** Newest first. */
    public List<Invoice> invoices(long customerId, int offset, int limit) {
        return jdbc.sql(INVOICE + " where customer_id = ? order by period_start desc, id desc offset ? limit ?")
                .params(customerId, Math.max(0, offset), Math.clamp(limit, 0, 1000)).query(this::mapInvoice).list();
    }

    public long countInvoices(long customerId) {
        return jdbc.sql("select count(*) from invoice where customer_id = ?").param(customerId).query(Long.class).single();
    }

    public Optional<byte[]> pdf(long invoiceId) {
        return jdbc.sql("select pdf from invoice where id = ?").param(invoiceId).query((rs, n) -> rs.getBytes(1)).optional();
    }

    // ---- credit notes

    /** Holds the issuer's credit-note numbering (and so the credits of its invoices) for the rest of the transaction. */
    void lockCreditNoteSequence(long issuerId) {
        jdbc.sql("insert into credit_note_sequence (issuer_id) values (?) on conflict do nothing").param(issuerId).update();
        jdbc.sql("select last_number from credit_note_sequence where issuer_id = ? for update").param(issuerId).query(Long.class).single();
    }

    /** The next credit-note number; a rollback gives it back, so the series has no gaps. */
    long nextCreditNoteNumber(long issuerId) {
        return jdbc.sql("update credit_note_sequence set last_number = last_number + 1 where issuer_id = ? returning last_number")
                .param(issuerId).query(Long.class).single();
    }

    long creditedMinor(long invoiceId) {
        return jdbc.sql("select coalesce(sum(amount_minor), 0) from credit_note where invoice_id = ?").param(invoiceId)
                .query(Long.class).single();
    }

    long insertCreditNote(CreditNote c, byte[] pdf) {
        return jdbc.sql("""
                insert into credit_note (issuer_id, customer_id, invoice_id, number, currency, amount_minor, tax_minor, tax_rate_bp,
                  reason, ledger_entry_id, issued_at, pdf)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""")
                .params(c.issuerId(), c.customerId(), c.invoiceId(), c.number(), c.amount().currency().getCurrencyCode(),
                        c.amount().minor(), c.tax().minor(), c.taxRateBp(), c.reason(), c.ledgerEntryId(),
                        Timestamp.from(c.issuedAt()), pdf)
                .query(Long.class).single();
    }

    public Optional<CreditNote> creditNote(long id) {
        return jdbc.sql(CREDIT_NOTE + " where id = ?").param(id).query(BillingRepository::mapCreditNote).optional();
    }

    /** Newest first. */
    public List<CreditNote> creditNotes(long customerId, int offset, int limit) {
        return jdbc.sql(CREDIT_NOTE + " where customer_id = ? order by id desc offset ? limit ?")
                .params(customerId, Math.max(0, offset), Math.clamp(limit, 0, 1000)).query(BillingRepository::mapCreditNote).list();
    }

    public long countCreditNotes(long customerId) {
        return jdbc.sql("select count(*) from credit_note where customer_id = ?").param(customerId).query(Long.class).single();
    }

    public Optional<byte[]> creditNotePdf(long creditNoteId) {
        return jdbc.sql("select pdf from credit_note where id = ?").param(creditNoteId).query((rs, n) -> rs.getBytes(1)).optional();
    }

    private static final String CREDIT_NOTE = "select id, issuer_id, customer_id, invoice_id, number, currency, amount_minor, "
            + "tax_minor, tax_rate_bp, reason, ledger_entry_id, issued_at from credit_note";

    private static CreditNote mapCreditNote(ResultSet rs, int row) throws SQLException {
        Currency unit = Currency.getInstance(rs.getString("currency"));
        return new CreditNote(rs.getLong("id"), rs.getLong("issuer_id"), rs.getLong("customer_id"), rs.getLong("invoice_id"),
                rs.getLong("number"), Money.of(rs.getLong("amount_minor"), unit), Money.of(rs.getLong("tax_minor"), unit),
                rs.getInt("tax_rate_bp"), rs.getString("reason"), rs.getLong("ledger_entry_id"), rs.getTimestamp("issued_at").toInstant());
    }

    Optional<String> hostname(long serverId) {
        return jdbc.sql("select hostname from server where id = ?").param(serverId).query(String.class).optional();
    }

    private static final String INVOICE = "select id, issuer_id, customer_id, number, period_start, period_end, currency, total_minor, "
            + "tax_minor, tax_rate_bp, issuer_name, issuer_address, issuer_tax_id, customer_name, customer_address, customer_tax_id, issued_at "
            + "from invoice";

    private Invoice mapInvoice(ResultSet rs, int row) throws SQLException {
        Currency unit = Currency.getInstance(rs.getString("currency"));
        long id = rs.getLong("id");
        List<Invoice.Line> lines = jdbc.sql("select description, amount_minor from invoice_line where invoice_id = ? order by line_no")
                .param(id).query((l, n) -> new Invoice.Line(l.getString(1), Money.of(l.getLong(2), unit))).list();
        return new Invoice(id, rs.getLong("issuer_id"), rs.getLong("customer_id"), rs.getLong("number"),
                rs.getObject("period_start", LocalDate.class), rs.getObject("period_end", LocalDate.class),
                Money.of(rs.getLong("total_minor"), unit), Money.of(rs.getLong("tax_minor"), unit), rs.getInt("tax_rate_bp"),
                new Invoice.Party(rs.getString("issuer_name"), rs.getString("issuer_address"), rs.getString("issuer_tax_id")),
                new Invoice.Party(rs.getString("customer_name"), rs.getString("customer_address"), rs.getString("customer_tax_id")),
                rs.getTimestamp("issued_at").toInstant(), lines);
    }

    // ---- dunning

    /**
     * Accounts with a negative balance, and since when it has been negative: when the entry after the last non-negative
     * balance accrued (a metered charge: its first hour, however late the pass that charged it ran).
     */
    List<Map.Entry<Long, Instant>> accountsInArrears() {
        return jdbc.sql("""
                select b.account_id, (select min(e.accrued_at) from ledger_entry e where e.account_id = b.account_id
                  and e.seq > coalesce((select max(p.seq) from ledger_entry p where p.account_id = b.account_id
                                        and p.balance_after >= 0), 0))
                from account_balance b where b.balance_minor < 0 order by 1""")
                .query((rs, n) -> Map.entry(rs.getLong(1), rs.getTimestamp(2).toInstant())).list();
    }

    /** Accounts with servers suspended by dunning whose balance is no longer negative. */
    List<Long> accountsPaidBack() {
        return jdbc.sql("""
                select distinct d.account_id from dunning_suspension d
                left join account_balance b on b.account_id = d.account_id where coalesce(b.balance_minor, 0) >= 0 order by 1""")
                .query(Long.class).list();
    }

    /** The account's servers dunning may suspend now: active ones it has not suspended yet. */
    List<Long> activeServers(long accountId) {
        return jdbc.sql("select id from server where owner_id = ? and status = 'active' order by id").param(accountId)
                .query(Long.class).list();
    }

    void recordSuspension(long serverId, long accountId) {
        jdbc.sql("insert into dunning_suspension (server_id, account_id, suspended_at) values (?, ?, ?) on conflict do nothing")
                .params(serverId, accountId, Timestamp.from(clock.instant())).update();
    }

    List<Long> suspendedByDunning(long accountId) {
        return jdbc.sql("select server_id from dunning_suspension where account_id = ? order by 1").param(accountId)
                .query(Long.class).list();
    }

    void forgetSuspension(long serverId) {
        jdbc.sql("delete from dunning_suspension where server_id = ?").param(serverId).update();
    }

    /** True the first time for this account's arrears. */
    boolean requestTermination(long accountId, Instant arrearsSince) {
        return jdbc.sql("""
                insert into dunning_termination_request (account_id, arrears_since, requested_at) values (?, ?, ?)
                on conflict do nothing""").params(accountId, Timestamp.from(arrearsSince), Timestamp.from(clock.instant())).update() == 1;
    }

    /** A server's month of traffic to charge: its outbound bytes (usage's roll-up) and what its plan says now. */
    /**
     * @param resellerId          the plan's reseller, charged at wholesale for the same GB; null on the operator's own plans
     * @param wholesalePerGbMinor the operator's price per GB to that reseller (0: none)
     */
    record TrafficDue(long serverId, YearMonth month, long txBytes, long accountId, String hostname, String planName, long allowanceGb,
                      long perGbMinor, Long resellerId, long wholesalePerGbMinor) {}

    /** Months before {@code thisMonth} with traffic rows and no charge yet, oldest first. */
    List<Map.Entry<Long, YearMonth>> dueTraffic(LocalDate thisMonth) {
        return jdbc.sql("""
                select m.server_id, m.month from usage_month m where m.month < ?
                  and not exists (select 1 from traffic_charge c where c.server_id = m.server_id and c.month = m.month)
                order by m.month, m.server_id""").param(thisMonth)
                .query((rs, n) -> Map.entry(rs.getLong(1), YearMonth.from(rs.getObject(2, LocalDate.class)))).list();
    }

    /** The month's row locked (a concurrent pass waits, then finds the charge); empty once it was charged. */
    Optional<TrafficDue> lockTraffic(long serverId, YearMonth month) {
        return jdbc.sql("""
                select m.net_tx_bytes, s.owner_id, s.hostname, p.name, p.traffic_allowance_gb, p.overage_per_gb_cents,
                  case when o.role = 'reseller' then o.id end, coalesce(w.overage_per_gb_minor, 0)
                from usage_month m join server s on s.id = m.server_id join plan p on p.id = s.plan_id
                  join account o on o.id = p.owner_id left join plan_wholesale w on w.plan_id = p.id
                where m.server_id = :id and m.month = :month
                  and not exists (select 1 from traffic_charge c where c.server_id = m.server_id and c.month = m.month)
                for update of m""").param("id", serverId).param("month", month.atDay(1))
                .query((rs, n) -> new TrafficDue(serverId, month, rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6), (Long) rs.getObject(7), rs.getLong(8))).optional();
    }

    void insertTrafficCharge(TrafficDue due, TrafficRule.Overage overage, Long entryId, long wholesaleMinor, Long wholesaleEntryId) {
        jdbc.sql("""
                insert into traffic_charge (server_id, month, tx_bytes, allowance_gb, per_gb_minor, billed_tenths, amount_minor,
                  ledger_entry_id, charged_at, reseller_id, wholesale_per_gb_minor, wholesale_amount_minor, wholesale_entry_id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(due.serverId(), due.month().atDay(1), due.txBytes(), due.allowanceGb(), due.perGbMinor(), overage.tenthsOfGb(),
                        overage.amountMinor(), entryId, Timestamp.from(clock.instant()), due.resellerId(), due.wholesalePerGbMinor(),
                        wholesaleMinor, wholesaleEntryId).update();
    }

    /** What a server's traffic of a month was charged (minor units); empty while not charged yet. */
    Optional<Long> trafficCharged(long serverId, YearMonth month) {
        return jdbc.sql("select amount_minor from traffic_charge where server_id = ? and month = ?").params(serverId, month.atDay(1))
                .query(Long.class).optional();
    }
}
