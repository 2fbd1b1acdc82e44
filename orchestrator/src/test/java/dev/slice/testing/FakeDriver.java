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
import dev.slice.driver.capability.Resize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory driver, like libvirt's test driver: guests are map entries. For orchestrator tests that are
 * about the database, jobs and rules rather than a real backend. {@link #beforeCreate} lets a test fail or
 * block a create.
 */
public class FakeDriver implements Driver, Resize {
    public record Guest(GuestSpec spec, GuestState state) {}

    private final BackendKind kind;
    private final Capacity capacity;
    private final Map<GuestId, Guest> guests = new ConcurrentHashMap<>();
    public final AtomicInteger creates = new AtomicInteger();
    public volatile Consumer<GuestSpec> beforeCreate = spec -> {};
    public volatile Consumer<GuestId> beforeStart = id -> {};

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
    }

    @Override public void destroy(GuestId id) { guests.remove(id); }

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

    public Guest guest(String id) { return guests.get(GuestId.of(id)); }

    public Map<GuestId, Guest> guests() { return Map.copyOf(guests); }

    /** A guest that exists on the host without Slice knowing it (for reconciler tests). */
    public void plant(GuestSpec spec, GuestState state) { guests.put(spec.id(), new Guest(spec, state)); }

    public void reset() {
        guests.clear();
        creates.set(0);
        beforeCreate = spec -> {};
        beforeStart = id -> {};
    }
}
