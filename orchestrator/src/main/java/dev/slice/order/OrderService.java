package dev.slice.order;

import dev.slice.account.Actor;
import dev.slice.audit.AuditLog;
import dev.slice.billing.BillingService;
import dev.slice.billing.Metering;
import dev.slice.error.PlainText;
import dev.slice.error.ValidationException;
import dev.slice.ipam.IpamService;
import dev.slice.job.JobKind;
import dev.slice.job.JobQueue;
import dev.slice.orchestrator.SliceProperties;
import dev.slice.placement.Constraints;
import dev.slice.placement.Demand;
import dev.slice.placement.NoCapacityException;
import dev.slice.placement.NodeLoad;
import dev.slice.placement.PlacementService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.quota.Quotas;
import dev.slice.security.AccessRules;
import dev.slice.server.RootPasswords;
import dev.slice.server.SshPublicKeys;
import dev.slice.template.TemplateService;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ordering a server: validate everything first, then in one transaction hold it to the quotas ({@link Quotas}, locking
 * the seller's and customer's rows), place it (locking the node rows),
 * insert the server and enqueue its create job. Any error rolls the whole order back: nothing half-created.
 */
@Service
public class OrderService {
    private static final Pattern HOSTNAME = Pattern.compile(
            "([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    /** A DNS name's limit (RFC 1035). */
    public static final int MAX_HOSTNAME_LENGTH = 253;

    private final JdbcClient jdbc;
    private final PlanService plans;
    private final TemplateService templates;
    private final PlacementService placement;
    private final JobQueue jobs;
    private final IpamService ipam;
    private final AuditLog audit;
    private final BillingService billing;
    private final Metering metering;
    private final Quotas quotas;
    private final Clock clock;
    private final int maxAttempts;
    private final String guestIdPrefix;

    public OrderService(JdbcClient jdbc, PlanService plans, TemplateService templates, PlacementService placement, JobQueue jobs,
                        IpamService ipam, AuditLog audit, BillingService billing, Metering metering, Quotas quotas,
                        Clock clock, SliceProperties properties) {
        this.jdbc = jdbc;
        this.plans = plans;
        this.templates = templates;
        this.placement = placement;
        this.jobs = jobs;
        this.ipam = ipam;
        this.audit = audit;
        this.billing = billing;
        this.metering = metering;
        this.quotas = quotas;
        this.clock = clock;
        this.maxAttempts = properties.jobs().maxAttempts();
        this.guestIdPrefix = properties.guestIdPrefix();
    }

    @Transactional
    public OrderResult order(Actor actor, OrderRequest request) {
        long ownerId = request.ownerId() == null ? actor.accountId() : request.ownerId();
        Long ownerParent = jdbc.sql("select parent_id from account where id = ? and enabled").param(ownerId)
                .query((rs, n) -> (Long) rs.getObject(1)).optional()
                .orElseThrow(() -> new ValidationException("ownerId", "no such customer"));
        if (!AccessRules.canActOnServer(actor, ownerId, ownerParent)) throw new ValidationException("ownerId", "no such customer");
        Plan plan = plans.find(request.planId())
                .filter(p -> AccessRules.canOrder(actor, p.ownerId(), ownerId, ownerParent))
                .orElseThrow(() -> new ValidationException("planId", "no such plan"));
        if (!plan.active()) throw new ValidationException("planId", "the plan '" + plan.name() + "' is retired and cannot be ordered");

        List<ValidationException.FieldError> errors = new ArrayList<>();
        String hostname = request.hostname() == null ? "" : request.hostname().strip().toLowerCase(Locale.ROOT);
        if (!PlainText.isPlain(hostname) || hostname.length() > MAX_HOSTNAME_LENGTH || !HOSTNAME.matcher(hostname).matches()) {
            errors.add(new ValidationException.FieldError("hostname",
                    "use a DNS name: labels of a-z, 0-9 and '-' (not at either end), at most 63 characters each"));
        }
        String passwordHash = null;
        List<String> keys = List.of();
        try {
            templates.requireAvailable(request.template(), plan.backend());
        } catch (ValidationException e) {
            errors.addAll(e.errors());
        }
        try {
            passwordHash = RootPasswords.hash(request.rootPassword());
        } catch (ValidationException e) {
            errors.addAll(e.errors());
        }
        try {
            keys = SshPublicKeys.validate(request.sshKeys());
        } catch (ValidationException e) {
            errors.addAll(e.errors());
        }
        if (errors.isEmpty() && passwordHash == null && keys.isEmpty()) {
            errors.add(new ValidationException.FieldError("rootPassword", "give a root password or an SSH key"));
        }
        if (!errors.isEmpty()) throw new ValidationException(errors);
        quotas.requireRoomForOrder(actor, plan, ownerId);
        billing.requireFirstMonthCovered(ownerId, plan.name(), plan.monthlyPriceCents());

        NodeLoad node;
        try {
            node = placement.place(plan.backend(), new Demand(plan.vcpus(), plan.memoryMiB(), plan.diskMiB()),
                    new Constraints(plan.nodeGroup(), ownerId, Boolean.TRUE.equals(request.separateFromMyServers())));
        } catch (NoCapacityException e) {
            // Nodes and their figures are the seller's business; a customer is told what a refused grant tells it.
            if (actor.isCustomer() && e.aboutNodes()) throw new NoCapacityException(Quotas.NOT_AVAILABLE);
            throw e;
        }
        long serverId = jdbc.sql("select nextval(pg_get_serial_sequence('server', 'id'))").query(Long.class).single();
        Timestamp now = Timestamp.from(clock.instant());
        try {
            jdbc.sql("""
                    insert into server (id, guest_id, owner_id, plan_id, node_id, backend, hostname, template, vcpus, memory_mib,
                      disk_mib, bandwidth_mbit, status, mac, root_password_hash, ssh_keys, created_at, updated_at)
                    values (:id, :guest, :owner, :plan, :node, :backend, :hostname, :template, :vcpus, :memory, :disk, :bandwidth,
                      'provisioning', :mac, :hash, :keys, :now, :now)""")
                    .param("id", serverId).param("guest", guestId(serverId)).param("owner", ownerId).param("plan", plan.id())
                    .param("node", node.nodeId()).param("backend", plan.backend()).param("hostname", hostname)
                    .param("template", request.template()).param("vcpus", plan.vcpus()).param("memory", plan.memoryMiB())
                    .param("disk", plan.diskMiB()).param("bandwidth", plan.bandwidthMbit()).param("mac", mac(serverId))
                    .param("hash", passwordHash).param("keys", keys.toArray(String[]::new)).param("now", now)
                    .update();
        } catch (DuplicateKeyException e) {
            throw new ValidationException("hostname", "you already have a server named '" + hostname + "'");
        }
        // The address is taken now, in the same transaction, so an exhausted pool is a clear error at order time
        // (the job's allocate step then finds it held).
        ipam.allocateForNewServer(serverId, node.nodeId()).orElseThrow(() -> new NoCapacityException(
                "no free IPv4 address left on node " + node.nodeName() + "; ask the operator to add addresses"));
        metering.open(serverId, ownerId, plan.id(), plan.monthlyPriceCents());
        long jobId = jobs.enqueue(JobKind.CREATE, serverId, actor.accountId(), "{}", maxAttempts, clock.instant());
        audit.record(actor, "server.order", "server", serverId, hostname + " on " + node.nodeName() + ", plan " + plan.name()
                + ", job " + jobId);
        return new OrderResult(serverId, jobId);
    }

    private String guestId(long serverId) {
        return guestIdPrefix + "-" + serverId;
    }

    /** Locally administered, unique per server id: 02:5c + the id's four bytes. */
    static String mac(long serverId) {
        return String.format("02:5c:%02x:%02x:%02x:%02x", (serverId >> 24) & 0xff, (serverId >> 16) & 0xff,
                (serverId >> 8) & 0xff, serverId & 0xff);
    }

}
