package dev.slice.report;

import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import dev.slice.driver.capability.GuestStats;
import dev.slice.driver.capability.Stats;
import dev.slice.provisioning.NodeDrivers;
import dev.slice.report.ReportRepository.DensityPoint;
import dev.slice.report.ReportRepository.RunGuest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Density of one backend at the run's plan size, for every backend the run measures: guests started one after another
 * until {@link DensityRules} says stop (memory reserve, safety cap, a failed boot, memory pressure), measuring after each
 * one the host memory per guest (PSS + kernel memory of its host processes, cross-checked with MemAvailable before the
 * first guest minus now, over N), what the driver charges each guest (its Stats), idle CPU per guest over a window, and
 * the one-guest CPU score (the yardstick's cpu in the first guest) as N grows; then bursts of guests booted at once (boot
 * time per concurrency). Emulated backends get fewer guests ({@link Depth#densityCap(boolean)}). Its guests are destroyed
 * when it is done.
 */
final class DensityMeasurement {
    /** Guests may not outnumber the addresses of the run's /24 (.10 to .254) left after the measured guests. */
    static final int MAX_ADDRESSES = 200;

    interface GuestBringUp {
        double bringUp(GuestId guest, int addressIndex) throws InterruptedException;
    }

    private final ReportRepository reports;
    private final NodeDrivers drivers;
    private final Clock clock;
    private final GuestFootprint footprint = GuestFootprint.host();
    /** How long a burst may take: every guest's create and boot, sharing the host's CPUs. */
    private final Duration burstDeadline;

    DensityMeasurement(ReportRepository reports, NodeDrivers drivers, Clock clock, Duration bootTimeout) {
        this.reports = reports;
        this.drivers = drivers;
        this.clock = clock;
        this.burstDeadline = bootTimeout.multipliedBy(2);
    }

    /** Returns a line for the job's output; stops early (false from {@code goOn}) on cancel. */
    String measure(ReportRun run, String backend, String guestIdBase, GuestBringUp bringUp, BooleanSupplier goOn)
            throws InterruptedException {
        if (reports.density(run.id()).stream().anyMatch(p -> p.backend().equals(backend) && p.stopReason() != null)) {
            destroyDensityGuests(run, backend);
            return backend + ": measured before";
        }
        Driver driver = drivers.driver(run.nodeId(), backend);
        boolean emulated = reports.hostFacts(run.id()).map(f -> f.emulated(backend)).orElse(false);
        DensityRules rules = new DensityRules(run.reserveMiB(), Math.min(run.depth().densityCap(emulated), MAX_ADDRESSES), 10.0);
        int firstAddress = run.backends().size();
        Optional<DensityPoint> baseline = reports.density(run.id()).stream()
                .filter(p -> p.backend().equals(backend) && p.guests() == 0).findFirst();
        long before = baseline.map(DensityPoint::memAvailableMiB).orElseGet(() -> HostLoad.now().memAvailableMiB());
        if (baseline.isEmpty()) reports.saveDensity(run.id(), point(backend, 0, before, null, null, null, null));
        List<GuestId> running = new ArrayList<>();
        for (RunGuest g : reports.guests(run.id())) {
            if (g.backend().equals(backend) && g.purpose().equals("density") && g.status().equals("ready")) running.add(GuestId.of(g.guestId()));
        }
        boolean bootFailed = false;
        DensityRules.StopReason stop;
        while (true) {
            if (!goOn.getAsBoolean()) return backend + ": cancelled at " + running.size() + " guests";
            HostLoad load = HostLoad.now();
            long hostPerGuest = running.isEmpty() ? 0 : (before - load.memAvailableMiB()) / running.size();
            long beyondRam = Math.max(0, hostPerGuest - run.memoryMiB());
            stop = rules.stopBeforeNext(new DensityRules.HostNow(running.size(), load.memAvailableMiB(), run.memoryMiB(), beyondRam,
                    load.memoryPressure(), bootFailed)).orElse(null);
            if (stop != null) break;
            GuestId guest = GuestId.of(guestIdBase + "-d" + running.size());
            reports.planGuest(run.id(), backend, guest.value(), "density", 1);
            try {
                bringUp.bringUp(guest, firstAddress + running.size());
                running.add(guest);
            } catch (RuntimeException e) {
                reports.guestFailed(guest.value(), BootBurst.reason(e));
                bootFailed = true;
                continue;
            }
            reports.saveDensity(run.id(), measureNow(driver, backend, running, before, run.depth()));
        }
        List<Integer> sizes = run.depth().bootBursts(emulated);
        int burstsDone = bursts(run, backend, guestIdBase, bringUp, rules, running, firstAddress, goOn, sizes);
        reports.saveDensity(run.id(), pointWithStop(backend, running.size() - burstsDone, stop));
        destroyDensityGuests(run, backend);
        return backend + ": " + (running.size() - burstsDone) + " guests one by one, stopped by " + stop.name().toLowerCase()
                + "; bursts " + sizes;
    }

    /** Boots each burst's guests at once and records their boot times, or why they did not boot, with the burst's concurrency. */
    private int bursts(ReportRun run, String backend, String base, GuestBringUp bringUp, DensityRules rules, List<GuestId> running,
                       int firstAddress, BooleanSupplier goOn, List<Integer> sizes) throws InterruptedException {
        int added = 0;
        for (int size : sizes) {
            HostLoad load = HostLoad.now();
            long needed = size * (run.memoryMiB() + 64L);
            if (!goOn.getAsBoolean() || running.size() + size > MAX_ADDRESSES || load.memAvailableMiB() - needed < rules.reserveMiB()) break;
            List<GuestId> burst = new ArrayList<>();
            List<Integer> addresses = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                GuestId guest = GuestId.of(base + "-b" + size + "-" + i);
                reports.planGuest(run.id(), backend, guest.value(), "density", size);
                burst.add(guest);
                addresses.add(firstAddress + running.size() + i);
            }
            // Failed guests keep their reason on their rows; they stay in the count so the next burst's addresses are new.
            new BootBurst(reports, burstDeadline).boot(burst, addresses, bringUp);
            running.addAll(burst);
            added += size;
        }
        return added;
    }

    /**
     * The host with the running guests: MemAvailable's drop over N (the cross-check), PSS of the guests' host processes
     * plus their cgroups' kernel memory per guest ({@link GuestFootprint}), what the driver charges each (its Stats), idle
     * CPU per guest over the window (the driver's CPU time, else the guests' host processes' own), the one-guest score.
     */
    private DensityPoint measureNow(Driver driver, String backend, List<GuestId> running, long before, Depth depth)
            throws InterruptedException {
        Thread.sleep(500); // let the newest guest settle before its memory is read
        List<String> ids = running.stream().map(GuestId::value).toList();
        Optional<Stats> stats = driver.capability(Stats.class);
        long cpuBefore = stats.map(s -> totalCpu(s, running)).orElse(-1L);
        long ticksBefore = footprint.cpuTicks(ids);
        long start = System.nanoTime();
        Thread.sleep(depth.idleWindowMillis());
        long elapsed = System.nanoTime() - start;
        Double idle = stats.map(s -> totalCpu(s, running)).filter(after -> after >= 0 && cpuBefore >= 0)
                .map(after -> (after - cpuBefore) * 100.0 / elapsed / running.size()).orElse(null);
        if (idle == null) {
            long ticks = footprint.cpuTicks(ids) - ticksBefore;
            idle = ticks * 1e9 / GuestFootprint.TICKS_PER_SECOND * 100.0 / elapsed / running.size();
        }
        Double charged = stats.map(s -> running.stream().mapToLong(id -> s.read(id).memoryBytes()).sum() / 1048576.0 / running.size())
                .orElse(null);
        long available = HostLoad.now().memAvailableMiB();
        GuestFootprint.Reading reading = footprint.read(ids);
        Double pss = reading.processes() == 0 ? null : reading.pssKiB() / 1024.0 / running.size();
        Double kernel = reading.processes() == 0 ? null : reading.kernelKiB() / 1024.0 / running.size();
        return new DensityPoint(backend, running.size(), available, (before - available) / (double) running.size(), charged, idle,
                cpuScore(driver, running.getFirst()), null, clock.instant(), pss, kernel, reading.processes());
    }

    private static long totalCpu(Stats stats, List<GuestId> guests) {
        long total = 0;
        for (GuestId id : guests) {
            GuestStats s = stats.read(id);
            if (s.cpuTimeNanos() < 0) return -1;
            total += s.cpuTimeNanos();
        }
        return total;
    }

    private static Double cpuScore(Driver driver, GuestId guest) {
        Optional<GuestExec> exec = driver.capability(GuestExec.class);
        if (exec.isEmpty()) return null;
        ExecResult result = exec.get().exec(guest, ExecCommand.of(Duration.ofSeconds(60), Yardstick.GUEST_PATH, "-t", "300", "cpu"));
        if (!result.succeeded()) return null;
        return Yardstick.parse(result.stdout()).values().get(Metric.CPU_INT);
    }

    private void destroyDensityGuests(ReportRun run, String backend) {
        Driver driver = drivers.driver(run.nodeId(), backend);
        for (RunGuest g : reports.guests(run.id())) {
            if (!g.backend().equals(backend) || !g.purpose().equals("density") || g.status().equals("destroyed")) continue;
            driver.destroy(GuestId.of(g.guestId()));
            reports.guestDestroyed(g.guestId());
        }
    }

    private DensityPoint point(String backend, int guests, long available, Double host, Double charged, Double idle, Double score) {
        return new DensityPoint(backend, guests, available, host, charged, idle, score, null, clock.instant());
    }

    private DensityPoint pointWithStop(String backend, int guests, DensityRules.StopReason stop) {
        return new DensityPoint(backend, guests, HostLoad.now().memAvailableMiB(), null, null, null, null,
                stop.name().toLowerCase(java.util.Locale.ROOT), clock.instant());
    }
}
