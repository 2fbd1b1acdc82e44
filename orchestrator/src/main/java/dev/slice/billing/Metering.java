package dev.slice.billing;

import dev.slice.server.ServerAccessRevoked;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hourly metering of servers by {@link MeteringRule}. An order opens a server's meter, a resize reopens it at the new
 * price, a delete closes it (in the transaction that makes each change). {@link #runPass()} charges every hour
 * not yet charged, however long it was since the last pass: a row per server and hour (its primary key) makes a
 * second pass, a restart or a concurrent pass charge nothing twice. Time is the injected {@link Clock}'s.
 */
@Service
public class Metering {
    private static final Logger log = LoggerFactory.getLogger(Metering.class);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final BillingRepository repository;
    private final Ledger ledger;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public Metering(BillingRepository repository, Ledger ledger, TransactionTemplate transactions, Clock clock) {
        this.repository = repository;
        this.ledger = ledger;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A new server is metered from the hour it was ordered in. */
    public void open(long serverId, long accountId, long planId, long monthlyMinor) {
        repository.openSegment(serverId, accountId, planId, monthlyMinor, floorHour(clock.instant()));
    }

    /** A resize: the new price from the hour in which it was asked for. */
    public void changePlan(long serverId, long planId, long monthlyMinor) {
        Instant hour = floorHour(clock.instant());
        repository.openSegment(serverId).ifPresent(open -> {
            repository.closeSegment(serverId, hour);
            repository.openSegment(serverId, open.accountId(), planId, monthlyMinor, hour);
        });
    }

    /** A delete: the hour it was asked for in is the last one charged. */
    public void close(long serverId) {
        repository.closeSegment(serverId, ceilHour(clock.instant()));
    }

    @EventListener
    void on(ServerAccessRevoked revoked) {
        if (revoked.reason() == ServerAccessRevoked.Reason.DELETED) close(revoked.serverId());
    }

    @EventListener
    void on(dev.slice.server.ServerPlanChanged changed) {
        changePlan(changed.serverId(), changed.planId(), changed.monthlyPriceMinor());
    }

    /** Charges every server's uncharged hours up to the last whole hour; returns how many hours were charged. */
    public int runPass() {
        int hours = 0;
        for (long serverId : repository.serversToMeter()) {
            try {
                Integer charged = transactions.execute(status -> meter(serverId));
                hours += charged == null ? 0 : charged;
            } catch (RuntimeException e) {
                log.warn("Metering server {} failed; the next pass tries again: {}", serverId, e.toString());
            }
        }
        return hours;
    }

    /** One server, inside a transaction holding its segments' locks. */
    private int meter(long serverId) {
        List<MeterSegment> segments = repository.lockSegments(serverId);
        Instant now = floorHour(clock.instant());
        Instant next = repository.lastChargedHour(serverId).map(h -> h.plus(1, ChronoUnit.HOURS)).orElse(Instant.MIN);
        List<Hour> due = new ArrayList<>();
        for (MeterSegment segment : segments) {
            Instant end = segment.toHour() == null ? now : segment.toHour();
            Instant hour = segment.fromHour().isBefore(next) ? next : segment.fromHour();
            for (; hour.isBefore(end); hour = hour.plus(1, ChronoUnit.HOURS)) due.add(new Hour(hour, segment));
        }
        int i = 0;
        while (i < due.size()) {
            YearMonth month = YearMonth.from(due.get(i).at().atZone(ZoneOffset.UTC));
            int j = i;
            while (j < due.size() && YearMonth.from(due.get(j).at().atZone(ZoneOffset.UTC)).equals(month)) j++;
            chargeMonth(serverId, month, due.subList(i, j));
            i = j;
        }
        return due.size();
    }

    /**
     * One ledger charge for a run of hours inside one calendar month, and a row per hour; on a reseller's plan also the
     * reseller's wholesale charge for the same hours, by the same rule.
     */
    private void chargeMonth(long serverId, YearMonth month, List<Hour> hours) {
        Instant start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        MeteringRule.Month[] states = repository.month(serverId, start, end);
        MeteringRule.Month retail = states[0];
        MeteringRule.Month wholesale = states[1];
        long retailBefore = retail.charged();
        long wholesaleBefore = wholesale.charged();
        int n = hours.size();
        long[] at = new long[n], segment = new long[n], price = new long[n], amount = new long[n];
        long[] wholesalePrice = new long[n], wholesaleAmount = new long[n];
        for (int k = 0; k < n; k++) {
            MeterSegment seg = hours.get(k).segment();
            MeteringRule.Month after = retail.plusHour(seg.monthlyMinor());
            MeteringRule.Month wholesaleAfter = wholesale.plusHour(seg.resellerId() == null ? 0 : seg.wholesaleMinor());
            at[k] = hours.get(k).at().getEpochSecond();
            segment[k] = seg.id();
            price[k] = seg.monthlyMinor();
            amount[k] = after.charged() - retail.charged();
            wholesalePrice[k] = seg.resellerId() == null ? 0 : seg.wholesaleMinor();
            wholesaleAmount[k] = wholesaleAfter.charged() - wholesale.charged();
            retail = after;
            wholesale = wholesaleAfter;
        }
        MeterSegment last = hours.getLast().segment();
        String span = n + " h, " + HOUR.format(hours.getFirst().at()) + " to " + HOUR.format(hours.getLast().at().plus(Duration.ofHours(1)))
                + " UTC";
        Long entryId = charge(last.accountId(), retail.charged() - retailBefore, last.hostname() + " (" + last.planName() + "): " + span,
                serverId, hours.getFirst().at());
        Long wholesaleEntryId = last.resellerId() == null ? null : charge(last.resellerId(), wholesale.charged() - wholesaleBefore,
                "wholesale, " + last.ownerUsername() + "'s " + last.hostname() + " (" + last.planName() + "): " + span, serverId,
                hours.getFirst().at());
        repository.insertHours(serverId, at, segment, price, amount, entryId, wholesalePrice, wholesaleAmount, wholesaleEntryId);
    }

    private Long charge(long accountId, long total, String reason, long serverId, Instant accruedAt) {
        if (total <= 0) return null;
        return ledger.append(new NewEntry(accountId, EntryKind.CHARGE, Money.of(-total, ledger.currency()), null, null, "metering",
                reason, null, serverId, accruedAt)).id();
    }

    private record Hour(Instant at, MeterSegment segment) {}

    static Instant floorHour(Instant instant) {
        return instant.truncatedTo(ChronoUnit.HOURS);
    }

    static Instant ceilHour(Instant instant) {
        Instant floor = floorHour(instant);
        return floor.equals(instant) ? floor : floor.plus(1, ChronoUnit.HOURS);
    }
}
