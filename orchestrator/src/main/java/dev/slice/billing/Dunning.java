package dev.slice.billing;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.audit.AuditLog;
import dev.slice.server.ServerService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Unpaid balances ({@code slice.billing.dunning-grace}, off by default): an account whose balance has stayed negative
 * for the grace period gets its active servers suspended (a job each: guests stopped, consoles closed), in its provider's
 * name; once its balance is back at zero or above, the servers dunning suspended (only those) are lifted again. After
 * {@code slice.billing.dunning-terminate-after} in arrears the operator is asked, once, in the audit log to terminate;
 * nothing is ever deleted here. Each step is told to the account by e-mail ({@link BillingNotices}). Idempotent: every pass
 * looks at the ledger and the servers as they are.
 */
@Service
public class Dunning {
    private static final Logger log = LoggerFactory.getLogger(Dunning.class);

    private final BillingRepository repository;
    private final ServerService servers;
    private final AccountService accounts;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final BillingProperties properties;
    private final BillingNotices notices;

    public Dunning(BillingRepository repository, ServerService servers, AccountService accounts, AuditLog audit,
                   TransactionTemplate transactions, Clock clock, BillingProperties properties, BillingNotices notices) {
        this.notices = notices;
        this.repository = repository;
        this.servers = servers;
        this.accounts = accounts;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
    }

    /** @return servers suspended plus servers lifted by this pass */
    public int runPass() {
        if (!properties.dunning()) return 0;
        int changed = 0;
        Instant now = clock.instant();
        for (Map.Entry<Long, Instant> arrears : repository.accountsInArrears()) {
            long accountId = arrears.getKey();
            Instant since = arrears.getValue();
            if (since.plus(properties.dunningGrace()).isAfter(now)) continue;
            Optional<Actor> provider = provider(accountId);
            if (provider.isEmpty()) continue;
            List<String> suspended = new ArrayList<>();
            for (long serverId : repository.activeServers(accountId)) {
                int done = step(() -> {
                    servers.suspend(provider.get(), serverId);
                    repository.recordSuspension(serverId, accountId);
                    audit.record(provider.get(), "billing.dunning.suspend", "server", serverId,
                            "balance negative since " + since + " (" + repository.balance(accountId) + ")");
                }, "suspend server " + serverId);
                if (done == 1) suspended.add(servers.get(provider.get(), serverId).hostname());
                changed += done;
            }
            if (!suspended.isEmpty()) notices.suspended(accountId, suspended, repository.balance(accountId));
            if (!since.plus(properties.dunningTerminateAfter()).isAfter(now)) {
                boolean[] asked = {false};
                step(() -> {
                    if (repository.requestTermination(accountId, since)) {
                        asked[0] = true;
                        audit.recordAnonymous("billing.dunning.terminate-requested", "account", accountId,
                                "balance " + repository.balance(accountId) + " negative since " + since
                                        + "; terminate its servers if it does not pay (Slice does not delete them by itself)");
                    }
                }, "ask to terminate account " + accountId);
                if (asked[0]) notices.terminationRequested(accountId, repository.balance(accountId));
            }
        }
        for (long accountId : repository.accountsPaidBack()) {
            Optional<Actor> provider = provider(accountId);
            List<String> lifted = new ArrayList<>();
            for (long serverId : repository.suspendedByDunning(accountId)) {
                boolean[] started = {false};
                changed += step(() -> {
                    if (provider.isPresent() && servers.get(provider.get(), serverId).status() == dev.slice.server.ServerStatus.SUSPENDED) {
                        servers.unsuspend(provider.get(), serverId);
                        audit.record(provider.get(), "billing.dunning.unsuspend", "server", serverId, "balance paid back");
                        started[0] = true;
                    }
                    repository.forgetSuspension(serverId);
                }, "lift the suspension of server " + serverId);
                if (started[0]) lifted.add(servers.get(provider.get(), serverId).hostname());
            }
            if (!lifted.isEmpty()) notices.unsuspended(accountId, lifted);
        }
        return changed;
    }

    private Optional<Actor> provider(long accountId) {
        return repository.account(accountId).map(BillingRepository.BillingAccount::parentId).flatMap(accounts::actorOf);
    }

    /** One step in its own transaction; a step that fails now (a server busy with a job) is tried again by the next pass. */
    private int step(Runnable step, String what) {
        try {
            transactions.executeWithoutResult(status -> step.run());
            return 1;
        } catch (RuntimeException e) {
            log.info("Dunning could not {} now; the next pass tries again: {}", what, e.getMessage());
            return 0;
        }
    }
}
