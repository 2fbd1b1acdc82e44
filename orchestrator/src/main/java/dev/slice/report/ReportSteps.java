package dev.slice.report;

import dev.slice.driver.Credentials;
import dev.slice.driver.Driver;
import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.HostContext;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.Resources;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.host.HostBridge;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.job.Job;
import dev.slice.job.PermanentJobFailure;
import dev.slice.job.Step;
import dev.slice.job.StepRunner;
import dev.slice.provisioning.NodeDrivers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of a benchmark run (job kind {@code report}), as one switch. Each step looks at what the
 * database and the drivers say exists before it acts, so a run taken over after a crash continues: guests
 * already made are used again, rounds already recorded are skipped. Whatever happens, clean-up destroys
 * every guest the run recorded, removes its cgroup, bridge and files; a failed run cleans up in
 * {@link #failed}, a cancelled one stops measuring at the next round and cleans up as usual.
 */
public class ReportSteps implements StepRunner {
    private static final Logger log = LoggerFactory.getLogger(ReportSteps.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration QUICK_EXEC = Duration.ofSeconds(10);

    private final ReportRepository reports;
    private final NodeDrivers drivers;
    private final DriverRegistry registry;
    private final HostContext host;
    private final ReportProperties properties;
    private final String guestIdPrefix;
    private final Clock clock;
    private final BenchTargets targets;
    private final BareMetalCgroup cgroup;
    private final DensityMeasurement density;

    public ReportSteps(ReportRepository reports, NodeDrivers drivers, DriverRegistry registry, HostContext host,
                       ReportProperties properties, String guestIdPrefix, Clock clock) {
        this.reports = reports;
        this.drivers = drivers;
        this.registry = registry;
        this.host = host;
        this.properties = properties;
        this.guestIdPrefix = guestIdPrefix;
        this.clock = clock;
        this.targets = new BenchTargets(host.processes(), host.dataDir());
        this.cgroup = BareMetalCgroup.detect(Path.of("/sys/fs/cgroup"));
        this.density = new DensityMeasurement(reports, drivers, clock, properties.bootTimeout());
    }

    /** The guest a run makes for a backend: named after the run, so an operator can tell it apart. */
    String guestId(long runId, String backend) {
        return guestIdPrefix + "-bench" + runId + "-" + backend;
    }

    @Override
    public String run(Job job, Step step) throws InterruptedException {
        ReportRun run = reports.findByJob(job.id())
                .orElseThrow(() -> new PermanentJobFailure("job " + job.id() + " has no report run"));
        return switch (step) {
            case REPORT_PREPARE -> prepare(run);
            case REPORT_CREATE_GUESTS -> createGuests(run);
            case REPORT_MEASURE -> measure(run);
            case REPORT_DENSITY -> density(run);
            case REPORT_CLEAN_UP -> cleanUp(run);
            case REPORT_FINISH -> finish(run);
            default -> throw new PermanentJobFailure("step " + step.id() + " is not a report step");
        };
    }

    private String prepare(ReportRun run) {
        if (run.status() == ReportStatus.CANCELLING) return "cancelled before it started";
        if (run.status() == ReportStatus.QUEUED) run = reports.transition(run, ReportStatus.RUNNING, null, clock.instant());
        for (String target : targetsOf(run)) {
            if (!Files.isExecutable(targets.yardstick(target))) {
                throw new PermanentJobFailure(targets.yardstick(target) + " is missing; run deploy/reports/build.sh");
            }
        }
        reports.saveHostFacts(run.id(), HostFacts.read(registry.statuses(), cgroup.describe()));
        cgroup.ensure(run.id(), run.vcpus(), run.memoryMiB());
        try {
            Files.createDirectories(targets.bareMetalDir(run.id()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + targets.bareMetalDir(run.id()), e);
        }
        if (!run.backends().isEmpty()) {
            HostBridge bridge = new HostBridge(host.processes());
            bridge.ensure(properties.bridge());
            bridge.ensureAddress(properties.bridge(), properties.gateway() + "/24");
        }
        return "host facts recorded; bare metal confined by " + cgroup.describe() + " to " + run.vcpus() + " vCPUs and "
                + run.memoryMiB() + " MiB; bridge " + properties.bridge() + " " + properties.network();
    }

    private String createGuests(ReportRun run) throws InterruptedException {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < run.backends().size(); i++) {
            if (cancelling(run)) return "cancelled; guests made: " + made;
            String backend = run.backends().get(i);
            GuestId guest = GuestId.of(guestId(run.id(), backend));
            var existing = reports.guests(run.id()).stream().filter(g -> g.guestId().equals(guest.value())).findFirst();
            if (existing.isPresent() && existing.get().status().equals("ready")) continue;
            reports.planGuest(run.id(), backend, guest.value(), "measure", 1); // recorded first: clean-up finds it whatever happens
            double bootMillis = bringUp(run, backend, guest, i);
            made.add(backend + " " + Math.round(bootMillis) + " ms");
        }
        return "guests ready: " + made;
    }

    /**
     * Creates (if absent) and starts a recorded guest, waits until it runs a command, copies the yardstick in and
     * marks it ready; returns create -> first command in ms (a guest that existed before has no boot time).
     */
    double bringUp(ReportRun run, String backend, GuestId guest, int addressIndex) throws InterruptedException {
        Driver driver = drivers.driver(run.nodeId(), backend);
        GuestExec exec = exec(driver, backend);
        long started = System.nanoTime();
        GuestState state = driver.state(guest);
        if (state == GuestState.ABSENT) driver.create(spec(run, addressIndex, backend, guest));
        if (driver.state(guest) != GuestState.RUNNING) driver.start(guest);
        awaitExec(exec, guest, backend);
        double bootMillis = (System.nanoTime() - started) / 1e6;
        exec.copyIn(guest, targets.yardstick(backend), Yardstick.GUEST_PATH, true);
        reports.guestReady(guest.value(), state == GuestState.ABSENT ? Double.valueOf(bootMillis) : null);
        return bootMillis;
    }

    private GuestSpec spec(ReportRun run, int index, String backend, GuestId guest) {
        NetworkConfig network = new NetworkConfig(properties.guestCidr(index), properties.gateway(), properties.guestMac(index),
                properties.bridge(), List.of());
        // No bandwidth limit: a run measures the backend, not a plan's shaping.
        Resources resources = new Resources(run.vcpus(), run.memoryMiB(), run.diskMiB(), 0, 0);
        return new GuestSpec(guest, "bench" + run.id() + "-" + backend, resources, targets.template(backend), network, Credentials.none());
    }

    private void awaitExec(GuestExec exec, GuestId guest, String backend) throws InterruptedException {
        long polls = Math.max(1, properties.bootTimeout().toMillis() / POLL.toMillis());
        while (true) {
            try {
                if (exec.exec(guest, ExecCommand.of(QUICK_EXEC, "true")).succeeded()) return;
            } catch (DriverException e) {
                if (polls <= 0) throw e;
            }
            if (polls-- <= 0) {
                throw new DriverException("the " + backend + " guest " + guest + " did not run a command within " + properties.bootTimeout());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private String measure(ReportRun run) throws InterruptedException {
        if (cancelling(run)) return "cancelled before measuring";
        HostFacts facts = reports.hostFacts(run.id()).orElseThrow(() -> new PermanentJobFailure("report run " + run.id()
                + " has no host facts; the prepare step did not run"));
        List<String> all = targetsOf(run);
        int maxRounds = run.depth().warmUps() + run.depth().rounds(false);
        int recorded = 0;
        Map<String, Set<String>> tools = new HashMap<>();
        for (String target : all) {
            boolean emulated = !target.equals(Sample.BARE_METAL) && facts.emulated(target);
            List<String> found;
            if (target.equals(Sample.BARE_METAL)) {
                found = targets.hostTools();
            } else {
                GuestExec exec = exec(drivers.driver(run.nodeId(), target), target);
                GuestId guest = GuestId.of(guestId(run.id(), target));
                targets.useOwnDisk(exec, guest, target); // idempotent, so a retried step needs no record of it
                found = targets.guestTools(exec, guest, emulated);
            }
            tools.put(target, Set.copyOf(found));
            reports.saveTarget(run.id(), new ReportRepository.Target(target, target.equals(Sample.BARE_METAL) ? null
                    : targets.template(target), emulated, found));
        }
        try (TcpPeer loopback = new TcpPeer(InetAddress.getLoopbackAddress());
             TcpPeer bridge = run.backends().isEmpty() ? null : new TcpPeer(InetAddress.getByName(properties.gateway()))) {
            for (int round = 0; round < maxRounds; round++) {
                List<String> order = new ArrayList<>(all);
                Collections.shuffle(order, new Random(run.id() * 1000 + round)); // interleaved, so drift favours none
                for (String target : order) {
                    boolean emulated = !target.equals(Sample.BARE_METAL) && facts.emulated(target);
                    if (round >= run.depth().warmUps() + run.depth().rounds(emulated)) continue;
                    if (reports.roundDone(run.id(), target, round)) continue;
                    if (cancelling(run)) return "cancelled after " + recorded + " rounds";
                    if (Thread.interrupted()) throw new InterruptedException();
                    Yardstick.Figures figures = target.equals(Sample.BARE_METAL)
                            ? targets.bareMetal(run.id(), cgroup, run.depth(), loopback.endpoint())
                            : targets.guest(exec(drivers.driver(run.nodeId(), target), target),
                                    GuestId.of(guestId(run.id(), target)), target, run.depth(), emulated, bridge.endpoint());
                    Yardstick.Figures fromTools = target.equals(Sample.BARE_METAL)
                            ? targets.bareMetalTools(run.id(), cgroup, run.depth(), tools.get(target))
                            : targets.guestTools(exec(drivers.driver(run.nodeId(), target), target), GuestId.of(guestId(run.id(), target)),
                                    target, run.depth(), emulated, tools.get(target), properties.gateway());
                    HostLoad load = HostLoad.now();
                    boolean warmUp = round < run.depth().warmUps();
                    List<Sample> samples = new ArrayList<>();
                    int thisRound = round;
                    figures.values().forEach((metric, value) -> samples.add(new Sample(target, thisRound, warmUp, metric, value,
                            figures.directIo(), load, clock.instant())));
                    fromTools.values().forEach((metric, value) -> samples.add(new Sample(target, thisRound, warmUp, metric, value,
                            fromTools.directIo(), load, clock.instant())));
                    reports.saveRound(run.id(), samples);
                    recorded++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return recorded + " rounds measured on " + all;
    }

    private String density(ReportRun run) throws InterruptedException {
        if (!run.density()) return "density not asked for";
        List<String> lines = new ArrayList<>();
        for (String backend : run.backends()) {
            if (cancelling(run)) return "cancelled; " + lines;
            lines.add(density.measure(run, backend, guestId(run.id(), backend),
                    (guest, address) -> bringUp(run, backend, guest, address), () -> !cancelling(run)));
        }
        return String.join("; ", lines);
    }

    /** Destroys every guest the run recorded, and removes its cgroup, bridge and files. Idempotent. */
    private String cleanUp(ReportRun run) {
        List<String> destroyed = new ArrayList<>();
        RuntimeException failure = null;
        for (ReportRepository.RunGuest guest : reports.guests(run.id())) {
            if (guest.status().equals("destroyed")) continue;
            try {
                drivers.driver(run.nodeId(), guest.backend()).destroy(GuestId.of(guest.guestId()));
                reports.guestDestroyed(guest.guestId());
                destroyed.add(guest.guestId());
            } catch (RuntimeException e) {
                failure = addTo(failure, e);
            }
        }
        try {
            IperfServer.endLeftOvers(properties.gateway());
            IperfServer.endLeftOvers("127.0.0.1");
            cgroup.remove(run.id());
            deleteTree(targets.bareMetalDir(run.id()));
            if (!run.backends().isEmpty() && HostBridge.exists(properties.bridge())) {
                host.processes().run(HostCommand.of("ip", "link", "del", properties.bridge()));
            }
        } catch (RuntimeException e) {
            failure = addTo(failure, e);
        }
        if (failure != null) throw failure; // retried: a guest that could not be destroyed now is destroyed later
        return "destroyed " + destroyed;
    }

    private String finish(ReportRun run) {
        ReportRun now = reports.find(run.id()).orElseThrow();
        ReportStatus end = now.status() == ReportStatus.CANCELLING ? ReportStatus.CANCELLED : ReportStatus.SUCCEEDED;
        if (now.status().active()) reports.transition(now, end, null, clock.instant());
        if (end == ReportStatus.CANCELLED) return "run cancelled";
        ReportResults results = ReportResults.of(now, reports, 1.0);
        String density = results.densityTable();
        return "run succeeded; ratios to bare metal (1.00 = bare metal, * = noisy):\n" + results.table()
                + (density.isEmpty() ? "" : "density (guests that fit: at memory overcommit 1.00; the report applies the node's ratios):\n"
                + density);
    }

    @Override
    public void failed(Job job, String error) {
        reports.findByJob(job.id()).ifPresent(run -> {
            try {
                cleanUp(run);
            } catch (RuntimeException e) {
                log.error("Report run {} failed and could not clean up everything: {}", run.id(), e.getMessage());
                error(run, error + "; clean-up also failed: " + e.getMessage());
                return;
            }
            error(run, error);
        });
    }

    private void error(ReportRun run, String error) {
        ReportRun now = reports.find(run.id()).orElseThrow();
        if (now.status().active()) reports.transition(now, ReportStatus.FAILED, error, clock.instant());
    }

    private boolean cancelling(ReportRun run) {
        return reports.find(run.id()).map(r -> r.status() == ReportStatus.CANCELLING).orElse(true);
    }

    private static List<String> targetsOf(ReportRun run) {
        List<String> all = new ArrayList<>(List.of(Sample.BARE_METAL));
        all.addAll(run.backends());
        return all;
    }

    private static GuestExec exec(Driver driver, String backend) {
        return driver.capability(GuestExec.class).orElseThrow(() -> new PermanentJobFailure(
                "the " + backend + " backend cannot run commands in its guests (no GuestExec), so it cannot be measured"));
    }

    private static RuntimeException addTo(RuntimeException failure, RuntimeException e) {
        if (failure == null) return e;
        failure.addSuppressed(e);
        return failure;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
