package dev.slice.testing;

import dev.slice.driver.BackendKind;
import dev.slice.driver.Capacity;
import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestInfo;
import dev.slice.driver.GuestNotFoundException;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.ProbeResult;
import dev.slice.driver.Resources;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.Rescue;
import dev.slice.driver.capability.Resize;
import dev.slice.driver.capability.Capability;
import dev.slice.driver.capability.Snapshots;
import dev.slice.driver.capability.Suspend;
import dev.slice.driver.capability.GuestStats;
import dev.slice.driver.capability.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory driver, like libvirt's test driver: guests are map entries. For orchestrator tests that are
 * about the database, jobs and rules rather than a real backend. {@link #beforeCreate} lets a test fail or
 * block a create.
 */
public class FakeDriver implements Driver, Resize, Snapshots, Suspend, Stats, Rescue {
    public record Guest(GuestSpec spec, GuestState state) {}

    private final BackendKind kind;
    private final Capacity capacity;
    private final Map<GuestId, Guest> guests = new ConcurrentHashMap<>();
    private final Map<GuestId, List<String>> snapshots = new ConcurrentHashMap<>();
    public final AtomicInteger creates = new AtomicInteger();
    public final AtomicInteger resets = new AtomicInteger();
    /** Like a backend that copies the disk (OCI): snapshots and reverts only of a stopped guest. */
    public volatile boolean snapshotsNeedStoppedGuest;
    public final List<String> reverts = new java.util.concurrent.CopyOnWriteArrayList<>();
    public volatile Consumer<GuestSpec> beforeCreate = spec -> {};
    public volatile Consumer<GuestId> beforeStart = id -> {};
    /** Whether the {@link Suspend} capability is offered (off: a backend that cannot suspend). */
    public volatile boolean suspendable = true;
    /** Whether the {@link Rescue} capability is offered (off: a backend without rescue systems). */
    public volatile boolean rescuable = true;
    /** The guests in rescue, with the spec they were entered with. */
    public final Map<GuestId, RescueSpec> inRescue = new ConcurrentHashMap<>();
    private final Set<GuestId> saved = ConcurrentHashMap.newKeySet();
    /** Whether the {@link Stats} capability is offered (off by default: tests that predate it see a backend without). */
    public volatile boolean countsUsage;
    /** Per guest: bytes received, bytes sent since its start, as a real guest's interface counts them. */
    private final Map<GuestId, long[]> traffic = new ConcurrentHashMap<>();

    public FakeDriver(BackendKind kind, Capacity capacity) {
        this.kind = kind;
        this.capacity = capacity;
    }

    @Override public BackendKind kind() { return kind; }

    @Override public String name() { return kind.id() + ":fake"; }

    @Override public ProbeResult probe() { return ProbeResult.available("1.0", "in-memory test driver", capacity); }

    @Override
    public void create(GuestSpec spec) {
        beforeCreate.accept(spec);
        creates.incrementAndGet();
        guests.putIfAbsent(spec.id(), new Guest(spec, GuestState.STOPPED));
    }

    @Override
    public void start(GuestId id) {
        beforeStart.accept(id);
        saved.remove(id); // a start resumes a saved machine
        if (state(id) != GuestState.RUNNING) traffic.remove(id); // a new run counts from zero
        guests.computeIfPresent(id, (k, g) -> new Guest(g.spec(), GuestState.RUNNING));
        if (!guests.containsKey(id)) throw new GuestNotFoundException(id);
    }

    @Override
    public void stop(GuestId id, StopMode mode) {
        if (!guests.containsKey(id)) throw new GuestNotFoundException(id);
        guests.computeIfPresent(id, (k, g) -> new Guest(g.spec(), GuestState.STOPPED));
    }

    @Override
    public void reboot(GuestId id) {
        if (!guests.containsKey(id)) throw new GuestNotFoundException(id);
        traffic.remove(id);
    }

    @Override
    public void reset(GuestId id) {
        if (!guests.containsKey(id)) throw new GuestNotFoundException(id);
        resets.incrementAndGet();
        guests.computeIfPresent(id, (k, g) -> new Guest(g.spec(), GuestState.RUNNING));
    }

    @Override
    public void enter(GuestId id, RescueSpec spec, Duration shutdown) {
        if (!guests.containsKey(id)) throw new GuestNotFoundException(id);
        RescueSpec before = inRescue.putIfAbsent(id, spec);
        if (before != null && !before.fingerprint().equals(spec.fingerprint())) {
            throw new dev.slice.driver.DriverException("guest " + id + " is in rescue with another rescue system; leave rescue first");
        }
        guests.computeIfPresent(id, (k, g) -> new Guest(g.spec(), GuestState.RUNNING));
    }

    @Override
    public void leave(GuestId id, Duration shutdown) {
        if (!guests.containsKey(id)) throw new GuestNotFoundException(id);
        if (inRescue.remove(id) != null) guests.computeIfPresent(id, (k, g) -> new Guest(g.spec(), GuestState.RUNNING));
    }

    @Override
    public boolean inRescue(GuestId id) { return inRescue.containsKey(id); }

    @Override
    public RescueDisk disk() { return new RescueDisk("/dev/fakeb", true, "/"); }

    @Override
    public void destroy(GuestId id) {
        inRescue.remove(id);
        guests.remove(id);
        saved.remove(id);
        snapshots.remove(id);
    }

    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        if (type == Suspend.class && !suspendable) return Optional.empty();
        if (type == Rescue.class && !rescuable) return Optional.empty();
        if (type == Stats.class && !countsUsage) return Optional.empty();
        return Driver.super.capability(type);
    }

    /** The guest received {@code rxBytes} and sent {@code txBytes}. */
    public void transfer(String guestId, long rxBytes, long txBytes) {
        traffic.compute(GuestId.of(guestId), (k, c) -> c == null ? new long[] {rxBytes, txBytes} : new long[] {c[0] + rxBytes, c[1] + txBytes});
    }

    /** The backend's counters start again from zero while the guest runs on (a driver or host restart). */
    public void resetCounters(String guestId) {
        traffic.remove(GuestId.of(guestId));
    }

    @Override
    public GuestStats read(GuestId id) {
        if (state(id) == GuestState.ABSENT) throw new GuestNotFoundException(id);
        long[] c = traffic.getOrDefault(id, new long[2]);
        return new GuestStats(-1, 64L << 20, -1, -1, c[0], c[1]);
    }

    @Override
    public void suspend(GuestId id, Duration timeout) {
        if (state(id) != GuestState.RUNNING) throw new dev.slice.driver.DriverException("guest " + id + " is not running");
        saved.add(id);
        guests.computeIfPresent(id, (k, g) -> new Guest(g.spec(), GuestState.STOPPED));
    }

    @Override
    public void resume(GuestId id) {
        if (!saved.contains(id)) throw new dev.slice.driver.DriverException("guest " + id + " is not suspended");
        start(id);
    }

    @Override
    public boolean isSuspended(GuestId id) { return saved.contains(id) && state(id) == GuestState.STOPPED; }

    @Override
    public boolean needsStoppedGuest() { return snapshotsNeedStoppedGuest; }

    @Override
    public void snapshot(GuestId id, String name) {
        if (!guests.containsKey(id)) throw new GuestNotFoundException(id);
        requireStoppedIfNeeded(id);
        List<String> names = snapshots.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>());
        if (!names.contains(name)) names.add(name);
    }

    @Override
    public List<String> snapshots(GuestId id) { return List.copyOf(snapshots.getOrDefault(id, List.of())); }

    @Override
    public void revert(GuestId id, String name) {
        if (!snapshots(id).contains(name)) throw new dev.slice.driver.DriverException("guest " + id + " has no snapshot " + name);
        requireStoppedIfNeeded(id);
        reverts.add(name);
        guests.computeIfPresent(id, (k, g) -> new Guest(g.spec(), GuestState.STOPPED));
    }

    @Override
    public void deleteSnapshot(GuestId id, String name) {
        List<String> names = snapshots.get(id);
        if (names != null) names.remove(name);
    }

    @Override
    public GuestState state(GuestId id) {
        Guest guest = guests.get(id);
        return guest == null ? GuestState.ABSENT : guest.state();
    }

    @Override
    public List<GuestInfo> list() {
        List<GuestInfo> all = new ArrayList<>();
        guests.forEach((id, g) -> all.add(new GuestInfo(id, g.state())));
        return all;
    }

    @Override
    public void resize(GuestId id, Resources resources) {
        guests.computeIfPresent(id, (k, g) -> new Guest(g.spec().withResources(resources), g.state()));
    }

    private void requireStoppedIfNeeded(GuestId id) {
        if (snapshotsNeedStoppedGuest && state(id) == GuestState.RUNNING) {
            throw new dev.slice.driver.DriverException("guest " + id + " runs; stop it first");
        }
    }

    public Guest guest(String id) { return guests.get(GuestId.of(id)); }

    public Map<GuestId, Guest> guests() { return Map.copyOf(guests); }

    /** A guest that exists on the host without Slice knowing it (for reconciler tests). */
    public void plant(GuestSpec spec, GuestState state) { guests.put(spec.id(), new Guest(spec, state)); }

    public void reset() {
        guests.clear();
        snapshots.clear();
        reverts.clear();
        creates.set(0);
        resets.set(0);
        snapshotsNeedStoppedGuest = false;
        suspendable = true;
        saved.clear();
        countsUsage = false;
        traffic.clear();
        beforeCreate = spec -> {};
        beforeStart = id -> {};
    }
}
