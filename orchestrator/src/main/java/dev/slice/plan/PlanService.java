package dev.slice.plan;

import dev.slice.account.Actor;
import dev.slice.audit.AuditLog;
import dev.slice.audit.Changes;
import dev.slice.driver.BackendKind;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.PlainText;
import dev.slice.error.ValidationException;
import dev.slice.security.AccessRules;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Plans (the operator's and resellers'), the customer catalogue, and the operator's grants to resellers. */
@Service
public class PlanService {
    private static final String SELECT = "select p.*, a.username as owner_username from plan p join account a on a.id = p.owner_id";

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    public PlanService(JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** Active plans a customer may order: its reseller's (or the operator's, for direct customers). */
    public List<Plan> catalogue(Actor actor) {
        Long seller = actor.isCustomer() ? actor.parentId() : Long.valueOf(actor.accountId());
        return jdbc.sql(SELECT + " where p.owner_id = ? and p.status = 'active' order by p.monthly_price_cents, p.id")
                .param(seller).query(PlanService::map).list();
    }

    /** Plans the caller manages: operators all, resellers their own, customers their catalogue. */
    public List<Plan> list(Actor actor) {
        if (actor.isCustomer()) return catalogue(actor);
        String where = actor.isOperator() ? "true" : "p.owner_id = :me";
        return jdbc.sql(SELECT + " where " + where + " order by p.owner_id, p.status, p.monthly_price_cents, p.id")
                .param("me", actor.accountId()).query(PlanService::map).list().stream()
                .filter(p -> AccessRules.canSeePlan(actor, p.ownerId(), p.active())).toList();
    }

    public Plan get(Actor actor, long planId) {
        return find(planId).filter(p -> AccessRules.canSeePlan(actor, p.ownerId(), p.active()))
                .orElseThrow(() -> new NotFoundException("plan", planId));
    }

    /** Any plan by id, for the order path which then checks {@link AccessRules#canOrder}. */
    public Optional<Plan> find(long planId) {
        return jdbc.sql(SELECT + " where p.id = ?").param(planId).query(PlanService::map).optional();
    }

    /** A plan owned by the caller (an operator or reseller). Resellers stay within their grant. */
    @Transactional
    public Plan create(Actor actor, PlanRequest request) {
        if (!AccessRules.canManagePlan(actor, actor.accountId())) throw new ForbiddenException("customers cannot create plans");
        validate(request);
        if (actor.isReseller()) {
            CapacityGrant grant = findGrant(actor.accountId())
                    .orElseThrow(() -> ValidationException.ofRequest("the operator has not granted you any capacity yet"));
            ValidationException.FieldError violation = grant.violation(request);
            if (violation != null) throw new ValidationException(List.of(violation));
        }
        var keys = new GeneratedKeyHolder();
        try {
            jdbc.sql("""
                    insert into plan (owner_id, name, backend, vcpus, memory_mib, disk_mib, bandwidth_mbit, monthly_price_cents, created_at,
                      traffic_allowance_gb, overage_per_gb_cents)
                    values (:owner, :name, :backend, :vcpus, :memory, :disk, :bandwidth, :price, :now, :allowance, :overage)""")
                    .param("allowance", request.trafficAllowanceGb()).param("overage", request.overagePerGbCents())
                    .param("owner", actor.accountId()).param("name", request.name().strip()).param("backend", request.backend())
                    .param("vcpus", request.vcpus()).param("memory", request.memoryMiB()).param("disk", request.diskMiB())
                    .param("bandwidth", request.bandwidthMbit()).param("price", request.monthlyPriceCents())
                    .param("now", Timestamp.from(clock.instant()))
                    .update(keys, "id");
        } catch (DuplicateKeyException e) {
            throw new ValidationException("name", "you already have a plan named '" + request.name().strip() + "'");
        }
        long id = keys.getKeyAs(Long.class);
        audit.record(actor, "plan.create", "plan", id, planFields(Changes.of(), null, request).text());
        return find(id).orElseThrow();
    }

    /**
     * Changes a plan's name, sizes and price. Existing servers keep the sizes they were ordered with;
     * the change applies to new orders (and resizes).
     */
    @Transactional
    public Plan update(Actor actor, long planId, PlanRequest request) {
        Plan plan = get(actor, planId);
        if (!AccessRules.canManagePlan(actor, plan.ownerId())) throw new ForbiddenException("you cannot change this plan");
        validate(request);
        if (isReseller(plan.ownerId())) {
            CapacityGrant grant = findGrant(plan.ownerId())
                    .orElseThrow(() -> ValidationException.ofRequest("the operator has not granted this reseller any capacity"));
            ValidationException.FieldError violation = grant.violation(request);
            if (violation != null) throw new ValidationException(List.of(violation));
        }
        try {
            jdbc.sql("""
                    update plan set name = :name, backend = :backend, vcpus = :vcpus, memory_mib = :memory, disk_mib = :disk,
                      bandwidth_mbit = :bandwidth, monthly_price_cents = :price, traffic_allowance_gb = :allowance,
                      overage_per_gb_cents = :overage where id = :id""")
                    .param("allowance", request.trafficAllowanceGb()).param("overage", request.overagePerGbCents())
                    .param("name", request.name().strip()).param("backend", request.backend()).param("vcpus", request.vcpus())
                    .param("memory", request.memoryMiB()).param("disk", request.diskMiB()).param("bandwidth", request.bandwidthMbit())
                    .param("price", request.monthlyPriceCents()).param("id", planId)
                    .update();
        } catch (DuplicateKeyException e) {
            throw new ValidationException("name", "there is already a plan named '" + request.name().strip() + "'");
        }
        audit.record(actor, "plan.update", "plan", planId, planFields(Changes.of(), plan, request).text());
        return find(planId).orElseThrow();
    }

    /** A new plan's fields (no {@code before}), or the ones an update changed, old → new. */
    private static Changes planFields(Changes changes, Plan before, PlanRequest after) {
        if (before == null) {
            return changes.value("name", after.name().strip()).value("backend", after.backend()).value("vCPUs", after.vcpus())
                    .value("memory MiB", after.memoryMiB()).value("disk MiB", after.diskMiB())
                    .value("bandwidth Mbit/s", after.bandwidthMbit()).value("price (cents a month)", after.monthlyPriceCents());
        }
        return changes.change("name", before.name(), after.name().strip()).change("backend", before.backend(), after.backend())
                .change("vCPUs", before.vcpus(), after.vcpus()).change("memory MiB", before.memoryMiB(), after.memoryMiB())
                .change("disk MiB", before.diskMiB(), after.diskMiB())
                .change("bandwidth Mbit/s", before.bandwidthMbit(), after.bandwidthMbit())
                .change("price (cents a month)", before.monthlyPriceCents(), after.monthlyPriceCents());
    }

    /** A first grant's limits, or the limits a new grant changed, old → new. */
    private static String grantFields(CapacityGrant before, CapacityGrant after) {
        Changes changes = Changes.of();
        if (before == null) {
            return changes.value("vCPUs per plan", after.maxVcpusPerPlan()).value("memory MiB per plan", after.maxMemoryMiBPerPlan())
                    .value("disk MiB per plan", after.maxDiskMiBPerPlan()).value("servers", after.maxServers())
                    .value("backends", after.backends()).text();
        }
        return changes.change("vCPUs per plan", before.maxVcpusPerPlan(), after.maxVcpusPerPlan())
                .change("memory MiB per plan", before.maxMemoryMiBPerPlan(), after.maxMemoryMiBPerPlan())
                .change("disk MiB per plan", before.maxDiskMiBPerPlan(), after.maxDiskMiBPerPlan())
                .change("servers", before.maxServers(), after.maxServers())
                .change("backends", new java.util.TreeSet<>(before.backends()), new java.util.TreeSet<>(after.backends())).text();
    }

    private boolean isReseller(long accountId) {
        return jdbc.sql("select role = 'reseller' from account where id = ?").param(accountId).query(Boolean.class).single();
    }

    /**
     * Pins the plan's new servers to a group of nodes (a location), or unpins it ({@code nodeGroup} null). Servers it
     * already has stay where they are.
     */
    @Transactional
    public Plan pinToNodeGroup(Actor actor, long planId, String nodeGroup) {
        Plan plan = get(actor, planId);
        if (!AccessRules.canManagePlan(actor, plan.ownerId())) throw new ForbiddenException("you cannot change this plan");
        String group = nodeGroup == null || nodeGroup.isBlank() ? null : NodeGroups.require("nodeGroup", nodeGroup);
        if (group != null && jdbc.sql("select count(*) from node where node_group = ?").param(group).query(Long.class).single() == 0) {
            throw new ValidationException("nodeGroup", "no node is in group '" + group + "'");
        }
        jdbc.sql("update plan set node_group = ? where id = ?").params(group, planId).update();
        audit.record(actor, "plan.node-group", "plan", planId, group == null ? "any node group" : "node group " + group);
        return find(planId).orElseThrow();
    }

    /** Retired plans stay on existing servers but cannot be ordered any more. */
    @Transactional
    public Plan retire(Actor actor, long planId) {
        Plan plan = get(actor, planId);
        if (!AccessRules.canManagePlan(actor, plan.ownerId())) throw new ForbiddenException("you cannot retire this plan");
        jdbc.sql("update plan set status = 'retired' where id = ?").param(planId).update();
        audit.record(actor, "plan.retire", "plan", planId, plan.name());
        return find(planId).orElseThrow();
    }

    /** Sets (replaces) what a reseller may sell; operators only. */
    @Transactional
    public CapacityGrant grant(Actor actor, CapacityGrant grant) {
        if (!AccessRules.canOperate(actor)) throw new ForbiddenException("only operators grant capacity");
        validate(grant);
        String role = jdbc.sql("select role from account where id = ?").param(grant.resellerId()).query(String.class).optional()
                .orElseThrow(() -> new NotFoundException("account", grant.resellerId()));
        if (!role.equals("reseller")) throw ValidationException.ofRequest("capacity is granted to resellers only");
        CapacityGrant before = findGrant(grant.resellerId()).orElse(null);
        jdbc.sql("""
                insert into capacity_grant (reseller_id, max_vcpus_per_plan, max_memory_mib_per_plan, max_disk_mib_per_plan, max_servers,
                  backends, max_vcpus, max_memory_mib, max_disk_mib, max_ipv4_addresses)
                values (:r, :cpu, :mem, :disk, :servers, :backends, :totalCpu, :totalMem, :totalDisk, :ipv4)
                on conflict (reseller_id) do update set max_vcpus_per_plan = excluded.max_vcpus_per_plan,
                  max_memory_mib_per_plan = excluded.max_memory_mib_per_plan, max_disk_mib_per_plan = excluded.max_disk_mib_per_plan,
                  max_servers = excluded.max_servers, backends = excluded.backends, max_vcpus = excluded.max_vcpus,
                  max_memory_mib = excluded.max_memory_mib, max_disk_mib = excluded.max_disk_mib,
                  max_ipv4_addresses = excluded.max_ipv4_addresses""")
                .param("r", grant.resellerId()).param("cpu", grant.maxVcpusPerPlan()).param("mem", grant.maxMemoryMiBPerPlan())
                .param("disk", grant.maxDiskMiBPerPlan()).param("servers", grant.maxServers())
                .param("backends", grant.backends().toArray(String[]::new))
                .param("totalCpu", grant.maxVcpus(), java.sql.Types.INTEGER).param("totalMem", grant.maxMemoryMiB(), java.sql.Types.BIGINT)
                .param("totalDisk", grant.maxDiskMiB(), java.sql.Types.BIGINT)
                .param("ipv4", grant.maxIpv4Addresses(), java.sql.Types.INTEGER)
                .update();
        audit.record(actor, "grant.set", "account", grant.resellerId(), grantFields(before, grant));
        return findGrant(grant.resellerId()).orElseThrow();
    }

    /** A reseller's grant, visible to operators and the reseller itself. */
    public Optional<CapacityGrant> grantOf(Actor actor, long resellerId) {
        if (!actor.isOperator() && actor.accountId() != resellerId) throw new NotFoundException("account", resellerId);
        return findGrant(resellerId);
    }

    public Optional<CapacityGrant> findGrant(long resellerId) {
        return jdbc.sql("select * from capacity_grant where reseller_id = ?").param(resellerId)
                .query((rs, n) -> new CapacityGrant(rs.getLong("reseller_id"), rs.getInt("max_vcpus_per_plan"),
                        rs.getLong("max_memory_mib_per_plan"), rs.getLong("max_disk_mib_per_plan"), rs.getInt("max_servers"),
                        Set.of(strings(rs.getArray("backends"))), rs.getObject("max_vcpus", Integer.class),
                        rs.getObject("max_memory_mib", Long.class), rs.getObject("max_disk_mib", Long.class),
                        rs.getObject("max_ipv4_addresses", Integer.class)))
                .optional();
    }

    static void validate(PlanRequest request) {
        PlainText.require("name", request.name(), 1000, "give the plan a name of 1-" + PlanLimits.MAX_NAME_LENGTH + " characters");
        if (request.name().strip().length() > PlanLimits.MAX_NAME_LENGTH) {
            throw new ValidationException("name", "give the plan a name of 1-" + PlanLimits.MAX_NAME_LENGTH + " characters");
        }
        validateBackend("backend", request.backend());
        PlanLimits.between("vcpus", request.vcpus(), PlanLimits.MIN_VCPUS, PlanLimits.MAX_VCPUS, "vCPUs");
        PlanLimits.between("memoryMiB", request.memoryMiB(), PlanLimits.MIN_MEMORY_MIB, PlanLimits.MAX_MEMORY_MIB, "MiB of memory");
        PlanLimits.between("diskMiB", request.diskMiB(), PlanLimits.MIN_DISK_MIB, PlanLimits.MAX_DISK_MIB, "MiB of disk");
        PlanLimits.between("bandwidthMbit", request.bandwidthMbit(), 0, PlanLimits.MAX_BANDWIDTH_MBIT, "Mbit/s (0 = unmetered)");
        PlanLimits.between("monthlyPriceCents", request.monthlyPriceCents(), 0, PlanLimits.MAX_MONTHLY_PRICE_CENTS, "cents a month");
        PlanLimits.between("trafficAllowanceGb", request.trafficAllowanceGb(), 0, PlanLimits.MAX_TRAFFIC_ALLOWANCE_GB,
                "GB a month (0 = unmetered)");
        PlanLimits.between("overagePerGbCents", request.overagePerGbCents(), 0, PlanLimits.MAX_OVERAGE_PER_GB_CENTS, "cents per GB");
    }

    /** What an operator may grant: each per-plan limit within a plan's own bounds, the totals within theirs, nothing negative. */
    static void validate(CapacityGrant grant) {
        PlanLimits.between("maxVcpusPerPlan", grant.maxVcpusPerPlan(), 0, PlanLimits.MAX_VCPUS, "vCPUs");
        PlanLimits.between("maxMemoryMiBPerPlan", grant.maxMemoryMiBPerPlan(), 0, PlanLimits.MAX_MEMORY_MIB, "MiB");
        PlanLimits.between("maxDiskMiBPerPlan", grant.maxDiskMiBPerPlan(), 0, PlanLimits.MAX_DISK_MIB, "MiB");
        grant.totals().validate();
        for (String backend : grant.backends()) validateBackend("backends", backend);
    }

    private static void validateBackend(String field, String backend) {
        String known = "one of " + Arrays.stream(BackendKind.values()).map(BackendKind::id).toList();
        PlainText.require(field, backend, 32, "choose a backend: " + known);
        try {
            BackendKind.fromId(backend);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(field, "unknown backend '" + backend + "'; " + known);
        }
    }

    static String[] strings(Array array) throws SQLException {
        return array == null ? new String[0] : (String[]) array.getArray();
    }

    private static Plan map(ResultSet rs, int row) throws SQLException {
        return new Plan(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("owner_username"), rs.getString("name"),
                rs.getString("backend"), rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("disk_mib"),
                rs.getInt("bandwidth_mbit"), rs.getLong("monthly_price_cents"), rs.getString("status").equals("active"),
                rs.getTimestamp("created_at").toInstant(), rs.getString("node_group"),
                rs.getLong("traffic_allowance_gb"), rs.getLong("overage_per_gb_cents"));
    }
}
