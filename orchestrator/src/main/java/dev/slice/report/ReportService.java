package dev.slice.report;

import dev.slice.account.Actor;
import dev.slice.driver.BackendKind;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.error.ConflictException;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.job.JobKind;
import dev.slice.job.JobQueue;
import dev.slice.node.Node;
import dev.slice.node.NodeService;
import dev.slice.provisioning.NodeDrivers;
import dev.slice.security.AccessRules;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.transaction.annotation.Transactional;

/** Benchmark runs for operators: start one on a node, list, read results and samples, cancel. */
public class ReportService {
    /** The plan size measured when the operator names none: the smallest starter plan of every backend. */
    static final int DEFAULT_VCPUS = 1;
    static final long DEFAULT_MEMORY_MIB = 256;
    static final long DEFAULT_DISK_MIB = 1024;

    private final ReportRepository reports;
    private final JobQueue jobs;
    private final NodeService nodes;
    private final NodeDrivers nodeDrivers;
    private final DriverRegistry registry;
    private final Clock clock;

    public ReportService(ReportRepository reports, JobQueue jobs, NodeService nodes, NodeDrivers nodeDrivers, DriverRegistry registry,
                         Clock clock) {
        this.reports = reports;
        this.jobs = jobs;
        this.nodes = nodes;
        this.nodeDrivers = nodeDrivers;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * What to measure. Null fields take the defaults: every backend of the node that can run commands in its
     * guests, 1 vCPU, 256 MiB, 1 GiB of disk, depth quick, density measured, 2 GiB of host memory kept free while density
     * adds guests. A {@code reserveMiB} named here is also the reserve the "fit here" figure keeps; left out, the fit keeps
     * the node's own (what its memory overcommit below 1 keeps for the host), as placement does.
     */
    public record StartRequest(Long nodeId, List<String> backends, Integer vcpus, Long memoryMiB, Long diskMiB, String depth,
                               Boolean density, Long reserveMiB) {}

    @Transactional
    public ReportRun start(Actor actor, StartRequest request) {
        requireOperator(actor);
        if (request == null || request.nodeId() == null) throw new ValidationException("nodeId", "name the node to measure");
        Node node = nodes.find(request.nodeId()).orElseThrow(() -> new NotFoundException("node", request.nodeId()));
        if (!nodeDrivers.isLocal(node.name())) {
            throw new ValidationException("nodeId", "node " + node.name() + " is not this host; remote nodes cannot be measured yet");
        }
        int vcpus = request.vcpus() == null ? DEFAULT_VCPUS : request.vcpus();
        long memory = request.memoryMiB() == null ? DEFAULT_MEMORY_MIB : request.memoryMiB();
        long disk = request.diskMiB() == null ? DEFAULT_DISK_MIB : request.diskMiB();
        if (vcpus < 1 || vcpus > node.cpus()) throw new ValidationException("vcpus", "between 1 and the node's " + node.cpus() + " CPUs");
        if (memory < 128 || memory > node.memoryMiB()) {
            throw new ValidationException("memoryMiB", "between 128 MiB and the node's " + node.memoryMiB() + " MiB");
        }
        if (disk < 512 || disk > node.diskMiB()) throw new ValidationException("diskMiB", "between 512 MiB and the node's " + node.diskMiB() + " MiB");
        Depth depth;
        try {
            depth = Depth.fromId(request.depth() == null ? "quick" : request.depth());
        } catch (IllegalArgumentException e) {
            throw new ValidationException("depth", e.getMessage());
        }
        long reserve = request.reserveMiB() == null ? DensityRules.DEFAULT.reserveMiB() : request.reserveMiB();
        if (reserve < 0 || reserve > node.memoryMiB()) throw new ValidationException("reserveMiB", "between 0 and the node's " + node.memoryMiB() + " MiB");
        boolean density = request.density() == null || request.density();
        // Last: every field of the request is checked on its own before the backends are compared with what runs here.
        List<String> requested = backendsOf(request.backends());
        List<String> backends = new ArrayList<>();
        List<ReportRepository.NotMeasured> notMeasured = new ArrayList<>();
        for (String backend : requested) {
            String reason = whyNotMeasurable(BackendKind.fromId(backend));
            if (reason == null) backends.add(backend);
            else notMeasured.add(new ReportRepository.NotMeasured(backend, reason));
        }
        if (request.backends() != null && !requested.isEmpty() && backends.isEmpty()) {
            throw new ValidationException("backends", "none of them can be measured here: " + notMeasured.stream()
                    .map(n -> n.backend() + ": " + n.reason()).collect(Collectors.joining("; ")));
        }
        // One active run per node: the unique index refuses a second one (ConflictException), rolling back its job too.
        long jobId = jobs.enqueue(JobKind.REPORT, null, node.id(), actor.accountId(), "{}", 3, clock.instant());
        long runId = reports.insert(node.id(), jobId, backends, vcpus, memory, disk, depth, density, reserve,
                request.reserveMiB() != null, actor.accountId(), clock.instant());
        reports.saveNotMeasured(runId, notMeasured);
        return reports.find(runId).orElseThrow();
    }

    /** The backends asked for (default: every backend kind), each checked to be one Slice knows. */
    private static List<String> backendsOf(List<String> requested) {
        if (requested == null) return java.util.Arrays.stream(BackendKind.values()).map(BackendKind::id).toList();
        LinkedHashSet<String> chosen = new LinkedHashSet<>();
        for (String backend : requested) {
            if (backend == null || java.util.Arrays.stream(BackendKind.values()).noneMatch(k -> k.id().equals(backend))) {
                throw new ValidationException("backends", "unknown backend '" + backend + "'; known: "
                        + java.util.Arrays.stream(BackendKind.values()).map(BackendKind::id).collect(Collectors.joining(", ")));
            }
            chosen.add(backend);
        }
        return new ArrayList<>(chosen);
    }

    /**
     * Null when the backend can be measured here; otherwise the reason, which the run records and the report shows as
     * "not measured: reason" (a backend is never dropped silently).
     */
    private String whyNotMeasurable(BackendKind kind) {
        var status = registry.status(kind);
        var driver = registry.driver(kind);
        if (status == null) return "no driver for it on this node";
        if (!status.available() || driver.isEmpty()) {
            return "not available on this node" + (status.detail() == null || status.detail().isBlank() ? "" : ": " + status.detail());
        }
        if (driver.get().capability(GuestExec.class).isEmpty()) {
            return "its driver " + status.driverName() + " cannot run commands in its guests (no GuestExec capability yet)";
        }
        return null;
    }

    public List<ReportRun> page(Actor actor, int offset, int limit) {
        requireOperator(actor);
        return reports.page(offset, limit);
    }

    public long count(Actor actor) {
        requireOperator(actor);
        return reports.count();
    }

    public ReportRun get(Actor actor, long runId) {
        requireOperator(actor);
        return reports.find(runId).orElseThrow(() -> new NotFoundException("report run", runId));
    }

    public ReportResults results(Actor actor, long runId) {
        ReportRun run = get(actor, runId);
        var node = nodes.find(run.nodeId());
        return ReportResults.of(run, reports, node.map(Node::memoryOvercommit).orElse(1.0), node.map(Node::cpuOvercommit).orElse(0.0));
    }

    public List<Sample> samples(Actor actor, long runId) {
        get(actor, runId);
        return reports.samples(runId);
    }

    /** Asks a queued or running run to stop: it stops at the next round, destroys its guests and ends cancelled. */
    public ReportRun cancel(Actor actor, long runId) {
        ReportRun run = get(actor, runId);
        if (run.status() == ReportStatus.CANCELLING) return run;
        if (!run.status().active()) throw new ConflictException("report run " + runId + " has already ended (" + run.status().id() + ")");
        return reports.transition(run, ReportStatus.CANCELLING, null, clock.instant());
    }

    private static void requireOperator(Actor actor) {
        if (!AccessRules.canOperate(actor)) throw new ForbiddenException("only operators run and read reports");
    }
}
