package dev.slice.provisioning;

import dev.slice.account.Actor;
import dev.slice.audit.AuditLog;
import dev.slice.error.ConflictException;
import dev.slice.job.Job;
import dev.slice.job.JobKind;
import dev.slice.job.JobQueue;
import dev.slice.server.ServerAccessRevoked;
import dev.slice.server.ServerRepository;
import dev.slice.server.ServerRow;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.annotation.Transactional;

/**
 * Withdrawing an order while its server is still being set up. The server becomes {@code deleting} at once (its
 * meter closes and its consoles end, as for a delete); the create job is ended where no worker holds it, or ends at
 * its next step boundary where one does ({@link GuestSteps}); then one delete job removes whatever was made and
 * releases the address. Only one job per server can be active, so the delete job follows the create job, never runs
 * beside it.
 */
public class OrderCancellation {

    private final ServerService servers;
    private final ServerRepository rows;
    private final JobQueue jobs;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public OrderCancellation(ServerService servers, ServerRepository rows, JobQueue jobs, AuditLog audit,
                             ApplicationEventPublisher events, Clock clock) {
        this.servers = servers;
        this.rows = rows;
        this.jobs = jobs;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /**
     * @return the job to follow: the delete job, or the create job that hands over to one at its next step
     * @throws ConflictException the server is not being set up (any more): an active one is deleted instead
     */
    @Transactional
    public long cancel(Actor actor, long serverId) {
        ServerRow row = servers.actionable(actor, serverId);
        if (row.status() != ServerStatus.PROVISIONING) {
            throw new ConflictException("only an order whose server is still being set up can be cancelled; " + row.hostname()
                    + " is " + row.status().id() + (row.status() == ServerStatus.DELETING ? " already" : ": delete it instead"));
        }
        rows.transition(row, ServerStatus.DELETING); // compare-and-set: loses to a create job that just made it active
        events.publishEvent(new ServerAccessRevoked(serverId, ServerAccessRevoked.Reason.DELETED));
        Instant now = clock.instant();
        Optional<Job> create = jobs.activeJobOf(serverId).flatMap(jobs::find);
        long follow;
        if (create.isPresent() && !jobs.cancelQueued(create.get().id(), ProvisioningCancelled.REASON, now)) {
            follow = create.get().id(); // a worker holds it: GuestSteps ends it at the next step and enqueues the delete
        } else {
            int attempts = create.map(Job::maxAttempts).orElse(5);
            follow = jobs.enqueue(JobKind.DELETE, serverId, actor.accountId(), "{}", attempts, now);
        }
        audit.record(actor, "server.cancel", "server", serverId, row.hostname() + ", order withdrawn while being set up, job " + follow);
        return follow;
    }
}
