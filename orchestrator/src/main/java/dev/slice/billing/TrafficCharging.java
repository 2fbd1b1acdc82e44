package dev.slice.billing;

import dev.slice.billing.BillingRepository.TrafficDue;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Charges each server's traffic over its plan's allowance once per ended UTC month ({@link TrafficRule}), before that
 * month's invoices are issued (the billing pass's order). A deleted server's last month is charged the same way when
 * it ends. On a reseller's plan the reseller is charged the same GB at the operator's wholesale price per GB, if one is
 * set. The charges and their {@code traffic_charge} row are one transaction under the month's row lock: a second
 * pass, a restart or a concurrent pass charges nothing twice.
 */
@Service
public class TrafficCharging {
    /** The ledger's actor of these entries; the invoice gives each its own line. */
    static final String ACTOR = "traffic";
    private static final Logger log = LoggerFactory.getLogger(TrafficCharging.class);

    private final BillingRepository repository;
    private final Ledger ledger;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public TrafficCharging(BillingRepository repository, Ledger ledger, TransactionTemplate transactions, Clock clock) {
        this.repository = repository;
        this.ledger = ledger;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Charges every ended month not charged yet; returns how many server-months it settled. */
    public int runPass() {
        YearMonth thisMonth = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        int settled = 0;
        for (Map.Entry<Long, YearMonth> due : repository.dueTraffic(thisMonth.atDay(1))) {
            try {
                if (Boolean.TRUE.equals(transactions.execute(status -> settle(due.getKey(), due.getValue())))) settled++;
            } catch (RuntimeException e) {
                log.warn("Traffic of server {} in {} not charged yet; the next pass tries again: {}", due.getKey(), due.getValue(), e.toString());
            }
        }
        return settled;
    }

    private boolean settle(long serverId, YearMonth month) {
        TrafficDue due = repository.lockTraffic(serverId, month).orElse(null);
        if (due == null) return false;
        TrafficRule.Overage overage = TrafficRule.overage(due.txBytes(), due.allowanceGb(), due.perGbMinor());
        Long entryId = null;
        if (overage.amountMinor() > 0) {
            String reason = due.hostname() + " (" + due.planName() + "): traffic over allowance in " + month + ": " + overage.gigabytes()
                    + " × " + Money.of(due.perGbMinor(), ledger.currency()) + " (" + due.allowanceGb() + " GB included)";
            entryId = ledger.append(new NewEntry(due.accountId(), EntryKind.CHARGE, Money.of(-overage.amountMinor(), ledger.currency()),
                    null, null, ACTOR, reason, null, serverId, month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant())).id();
        }
        // The reseller pays the operator for the same GB at wholesale: the reseller's invoice gets its own traffic line.
        TrafficRule.Overage wholesale = TrafficRule.overage(due.txBytes(), due.allowanceGb(), due.wholesalePerGbMinor());
        Long wholesaleEntryId = null;
        long wholesaleMinor = due.resellerId() == null ? 0 : wholesale.amountMinor();
        if (wholesaleMinor > 0) {
            String reason = due.hostname() + " (" + due.planName() + "): a customer's traffic over allowance in " + month + ": "
                    + wholesale.gigabytes() + " × " + Money.of(due.wholesalePerGbMinor(), ledger.currency()) + " at wholesale";
            wholesaleEntryId = ledger.append(new NewEntry(due.resellerId(), EntryKind.CHARGE, Money.of(-wholesaleMinor, ledger.currency()),
                    null, null, ACTOR, reason, null, serverId, month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant())).id();
        }
        repository.insertTrafficCharge(due, overage, entryId, wholesaleMinor, wholesaleEntryId);
        return true;
    }
}
