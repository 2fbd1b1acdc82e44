package dev.slice.node;

import dev.slice.driver.BackendKind;
import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestInfo;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.ProbeResult;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.Capability;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real driver that counts what each node's process asked it to do to each guest ({@code node:op:guest}), so a test can
 * tell which process provisioned a guest and that no step ran twice. {@link #beforeStart} lets a test hold a start.
 */
final class CountingDriver implements Driver {
    static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    static volatile Consumer<String> beforeStart = label -> {};

    private final String node;
    private final Driver real;

    CountingDriver(String node, Driver real) {
        this.node = node;
        this.real = real;
    }

    static int calls(String node, String op, String guest) {
        AtomicInteger n = CALLS.get(node + ":" + op + ":" + guest);
        return n == null ? 0 : n.get();
    }

    private void count(String op, GuestId id) {
        CALLS.computeIfAbsent(node + ":" + op + ":" + id.value(), k -> new AtomicInteger()).incrementAndGet();
    }

    @Override public BackendKind kind() { return real.kind(); }
    @Override public String name() { return real.name(); }
    @Override public ProbeResult probe() { return real.probe(); }

    @Override
    public void create(GuestSpec spec) {
        count("create", spec.id());
        real.create(spec);
    }

    @Override
    public void start(GuestId id) {
        beforeStart.accept(node);
        count("start", id);
        real.start(id);
    }

    @Override
    public void stop(GuestId id, StopMode mode) {
        count("stop", id);
        real.stop(id, mode);
    }

    @Override
    public void reboot(GuestId id) {
        count("reboot", id);
        real.reboot(id);
    }

    @Override
    public void reset(GuestId id) {
        count("reset", id);
        real.reset(id);
    }

    @Override
    public void destroy(GuestId id) {
        count("destroy", id);
        real.destroy(id);
    }

    @Override public GuestState state(GuestId id) { return real.state(id); }
    @Override public List<GuestInfo> list() { return real.list(); }
    @Override public <C extends Capability> Optional<C> capability(Class<C> type) { return real.capability(type); }
}
