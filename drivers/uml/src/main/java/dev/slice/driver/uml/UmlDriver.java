package dev.slice.driver.uml;

import dev.slice.driver.host.TapDevice;
import dev.slice.driver.BackendKind;
import dev.slice.driver.Driver;
import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestInfo;
import dev.slice.driver.GuestNotFoundException;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.HostContext;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.ProbeResult;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.Capability;
import dev.slice.driver.capability.HostInterface;
import dev.slice.driver.capability.Console;
import dev.slice.driver.capability.ConsoleStream;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestStats;
import dev.slice.driver.capability.Rescue;
import dev.slice.driver.capability.Snapshots;
import dev.slice.driver.capability.Stats;
import dev.slice.driver.firstboot.FirstBootSettings;
import dev.slice.driver.host.CpuCgroup;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.TrafficShaper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * User-Mode Linux guests: each guest is a {@code linux.uml} kernel running as host processes, detached
 * from Slice inside dtach (which holds its console), in its own CPU cgroup, jailed as its own host user
 * ({@link GuestJail}), with a copy-on-write disk over the template image. Everything the driver knows
 * lives in the guest's directory ({@link GuestDirectory}), so any driver instance finds and controls
 * any guest. Programs run inside through Slice's guest agent on the guest's second serial line
 * ({@link AgentLine}; benchmark templates only).
 */
public final class UmlDriver implements Driver, Console, Stats, GuestExec, HostInterface {
    /** The host end of the guest's link to the node bridge, where its firewall is. */
    @Override
    public String hostInterface(GuestId id) {
        return TapDevice.nameFor(TAP_PREFIX, id);
    }

    static final long MIN_MEMORY_MIB = 64;
    static final String CGROUP_PARENT = "slice-uml";
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration HALT = Duration.ofSeconds(5);
    private static final Duration REBOOT_STOP = Duration.ofSeconds(60);
    /** How long a start holds {@link #PINNING} for its kernel process to appear (it does within milliseconds). */
    private static final Duration PINNED = Duration.ofSeconds(5);
    private static final Object PINNING = new Object();
    private static final System.Logger LOG = System.getLogger(UmlDriver.class.getName());

    private final HostContext host;
    private final UmlSettings settings;
    private final Clock clock;
    private final TemplateImages images;
    private final SettingsDisk settingsDisk;
    /** The TAP of a UML guest is {@code uml-} and a hash of its id. */
    static final String TAP_PREFIX = "uml-";
    private final TapDevice taps;
    private final TrafficShaper shaper;
    private final GuestUsers users;
    private final GuestFirewall firewall;
    private final Optional<CpuCgroup> cgroup;
    private final UmlSnapshots snapshots;
    private final GuestConsoles consoles = new GuestConsoles();
    private final UmlRescue rescue;

    public UmlDriver(HostContext host, Clock clock) {
        this(host, clock, CpuCgroup.detect(Path.of("/sys/fs/cgroup"), CGROUP_PARENT));
    }

    UmlDriver(HostContext host, Clock clock, Optional<CpuCgroup> cgroup) {
        this.host = host;
        this.settings = UmlSettings.from(host);
        this.clock = clock;
        this.images = new TemplateImages(host);
        this.settingsDisk = new SettingsDisk(host.processes());
        this.taps = new TapDevice(host.processes());
        this.shaper = new TrafficShaper(host.processes());
        this.users = new GuestUsers(settings);
        this.firewall = new GuestFirewall(host.processes(), settings);
        this.cgroup = cgroup;
        this.snapshots = new UmlSnapshots(this, host.processes());
        this.rescue = new UmlRescue(this, images, settingsDisk, host.processes());
    }

    @Override
    public BackendKind kind() { return BackendKind.UML; }

    @Override
    public String name() { return "uml:" + settings.kernel(); }

    @Override
    public ProbeResult probe() {
        return new UmlProbe(host, settings, cgroup).probe();
    }

    // ---- lifecycle ----------------------------------------------------------------------------------

    @Override
    public void create(GuestSpec spec) {
        GuestDirectory guest = guest(spec.id());
        FirstBootSettings.of(spec); // refuses values that cannot reach a guest before anything is made
        String specHash = GuestRecord.specHash(spec);
        Optional<GuestRecord> existing = GuestRecord.read(guest.record());
        if (existing.isPresent()) {
            if (existing.get().specHash().equals(specHash)) return;
            throw new InvalidSpecException("UML guest " + spec.id() + " already exists with different settings;"
                    + " destroy it first to create it anew");
        }
        if (spec.resources().memoryMiB() < MIN_MEMORY_MIB) {
            throw new InvalidSpecException("UML guests need at least " + MIN_MEMORY_MIB + " MiB of memory, got "
                    + spec.resources().memoryMiB());
        }
        if (!images.exists(spec.template())) {
            throw new InvalidSpecException("OS template '" + spec.template() + "' has no UML image on this host");
        }
        Path base = images.baseImage(spec.template(), spec.resources().diskMiB());
        String tap = spec.network() == null ? null : TapDevice.nameFor(TAP_PREFIX, spec.id());
        users.withNewUid(spec.id(), uid -> {
            GuestRecord record = new GuestRecord(spec.id(), spec.template(), base, spec.resources().memoryMiB(),
                    spec.resources().vcpus(), spec.resources().diskMiB(), uid, spec.resources().bandwidthMbit(), tap,
                    spec.network() == null ? null : spec.network().mac(),
                    spec.network() == null ? null : spec.network().bridge(), specHash);
            build(spec, guest, record);
            return record;
        });
    }

    /** Built aside and moved into place whole: a crash half-way leaves no guest, and a retry starts over. */
    private void build(GuestSpec spec, GuestDirectory guest, GuestRecord record) {
        Path staging = settings.guests().resolve("." + spec.id().value() + ".creating");
        GuestDirectory staged = new GuestDirectory(spec.id(), staging);
        try {
            GuestDirectory.deleteTree(staging);
            Files.createDirectories(staged.ownDir());
            Files.setAttribute(staged.ownDir(), "unix:uid", Math.toIntExact(record.uid()));
            Files.setAttribute(staged.ownDir(), "unix:gid", Math.toIntExact(record.uid()));
            Files.setPosixFilePermissions(staged.ownDir(), PosixFilePermissions.fromString("rwx------"));
            settingsDisk.write(spec, staged.settingsDisk());
            // The guest reads its settings (root's password hash among them); no other host user may.
            Files.setAttribute(staged.settingsDisk(), "unix:uid", Math.toIntExact(record.uid()));
            Files.setPosixFilePermissions(staged.settingsDisk(), PosixFilePermissions.fromString("r--------"));
            record.write(staged.record());
            GuestDirectory.deleteTree(guest.dir());
            Files.move(staging, guest.dir(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            GuestDirectory.deleteTree(staging);
            throw new UncheckedIOException("could not create UML guest " + spec.id(), e);
        } catch (RuntimeException e) {
            GuestDirectory.deleteTree(staging);
            throw e;
        }
    }

    @Override
    public void start(GuestId id) {
        GuestDirectory guest = guest(id);
        GuestRecord record = require(guest);
        if (GuestProcess.find(guest).isPresent()) return;
        Optional<RescueRecord> rescue = RescueRecord.read(guest.rescueRecord());
        clearRuntimeFiles(guest);
        deleteQuietly(guest.bootLog());
        firewall.ensure();
        if (record.tap() != null) {
            taps.ensure(record.tap(), record.bridge(), record.uid());
            shaper.apply(record.tap(), record.bandwidthMbit());
        }
        List<String> argv = new ArrayList<>();
        cgroup.ifPresent(group -> {
            group.ensure(id, record.vcpus());
            argv.addAll(group.cgexec(id));
        });
        Path kernel = realKernel();
        AgentLine.ensurePipes(host.processes(), guest);
        // Starts at once (a burst) choose their CPUs one after another, each seeing the kernels started before it;
        // otherwise they all count the same running guests and all pin to the same CPU.
        synchronized (PINNING) {
            List<String> pinned = new ArrayList<>(argv);
            pinned.addAll(List.of("taskset", "--cpu-list", Integer.toString(CpuPinning.forNewGuest(running()))));
            pinned.addAll(List.of("dtach", "-n", guest.consoleSocket().toString(), "-E", "-r", "none"));
            pinned.addAll(DtachConsole.releasingTerminal(AgentLine.holdingPipes(guest,
                    GuestJail.wrap(kernel.getParent(), guest, record, rescue,
                            KernelCommandLine.of(kernel, settings, guest, record, rescue)))));
            host.processes().spawnDetached(HostCommand.of(pinned).in(guest.dir()), guest.bootLog());
            Deadline.await(clock, PINNED, () -> GuestProcess.find(guest).isPresent());
        }
        recordConsole(id, guest);
        // Started means the kernel runs and answers its management console, so stop and reboot work at once.
        if (!Deadline.await(clock, STARTUP, () -> GuestProcess.find(guest).isPresent() && answers(guest))) {
            throw new DriverException("UML guest " + id + " did not start within " + STARTUP + ": " + bootLogTail(guest));
        }
    }

    /**
     * Attaches Slice's recording of this boot's console as soon as dtach's socket is there, so that a viewer who comes
     * later (a browser reconnecting after the reboot) still gets the boot and its login prompt. Without it the guest
     * runs all the same; the first viewer then records from its own attach on.
     */
    private void recordConsole(GuestId id, GuestDirectory guest) {
        if (!Deadline.await(clock, PINNED, () -> Files.exists(guest.consoleSocket()))) return;
        try {
            consoles.record(id, guest.consoleSocket());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.INFO,
                    "UML guest {0}: its console is not recorded from the start: {1}", id, e.getMessage());
        }
    }

    private boolean answers(GuestDirectory guest) {
        if (!Files.exists(guest.mconsoleSocket())) return false;
        try {
            mconsole(guest).version();
            return true;
        } catch (DriverException notYet) {
            return false;
        }
    }

    @Override
    public void stop(GuestId id, StopMode mode) {
        GuestDirectory guest = guest(id);
        require(guest);
        Optional<GuestProcess> running = GuestProcess.find(guest);
        if (running.isEmpty()) {
            clearRuntimeFiles(guest);
            return;
        }
        GuestProcess kernel = running.get();
        Optional<ProcessHandle> console = kernel.consoleHolder();
        if (mode instanceof StopMode.Graceful graceful) {
            try {
                mconsole(guest).powerButton();
            } catch (DriverException notAnswering) {
                // Still booting or wedged: the deadline below ends in a forced stop either way.
            }
            if (Deadline.await(clock, graceful.timeout(), () -> !kernel.alive())) {
                awaitConsoleHolderExit(console);
                clearRuntimeFiles(guest);
                return;
            }
        }
        forceStop(guest, kernel);
    }

    private void forceStop(GuestDirectory guest, GuestProcess kernel) {
        Optional<ProcessHandle> console = kernel.consoleHolder();
        Mconsole mconsole = mconsole(guest);
        try {
            // Pulling the plug, but with the guest's dirty buffers written out first (SysRq "s").
            mconsole.sysrq('s');
        } catch (DriverException wedged) {
            // The kernel does not answer; halt and SIGKILL below do not need it to.
        }
        mconsole.halt();
        if (!Deadline.await(clock, HALT, () -> !kernel.alive())) {
            kernel.kill();
            if (!Deadline.await(clock, HALT, () -> !kernel.alive())) {
                throw new DriverException("UML guest " + guest.id() + " (pid " + kernel.pid() + ") survived SIGKILL");
            }
        }
        awaitConsoleHolderExit(console);
        clearRuntimeFiles(guest);
    }

    /** dtach leaves when its kernel does; if it lingers it is killed, so it cannot remove a later start's socket. */
    private void awaitConsoleHolderExit(Optional<ProcessHandle> console) {
        console.ifPresent(dtach -> {
            if (!Deadline.await(clock, HALT, () -> !dtach.isAlive())) {
                dtach.destroyForcibly();
                Deadline.await(clock, HALT, () -> !dtach.isAlive());
            }
        });
    }

    /** A clean restart: the guest shuts down (forced after a minute) and boots again. */
    @Override
    public void reboot(GuestId id) {
        GuestDirectory guest = guest(id);
        require(guest);
        stop(id, StopMode.graceful(REBOOT_STOP));
        start(id);
    }

    @Override
    public void destroy(GuestId id) {
        GuestDirectory guest = guest(id);
        GuestProcess.find(guest).ifPresent(kernel -> forceStop(guest, kernel));
        Optional<GuestRecord> record = Files.isDirectory(guest.dir()) ? readQuietly(guest) : Optional.empty();
        String tap = record.map(GuestRecord::tap).orElse(TapDevice.nameFor(TAP_PREFIX, id));
        if (tap != null) {
            shaper.remove(tap);
            taps.remove(tap);
        }
        cgroup.ifPresent(group -> group.remove(id));
        GuestDirectory.deleteTree(settings.guests().resolve("." + id.value() + ".creating"));
        GuestDirectory.deleteTree(guest.dir());
    }

    /** The kernels of all guests running on this host. */
    private List<GuestProcess> running() {
        return list().stream().filter(info -> info.state() == GuestState.RUNNING)
                .flatMap(info -> GuestProcess.find(guest(info.id())).stream())
                .toList();
    }

    @Override
    public GuestState state(GuestId id) {
        GuestDirectory guest = guest(id);
        if (GuestProcess.find(guest).isPresent()) return GuestState.RUNNING;
        return Files.isRegularFile(guest.record()) ? GuestState.STOPPED : GuestState.ABSENT;
    }

    @Override
    public List<GuestInfo> list() {
        if (!Files.isDirectory(settings.guests())) return List.of();
        List<GuestInfo> guests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(settings.guests())) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                if (name.startsWith(".")) continue;
                GuestId id;
                try {
                    id = GuestId.of(name);
                } catch (InvalidSpecException notAGuest) {
                    continue;
                }
                GuestState state = state(id);
                if (state != GuestState.ABSENT) guests.add(new GuestInfo(id, state));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + settings.guests(), e);
        }
        return guests;
    }

    // ---- capabilities -------------------------------------------------------------------------------

    /** Copies of the stopped guest's copy-on-write disk ({@link UmlSnapshots}); rescue systems ({@link UmlRescue}). */
    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        if (type == Snapshots.class) return Optional.of(type.cast(snapshots));
        if (type == Rescue.class) return Optional.of(type.cast(rescue));
        return Driver.super.capability(type);
    }

    @Override
    public ConsoleStream open(GuestId id) {
        GuestDirectory guest = guest(id);
        require(guest);
        if (GuestProcess.find(guest).isEmpty()) {
            throw new DriverException("UML guest " + id + " is not running; start it to use its console");
        }
        try {
            return consoles.open(id, guest.consoleSocket());
        } catch (IOException e) {
            throw new DriverException("could not attach to the console of UML guest " + id + " at "
                    + guest.consoleSocket() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public GuestStats read(GuestId id) {
        GuestDirectory guest = guest(id);
        GuestRecord record = require(guest);
        Optional<GuestProcess> running = GuestProcess.find(guest);
        long cpu = cgroup.map(group -> group.cpuTimeNanos(id)).orElse(-1L);
        long[] net = record.tap() == null ? new long[] {-1, -1} : TapDevice.guestRxTx(record.tap());
        if (running.isEmpty()) return new GuestStats(cpu, 0, -1, -1, net[0], net[1]);
        long[] storage = running.get().storageBytes();
        return new GuestStats(cpu, running.get().proportionalSetBytes(), storage[0], storage[1], net[0], net[1]);
    }

    @Override
    public ExecResult exec(GuestId id, ExecCommand command) {
        GuestDirectory guest = guest(id);
        return AgentLine.exec(guest, runningKernel(guest, "run programs in it"), command);
    }

    @Override
    public void copyIn(GuestId id, Path hostFile, String guestPath, boolean executable) {
        GuestDirectory guest = guest(id);
        AgentLine.copyIn(guest, runningKernel(guest, "copy files into it"), hostFile, guestPath, executable);
    }

    private GuestProcess runningKernel(GuestDirectory guest, String toDo) {
        require(guest);
        return GuestProcess.find(guest).orElseThrow(() ->
                new DriverException("UML guest " + guest.id() + " is not running; start it to " + toDo));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    Optional<CpuCgroup> cgroup() { return cgroup; }

    /** The kernel file itself (the setting may name a symbolic link that a kernel update moves). */
    private Path realKernel() {
        try {
            return settings.kernel().toRealPath();
        } catch (IOException e) {
            throw new DriverException("the UML kernel " + settings.kernel() + " is missing; run deploy/uml/setup.sh", e);
        }
    }

    GuestDirectory guest(GuestId id) { return GuestDirectory.of(settings, id); }

    Mconsole mconsole(GuestDirectory guest) { return new Mconsole(host.processes(), guest.mconsoleSocket()); }

    private GuestRecord require(GuestDirectory guest) {
        return GuestRecord.read(guest.record()).orElseThrow(() -> new GuestNotFoundException(guest.id()));
    }

    private static Optional<GuestRecord> readQuietly(GuestDirectory guest) {
        try {
            return GuestRecord.read(guest.record());
        } catch (DriverException unreadable) {
            return Optional.empty();
        }
    }

    /** What a stopped or killed kernel leaves behind: its umid directory and dtach's socket. */
    private static void clearRuntimeFiles(GuestDirectory guest) {
        GuestDirectory.deleteTree(guest.umlDir());
        try {
            Files.deleteIfExists(guest.consoleSocket());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String bootLogTail(GuestDirectory guest) {
        try {
            String log = Files.isRegularFile(guest.bootLog()) ? Files.readString(guest.bootLog()) : "";
            return log.isBlank() ? "no output in " + guest.bootLog()
                    : "see " + guest.bootLog() + ":\n" + log.substring(Math.max(0, log.length() - 2000));
        } catch (IOException e) {
            return "its boot log " + guest.bootLog() + " is unreadable";
        }
    }
}
