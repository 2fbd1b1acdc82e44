package dev.slice.driver.oci;

import dev.slice.driver.BackendKind;
import dev.slice.driver.Driver;
import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestInfo;
import dev.slice.driver.GuestNotFoundException;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.ProbeResult;
import dev.slice.driver.Resources;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.Backups;
import dev.slice.driver.capability.Capability;
import dev.slice.driver.capability.HostInterface;
import dev.slice.driver.capability.Console;
import dev.slice.driver.capability.ConsoleStream;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestStats;
import dev.slice.driver.capability.Resize;
import dev.slice.driver.capability.Rescue;
import dev.slice.driver.capability.Snapshots;
import dev.slice.driver.capability.Stats;
import dev.slice.driver.firstboot.FirstBootSettings;
import dev.slice.driver.firstboot.SettingsFile;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Containers through an OCI runtime (runc, or crun on unified cgroup v2 hosts), one per guest.
 * A guest is a directory under {@code <dataDir>/oci/guests/<id>} (its spec and ext4 disk image), a
 * network namespace {@code slice-<id>}, and while it runs, a runtime container of the same id whose
 * console is held by a detached console keeper. Nothing lives only in this object: a new instance
 * finds everything again, and containers run on when Slice stops.
 */
public final class OciDriver implements Driver, Console, Stats, Resize, GuestExec, HostInterface {
    /** The host end of the guest's link to the node bridge, where its firewall is. */
    @Override
    public String hostInterface(GuestId id) {
        return GuestNetwork.hostInterface(id);
    }

    static final Duration REBOOT_STOP_TIMEOUT = Duration.ofSeconds(20);
    /** What GuestId accepts; a container by another name in the runtime root cannot be a guest. */
    private static final Pattern GUEST_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,47}");
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final OciPaths paths;
    private final CgroupMode cgroups;
    private final RuntimeChoice runtimeChoice;
    private final OciRuntime runtime;
    private final GuestDisk disk;
    private final GuestNetwork network;
    private final ConsoleKeeper keeper;
    private final OciConfig configs;
    private final SpecStore specs;
    private final CgroupCounters counters;
    private final GuestCommands commands;
    private final Clock clock;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final OciSnapshots snapshots;
    private final OciBackups backups;
    private final OciRescue rescue;

    OciDriver(ProcessRunner processes, OciPaths paths, CgroupMode cgroups, RuntimeChoice runtimeChoice, Clock clock) {
        JsonMapper json = JsonMapper.builder().build();
        this.paths = paths;
        this.cgroups = cgroups;
        this.runtimeChoice = runtimeChoice;
        this.runtime = runtimeChoice.binary()
                .map(binary -> new OciRuntime(binary, paths.runtimeRoot(), processes, json))
                .orElse(null);
        this.disk = new GuestDisk(processes);
        this.snapshots = new OciSnapshots(paths, this, processes);
        this.backups = new OciBackups(paths, this, processes);
        this.rescue = new OciRescue(paths, this, disk);
        this.network = new GuestNetwork(processes);
        this.keeper = new ConsoleKeeper(paths.consoleKeeper(), processes);
        this.configs = new OciConfig(json);
        this.specs = new SpecStore(json);
        this.counters = new CgroupCounters(Path.of("/sys/fs/cgroup"), cgroups);
        this.commands = runtime == null ? null : new GuestCommands(runtime, paths.runDir());
        this.clock = clock;
    }

    @Override
    public BackendKind kind() { return BackendKind.OCI; }

    @Override
    public String name() { return "oci:" + runtimeChoice.name(); }

    @Override
    public ProbeResult probe() {
        return new HostProbe(paths, runtimeChoice, runtime).probe();
    }

    @Override
    public void create(GuestSpec spec) {
        Path template = paths.templateRootfs(spec.template());
        if (!Files.isDirectory(template.resolve("etc"))) {
            throw new InvalidSpecException("OS template '" + spec.template() + "' is not available for containers on this host ("
                    + template + " is missing; build it with deploy/images/" + spec.template() + "/build.sh)");
        }
        requireRuntime();
        String settings = SettingsFile.write(FirstBootSettings.of(spec)); // refuses what cannot reach a guest
        locked(spec.id(), () -> {
            GuestLayout layout = paths.guest(spec.id());
            if (Files.exists(layout.spec())) return null; // created before: creating again is a no-op
            GuestLayout partial = new GuestLayout(paths.partialGuestDir(spec.id()));
            removePartial(partial);
            removePartial(layout); // a directory without a spec is what an interrupted destroy leaves
            try {
                Files.createDirectories(partial.dir());
                // The spec holds the root password hash and the disk the guest's data: root only.
                Files.setPosixFilePermissions(partial.dir(), PosixFilePermissions.fromString("rwx------"));
                // The guest's init applies its settings (deploy/guest/slice-firstboot) from a read-only bind.
                // Root's password hash is in it: the guest's root alone may read it, inside as outside.
                Files.createDirectory(partial.firstBootDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Path settingsFile = partial.firstBootDir().resolve(SettingsFile.NAME);
                Files.createFile(settingsFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(settingsFile, settings);
                // The disk's first contents (empty upper and work directories) are put together here and
                // copied in by mkfs: no mount, no unmount. The upper layer's root is the overlay's root
                // directory: it gets the template root's mode.
                Path contents = partial.newDiskContents();
                Files.createDirectories(contents.resolve(partial.diskMount().relativize(partial.workDir())));
                Path upper = Files.createDirectories(contents.resolve(partial.diskMount().relativize(partial.upperDir())));
                Files.setPosixFilePermissions(upper, Files.getPosixFilePermissions(template));
                disk.format(partial.diskImage(), spec.resources().diskMiB(), contents);
                deleteUnmountedTree(contents);
                specs.write(partial.spec(), spec);
                Files.move(partial.dir(), layout.dir(), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                removePartial(partial);
                if (e instanceof DriverException driverException) throw driverException;
                throw new DriverException("could not create container " + spec.id() + ": " + e.getMessage(), e);
            }
            return null;
        });
    }

    @Override
    public void start(GuestId id) {
        requireRuntime();
        locked(id, () -> {
            GuestLayout layout = existingGuest(id);
            Optional<OciRuntime.Status> status = runtime.status(id);
            if (status.isPresent() && isRunning(status.get())) return null;
            if (status.isPresent()) runtime.delete(id); // a stopped or half-created container from before
            GuestSpec spec = specs.read(layout.spec());
            Optional<OciRescue.Mark> rescueMark = OciRescue.mark(layout);
            try {
                // Network and disk do not depend on each other: the network is set up on a second thread
                // meanwhile (on a busy host, two runnable threads also get twice the CPU share).
                FutureTask<Void> networkSetup = new FutureTask<>(() -> {
                    setUpNetwork(id, spec);
                    return null;
                });
                Thread.ofVirtual().name("oci-network-" + id.value()).start(networkSetup);
                List<GuestDisk.BlockDevice> rescueDisk = new ArrayList<>(1);
                alongside(networkSetup, () -> {
                    disk.unmount(layout); // left mounted by a stop that failed half-way
                    disk.grow(layout, spec.resources().diskMiB()); // a resize while it ran
                    if (rescueMark.isPresent()) {
                        disk.mountRescue(layout, paths.templateRootfs(rescueMark.get().template()));
                        rescueDisk.add(disk.attachLoop(layout));
                    } else {
                        disk.mount(layout, paths.templateRootfs(spec.template()));
                    }
                });
                requireBuilt(paths.containerInit());
                requireBuilt(paths.firstBootScript());
                Path firstBootDir = rescueMark.isPresent() ? layout.rescueFirstBootDir() : layout.firstBootDir();
                Optional<OciConfig.FirstBoot> firstBoot = Files.isDirectory(firstBootDir)
                        ? Optional.of(new OciConfig.FirstBoot(paths.firstBootScript(), firstBootDir)) : Optional.empty();
                var config = configs.build(spec, paths.containerInit(), firstBoot, GuestNetwork.namespacePath(id), cgroups,
                        ProcView.onThisHost());
                rescueDisk.forEach(device -> configs.addBlockDevice(config, OciRescue.DEVICE, device.major(), device.minor()));
                Files.writeString(layout.config(), configs.render(config));
                ConsoleKeeper.KeeperFiles files = new ConsoleKeeper.KeeperFiles(paths.consoleDir(id));
                keeper.runContainer(id, files, (socket, pidFile) -> runtime.runArgv(id, layout.bundle(), socket, pidFile));
            } catch (IOException | RuntimeException e) {
                // Leave a stopped guest behind, so that the next start begins from scratch.
                runtime.delete(id);
                keeper.stopLeftover(new ConsoleKeeper.KeeperFiles(paths.consoleDir(id)));
                disk.unmount(layout);
                if (e instanceof DriverException driverException) throw driverException;
                throw new DriverException("could not start container " + id + ": " + e.getMessage(), e);
            }
            return null;
        });
    }

    private void setUpNetwork(GuestId id, GuestSpec spec) {
        boolean freshNetwork = network.ensure(id, spec.network());
        int mbit = spec.resources().bandwidthMbit();
        // A namespace made just now has no qdisc to remove: only a limit needs a tc process then.
        if (spec.network() != null && (mbit != 0 || !freshNetwork)) network.limitBandwidth(id, mbit);
    }

    /**
     * Runs {@code work} here while {@code other} runs on its own thread, and returns only when both
     * have ended, so nothing of this start still runs when it fails or returns. The first failure is
     * thrown, the other one added to it.
     */
    private static void alongside(FutureTask<Void> other, Runnable work) {
        RuntimeException failure = null;
        try {
            work.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            awaitUninterruptibly(other);
        } catch (RuntimeException e) {
            if (failure == null) failure = e;
            else failure.addSuppressed(e);
        }
        if (failure != null) throw failure;
    }

    private static void awaitUninterruptibly(FutureTask<Void> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    task.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the host commands it runs have their own timeouts
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException cause) throw cause;
                    if (e.getCause() instanceof Error error) throw error;
                    throw new DriverException(e.getCause().getMessage(), e.getCause());
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop(GuestId id, StopMode mode) {
        requireRuntime();
        locked(id, () -> {
            Optional<OciRuntime.Status> status = runtime.status(id);
            if (status.isEmpty() && !Files.isDirectory(paths.guestDir(id))) throw new GuestNotFoundException(id);
            if (status.isPresent() && status.get() != OciRuntime.Status.STOPPED) {
                boolean stopped = false;
                if (mode instanceof StopMode.Graceful(Duration timeout)) {
                    runtime.kill(id, "TERM");
                    stopped = awaitStopped(id, timeout);
                }
                if (!stopped) {
                    runtime.kill(id, "KILL");
                    if (!awaitStopped(id, KILL_WAIT)) {
                        throw new DriverException("container " + id + " did not stop even after SIGKILL within " + KILL_WAIT);
                    }
                }
            }
            if (status.isPresent()) runtime.delete(id);
            keeper.stopLeftover(new ConsoleKeeper.KeeperFiles(paths.consoleDir(id)));
            disk.unmount(paths.guest(id));
            return null;
        });
    }

    private boolean awaitStopped(GuestId id, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            Optional<OciRuntime.Status> status = runtime.status(id);
            if (status.isEmpty() || status.get() == OciRuntime.Status.STOPPED) return true;
            if (clock.instant().isAfter(deadline)) return false;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DriverException("interrupted while stopping container " + id);
            }
        }
    }

    @Override
    public void reboot(GuestId id) {
        locked(id, () -> {
            stop(id, StopMode.graceful(REBOOT_STOP_TIMEOUT));
            start(id);
            return null;
        });
    }

    /** Copies of the stopped container's writable layer ({@link OciSnapshots}, {@link OciBackups}); {@link OciRescue}. */
    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        if (type == Snapshots.class) return Optional.of(type.cast(snapshots));
        if (type == Rescue.class) return Optional.of(type.cast(rescue));
        if (type == Backups.class) return Optional.of(type.cast(backups));
        return Driver.super.capability(type);
    }

    /** SIGKILL to the container's processes, then a fresh start, under the guest's lock like a reboot. */
    @Override
    public void reset(GuestId id) {
        locked(id, () -> {
            stop(id, StopMode.force());
            start(id);
            return null;
        });
    }

    @Override
    public void destroy(GuestId id) {
        requireRuntime();
        locked(id, () -> {
            if (runtime.status(id).isPresent()) {
                runtime.kill(id, "KILL");
                awaitStopped(id, KILL_WAIT);
                runtime.delete(id);
            }
            ConsoleKeeper.KeeperFiles files = new ConsoleKeeper.KeeperFiles(paths.consoleDir(id));
            keeper.stopLeftover(files);
            keeper.removeFiles(files);
            for (GuestLayout layout : List.of(paths.guest(id), new GuestLayout(paths.partialGuestDir(id)))) {
                disk.unmount(layout);
                deleteUnmountedTree(layout.dir());
            }
            network.remove(id);
            return null;
        });
    }

    @Override
    public GuestState state(GuestId id) {
        requireRuntime();
        // A serving keeper already proves a started container whose init runs (the keeper leaves when the
        // init ends): the runtime is asked only otherwise.
        if (keeper.isServing(new ConsoleKeeper.KeeperFiles(paths.consoleDir(id)))) return GuestState.RUNNING;
        Optional<OciRuntime.Status> status = runtime.status(id);
        if (status.isPresent() && isRunning(status.get())) return GuestState.RUNNING;
        if (status.isPresent() || Files.exists(paths.guest(id).spec())) return GuestState.STOPPED;
        return GuestState.ABSENT;
    }

    @Override
    public List<GuestInfo> list() {
        requireRuntime();
        Map<String, GuestState> found = new TreeMap<>();
        if (Files.isDirectory(paths.guestsDir())) {
            try (Stream<Path> dirs = Files.list(paths.guestsDir())) {
                dirs.filter(dir -> !dir.getFileName().toString().startsWith(".")) // guests being created
                        .filter(dir -> Files.exists(dir.resolve("spec.json")))
                        .forEach(dir -> found.put(dir.getFileName().toString(), GuestState.STOPPED));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + paths.guestsDir(), e);
            }
        }
        // Containers in Slice's runtime root count too, even when Slice has no files of them.
        runtime.list().forEach((id, status) -> found.put(id, isRunning(status) ? GuestState.RUNNING : GuestState.STOPPED));
        List<GuestInfo> guests = new ArrayList<>();
        found.forEach((id, state) -> {
            if (GUEST_ID.matcher(id).matches()) guests.add(new GuestInfo(GuestId.of(id), state));
        });
        return guests;
    }

    @Override
    public ConsoleStream open(GuestId id) {
        if (state(id) != GuestState.RUNNING) {
            throw new DriverException("guest " + id + " is not running, so it has no console; start it first");
        }
        return keeper.attach(id, new ConsoleKeeper.KeeperFiles(paths.consoleDir(id)));
    }

    @Override
    public GuestStats read(GuestId id) {
        if (state(id) == GuestState.ABSENT) throw new GuestNotFoundException(id);
        long[] net = network.guestRxTxBytes(id);
        long[] io = disk.loopDevice(paths.guest(id)).map(CgroupCounters::blockReadWriteBytes).orElse(new long[] {-1, -1});
        return new GuestStats(counters.cpuTimeNanos(id.value()), counters.memoryBytes(id.value()), io[0], io[1], net[0], net[1]);
    }

    /**
     * Changes CPU, memory and process limits, at once on a running container (the runtime's update).
     * A disk only grows, while the guest is stopped: for a running guest the new size is kept and the
     * disk grows at its next start. The new limits are kept for every later start.
     */
    @Override
    public void resize(GuestId id, Resources resources) {
        requireRuntime();
        locked(id, () -> {
            GuestLayout layout = existingGuest(id);
            GuestSpec spec = specs.read(layout.spec());
            long currentDisk = disk.sizeMiB(layout);
            if (resources.diskMiB() < currentDisk) {
                throw new InvalidSpecException("the disk of " + id + " cannot shrink from " + currentDisk + " MiB to "
                        + resources.diskMiB() + " MiB");
            }
            Optional<OciRuntime.Status> status = runtime.status(id);
            boolean running = status.isPresent() && isRunning(status.get());
            if (running) {
                runtime.update(id, resources);
                if (spec.network() != null) network.limitBandwidth(id, resources.bandwidthMbit());
            } else {
                disk.unmount(layout);
                disk.grow(layout, resources.diskMiB());
            }
            specs.write(layout.spec(), spec.withResources(resources));
            return null;
        });
    }

    @Override
    public ExecResult exec(GuestId id, ExecCommand command) {
        requireRuntime();
        requireRunning(id);
        return commands.exec(id, command);
    }

    @Override
    public void copyIn(GuestId id, Path hostFile, String guestPath, boolean executable) {
        requireRuntime();
        requireRunning(id);
        try {
            commands.copyIn(id, Files.readAllBytes(hostFile), guestPath, executable);
        } catch (IOException e) {
            throw new DriverException("cannot read " + hostFile + " to copy it into " + id + ": " + e.getMessage(), e);
        }
    }

    private void requireRunning(GuestId id) {
        GuestState state = state(id);
        if (state == GuestState.ABSENT) throw new GuestNotFoundException(id);
        if (state != GuestState.RUNNING) throw new DriverException("guest " + id + " is not running; start it first");
    }

    /** Runs a program in a running guest without a terminal (tests and diagnostics). */
    ProcessResult exec(GuestId id, Duration timeout, String... argv) {
        requireRuntime();
        return runtime.exec(id, timeout, List.of(argv));
    }

    /** The spec stored for a guest (tests and diagnostics). */
    GuestSpec storedSpec(GuestId id) {
        return specs.read(existingGuest(id).spec());
    }

    private GuestLayout existingGuest(GuestId id) {
        GuestLayout layout = paths.guest(id);
        if (!Files.exists(layout.spec())) throw new GuestNotFoundException(id);
        return layout;
    }

    private static boolean isRunning(OciRuntime.Status status) {
        return status == OciRuntime.Status.RUNNING || status == OciRuntime.Status.PAUSED;
    }

    private void requireRuntime() {
        if (runtime == null) throw new DriverException("the OCI backend is unavailable on this host: " + runtimeChoice.reason());
    }

    private static void requireBuilt(Path artifact) {
        if (!Files.isExecutable(artifact)) throw new DriverException(artifact + " is missing; run deploy/oci/build.sh");
    }

    private void removePartial(GuestLayout partial) {
        disk.unmount(partial);
        deleteUnmountedTree(partial.dir());
    }

    /** Deletes a guest's directory, refusing while anything is still mounted inside it (it might be the template). */
    private static void deleteUnmountedTree(Path dir) {
        if (!Files.exists(dir)) return;
        Path absolute = dir.toAbsolutePath().normalize();
        for (Mounts.Mount mount : Mounts.all()) {
            if (mount.mountPoint().startsWith(absolute)) {
                throw new DriverException(mount.mountPoint() + " is still mounted; not deleting " + dir);
            }
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** Runs {@code action} holding the guest's lock (also for {@link OciSnapshots}). */
    <T> T locked(GuestId id, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(id.value(), key -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
