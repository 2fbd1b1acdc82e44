package dev.slice.rescue;

import dev.slice.account.Actor;
import dev.slice.audit.AuditLog;
import dev.slice.driver.BackendKind;
import dev.slice.driver.capability.Rescue;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.error.ConflictException;
import dev.slice.job.JobKind;
import dev.slice.job.JobQueue;
import dev.slice.node.NodeService;
import dev.slice.orchestrator.SliceProperties;
import dev.slice.provisioning.NodeDrivers;
import dev.slice.provisioning.RescueParams;
import dev.slice.server.PowerState;
import dev.slice.server.RootPasswords;
import dev.slice.server.ServerRepository;
import dev.slice.server.ServerRow;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import dev.slice.server.SshPublicKeys;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Booting a server from a rescue system and back, through the driver's {@link Rescue} capability, as jobs. Entering
 * makes up a one-time root password, returns it to the caller once and keeps only its hash (in the job, for a retried
 * step); the status is {@code rescue} from then on, until the leave job has booted the guest's own system. The rescue
 * system is made of the server's own template, as its provider offers it on the server's backend.
 */
@Service
public class RescueService {
    private final ServerService servers;
    private final ServerRepository rows;
    private final JobQueue jobs;
    private final DriverRegistry registry;
    private final NodeDrivers nodeDrivers;
    private final NodeService nodes;
    private final AuditLog audit;
    private final Clock clock;
    private final int maxAttempts;

    RescueService(ServerService servers, ServerRepository rows, JobQueue jobs, DriverRegistry registry, NodeDrivers nodeDrivers,
                  NodeService nodes, AuditLog audit, Clock clock, SliceProperties properties) {
        this.servers = servers;
        this.rows = rows;
        this.jobs = jobs;
        this.registry = registry;
        this.nodeDrivers = nodeDrivers;
        this.nodes = nodes;
        this.audit = audit;
        this.clock = clock;
        this.maxAttempts = properties.jobs().maxAttempts();
    }

    /**
     * What the caller sees once: the job, root's one-time password, and the guest's disk in the rescue system (null
     * when the server's node is another process's, whose driver is not known here).
     */
    public record Entered(long serverId, long jobId, String rootPassword, Rescue.RescueDisk disk) {
        @Override
        public String toString() { return "Entered[serverId=" + serverId + ", jobId=" + jobId + "]"; } // never the password
    }

    /**
     * @throws dev.slice.error.ValidationException a bad SSH key ({@code sshKeys})
     * @throws ConflictException the server is not active (or in rescue already), its guest is suspended, its backend has
     *                           no rescue system, or it has a job running
     */
    @Transactional
    public Entered enter(Actor actor, long serverId, List<String> sshKeys) {
        ServerRow row = servers.actionable(actor, serverId);
        List<String> keys = SshPublicKeys.validate(sshKeys);
        if (row.status() == ServerStatus.RESCUE) throw new ConflictException("the server is in rescue already; leave rescue first");
        if (row.status() != ServerStatus.ACTIVE) {
            throw new ConflictException("cannot boot a server that is " + row.status().id() + " into rescue");
        }
        if (row.powerState() == PowerState.SUSPENDED) {
            throw new ConflictException("cannot boot a server whose guest is suspended into rescue; resume it first");
        }
        Optional<Rescue> rescue = localRescue(row);
        RootPasswords.OneTime password = RootPasswords.oneTime();
        ServerRow inRescue = rows.transition(row, ServerStatus.RESCUE);
        long jobId = enqueue(actor, inRescue, JobKind.RESCUE_ENTER, RescueParams.write(password.hash(), keys));
        return new Entered(serverId, jobId, password.password(), rescue.map(Rescue::disk).orElse(null));
    }

    /** @throws ConflictException the server is not in rescue, or has a job running */
    @Transactional
    public long leave(Actor actor, long serverId) {
        ServerRow row = servers.actionable(actor, serverId);
        if (row.status() != ServerStatus.RESCUE) throw new ConflictException("the server is " + row.status().id() + ", not in rescue");
        return enqueue(actor, row, JobKind.RESCUE_LEAVE, "{}");
    }

    /** The local driver's rescue; a guest on another node is checked by its node's job (no capability list here). */
    private Optional<Rescue> localRescue(ServerRow row) {
        String node = nodes.find(row.nodeId()).map(n -> n.name()).orElse("");
        if (!nodeDrivers.isLocal(node)) return Optional.empty();
        Optional<Rescue> rescue = registry.driver(BackendKind.fromId(row.backend())).flatMap(d -> d.capability(Rescue.class));
        if (rescue.isEmpty()) throw new ConflictException("this server's backend has no rescue system (" + row.backend() + ")");
        return rescue;
    }

    private long enqueue(Actor actor, ServerRow row, JobKind kind, String params) {
        long jobId = jobs.enqueue(kind, row.id(), actor.accountId(), params, maxAttempts, clock.instant());
        audit.record(actor, "server." + kind.id(), "server", row.id(), row.hostname() + ", job " + jobId);
        return jobId;
    }
}
