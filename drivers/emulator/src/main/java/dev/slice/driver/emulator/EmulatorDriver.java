package dev.slice.driver.emulator;

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
import dev.slice.driver.capability.Console;
import dev.slice.driver.capability.HostInterface;
import dev.slice.driver.capability.CoalescingWindowResize;
import dev.slice.driver.capability.ConsoleStream;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestStats;
import dev.slice.driver.capability.Stats;
import dev.slice.driver.capability.Suspend;
import dev.slice.driver.firstboot.FirstBootSettings;
import dev.slice.driver.host.CpuCgroup;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.TapDevice;
import dev.slice.driver.host.TrafficShaper;
import dev.slice.emulator.devices.CowOverlay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Slice's RISC-V machine as a backend: each guest is its own emulator process (one JVM), started through the
 * launcher deploy/emulator/slice-emulator with its AOT cache, detached from Slice in a session of its own and
 * in its own CPU cgroup. Its disk is a copy-on-write overlay over the template's image, its UART a Unix socket
 * in the guest's directory ({@link SocketConsole}), and SIGTERM its power button (the busybox guest's init powers
 * off; Debian is asked through its guest agent, see {@link #stop}).
 * Everything lives in the guest's directory ({@link GuestDirectory}), so any driver instance adopts any guest.
 * A spec's network becomes a virtio-net card on a persistent TAP that the driver makes on the node bridge (owned
 * by the user the emulator runs as, shaped to the plan's bandwidth) and the emulator opens by name
 * ({@link GuestNetwork}).
 */
public final class EmulatorDriver implements Driver, Console, Stats, GuestExec, Suspend, HostInterface {
    /** The guest's console UART, as the guest names it (console=ttyS0). */
    private static final String CONSOLE_TTY = "/dev/ttyS0";
    /** One stty through the agent: a slow emulated guest answers within seconds. */
    private static final Duration CONSOLE_RESIZE = Duration.ofSeconds(15);
    private static final System.Logger LOG = System.getLogger(EmulatorDriver.class.getName());

    /** The host end of the guest's link to the node bridge, where its firewall is. */
    @Override
    public String hostInterface(GuestId id) {
        return GuestNetwork.tapFor(id);
    }

    static final String CGROUP_PARENT = "slice-emulator";
    /** One hart per vCPU, each a host thread; the busybox guest's kernel is built with NR_CPUS=8. */
    static final int MAX_VCPUS = 8;
    static final long MIN_MEMORY_MIB = 64;
    static final long MAX_MEMORY_MIB = 16 * 1024;
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration KILL = Duration.ofSeconds(10);
    private static final Duration REBOOT_STOP = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(20);
    /** The guest agent's answer to telinit: the greeting and one short program, on a machine that may be busy. */
    private static final Duration AGENT_POWER_OFF = Duration.ofSeconds(45);

    private final EmulatorSettings settings;
    private final GuestTemplates templates;
    private final Clock clock;
    private final Optional<CpuCgroup> cgroup;
    private final HostContext host;
    private final RootDiskSettings settingsWriter;
    private final TapDevice taps;
    private final TrafficShaper shaper;

    public EmulatorDriver(HostContext host, Clock clock) {
        this(host, clock, CpuCgroup.detect(Path.of("/sys/fs/cgroup"), CGROUP_PARENT));
    }

    EmulatorDriver(HostContext host, Clock clock, Optional<CpuCgroup> cgroup) {
        this.host = host;
        this.settings = EmulatorSettings.from(host);
        this.templates = new GuestTemplates(settings);
        this.clock = clock;
        this.cgroup = cgroup;
        this.settingsWriter = new RootDiskSettings(host.processes());
        this.taps = new TapDevice(host.processes());
        this.shaper = new TrafficShaper(host.processes());
    }

    @Override
    public BackendKind kind() { return BackendKind.EMULATOR; }

    @Override
    public String name() { return "emulator:" + settings.guests(); }

    @Override
    public ProbeResult probe() { return new EmulatorProbe(settings, templates, cgroup).probe(); }

    // ---- lifecycle ----------------------------------------------------------------------------------

    @Override
    public void create(GuestSpec spec) {
        GuestDirectory guest = guest(spec.id());
        String specHash = GuestTemplates.sha256(spec.toString());
        Optional<GuestRecord> existing = GuestRecord.read(guest.record());
        if (existing.isPresent()) {
            if (existing.get().specHash().equals(specHash)) return;
            throw new InvalidSpecException("emulator guest " + spec.id() + " already exists with different settings;"
                    + " destroy it first to create it anew");
        }
        validate(spec, guest);
        GuestTemplates.Template template = templates.resolve(spec.template());
        if (template.rootDisk()) FirstBootSettings.of(spec); // a value that cannot reach the guest is refused, naming it
        long diskBytes = spec.resources().diskMiB() << 20;
        try {
            if (Files.size(template.disk()) > diskBytes) {
                throw new InvalidSpecException("a disk of " + spec.resources().diskMiB() + " MiB is smaller than the image of"
                        + " OS template '" + spec.template() + "' (" + (Files.size(template.disk()) >> 20) + " MiB)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path base = templates.base(template);
        // The busybox guest learns its hostname from the command line; a root-disk template reads its settings file.
        String append = template.rootDisk() ? template.append() : template.append() + " slice.hostname=" + spec.hostname();
        GuestRecord record = new GuestRecord(spec.id(), spec.template(), template.kernel(), template.initrd(),
                append, spec.resources().memoryMiB(), spec.resources().vcpus(), spec.resources().diskMiB(), specHash);
        build(guest, record, GuestNetwork.of(spec), base, diskBytes, staged -> {
            if (template.rootDisk()) settingsWriter.write(spec, base, staged.disk(), staged.dir());
        });
    }

    private void validate(GuestSpec spec, GuestDirectory guest) {
        if (spec.resources().vcpus() > MAX_VCPUS) {
            throw new InvalidSpecException("the emulator runs one hart per vCPU, at most " + MAX_VCPUS + " per guest; vCPUs "
                    + spec.resources().vcpus() + " is more than that");
        }
        long memory = spec.resources().memoryMiB();
        if (memory < MIN_MEMORY_MIB || memory > MAX_MEMORY_MIB) {
            throw new InvalidSpecException("emulator guests take " + MIN_MEMORY_MIB + " to " + MAX_MEMORY_MIB
                    + " MiB of memory (one Java array), got " + memory);
        }
        if (guest.consoleSocket().toString().length() > GuestDirectory.MAX_SOCKET_PATH) {
            throw new InvalidSpecException("guest id " + spec.id() + " makes the console socket path "
                    + guest.consoleSocket() + " longer than a Unix socket allows; use a shorter id or data directory");
        }
    }

    /** Built aside and moved into place whole: a crash half-way leaves no guest, and a retry starts over. */
    private void build(GuestDirectory guest, GuestRecord record, Optional<GuestNetwork> network, Path base, long diskBytes,
                       Consumer<GuestDirectory> prepare) {
        Path staging = settings.guests().resolve("." + guest.id().value() + ".creating");
        GuestDirectory staged = new GuestDirectory(guest.id(), staging);
        try {
            GuestDirectory.deleteTree(staging);
            Files.createDirectories(staging);
            CowOverlay.create(staged.disk(), base, diskBytes);
            prepare.accept(staged);
            network.ifPresent(n -> n.write(staged.network()));
            record.write(staged.record());
            GuestDirectory.deleteTree(guest.dir());
            Files.move(staging, guest.dir(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            GuestDirectory.deleteTree(staging);
            throw new UncheckedIOException("could not create emulator guest " + guest.id(), e);
        } catch (RuntimeException e) {
            GuestDirectory.deleteTree(staging);
            throw e;
        }
    }

    @Override
    public void start(GuestId id) {
        GuestDirectory guest = guest(id);
        GuestRecord record = require(guest);
        if (EmulatorProcess.find(guest).isPresent()) return;
        clearRuntimeFiles(guest);
        Optional<GuestNetwork> network = GuestNetwork.read(guest.network());
        network.ifPresent(this::attach);
        Path launcher = settings.launcher().orElseThrow(() -> new DriverException(
                "the emulator launcher deploy/emulator/slice-emulator was not found; set emulator.launcher"));
        List<String> argv = new ArrayList<>();
        cgroup.ifPresent(group -> {
            group.ensure(id, record.vcpus());
            argv.addAll(group.cgexec(id));
        });
        argv.addAll(List.of(launcher.toString(), "--kernel", record.kernel().toString()));
        if (record.initrd() != null) argv.addAll(List.of("--initrd", record.initrd().toString()));
        argv.addAll(List.of("--disk", guest.disk().toString(), "--memory", record.memoryMiB() + "M",
                "--smp", Integer.toString(record.vcpus()),
                // The busybox guest's kernel configures eth0 from ip=; a root-disk template reads its settings file.
                "--append", network.filter(n -> !rootDisk(record)).map(n -> record.append() + " " + n.kernelArgument())
                        .orElse(record.append()),
                "--console", "unix:" + guest.consoleSocket(),
                "--agent-line", "unix:" + guest.agentSocket(),
                "--pid-file", guest.pidFile().toString(),
                "--state", guest.machineState().toString()));
        // A suspended guest goes on from its saved machine (the emulator deletes the file once it is restored).
        boolean resuming = Files.isRegularFile(guest.machineState());
        if (resuming) argv.add("--resume");
        network.ifPresent(n -> argv.addAll(n.emulatorArguments()));
        HostCommand command = HostCommand.of(argv).in(guest.dir())
                .withEnv("JAVA_HOME", settings.javaHome().toString())
                .withEnv("SLICE_DATA", host.dataDir().toString());
        if (settings.jar().isPresent()) command = command.withEnv("SLICE_EMULATOR_JAR", settings.jar().get().toString());
        host.processes().spawnDetached(command, guest.log());
        // Started means the emulator runs and its console listens, so console, stop and reboot work at once.
        if (!await(STARTUP, () -> EmulatorProcess.find(guest).isPresent() && Files.exists(guest.consoleSocket()))) {
            throw new DriverException("emulator guest " + id + " did not start within " + STARTUP + ": " + logTail(guest));
        }
        // Resumed means restored: the emulator has read the state (and deleted it) and runs the guest on from there.
        if (resuming && (!await(STARTUP, () -> !Files.exists(guest.machineState()) || EmulatorProcess.find(guest).isEmpty())
                || Files.exists(guest.machineState()))) {
            throw new DriverException("emulator guest " + id + " could not resume from " + guest.machineState()
                    + " (delete it to boot the guest afresh): " + logTail(guest));
        }
        if (resuming) stepClock(guest);
    }

    /**
     * After a resume the guest's clock source goes on from the saved machine (no jump), and its wall clock is stepped
     * to the host's time through the guest agent ({@link GuestClock}). A guest whose agent does not answer keeps the
     * clock it had when it was suspended; the start itself has succeeded (the guest runs), so that is logged only.
     */
    private void stepClock(GuestDirectory guest) {
        StringBuilder failure = new StringBuilder();
        GuestClock.step(guest, clock, failure).ifPresentOrElse(
                step -> LOG.log(System.Logger.Level.INFO, "emulator guest {0} resumed: its wall clock was stepped {1} s forward"
                        + " to the host''s time ({2})", guest.id(), step.forwardSeconds(), step.hostAt()),
                () -> LOG.log(System.Logger.Level.WARNING, "emulator guest {0} resumed, but its wall clock could not be stepped"
                        + " to the host''s time (it keeps the time it was suspended at): {1}", guest.id(), failure));
    }

    @Override
    public void stop(GuestId id, StopMode mode) {
        GuestDirectory guest = guest(id);
        GuestRecord record = require(guest);
        Optional<EmulatorProcess> running = EmulatorProcess.find(guest);
        if (running.isEmpty()) {
            clearRuntimeFiles(guest);
            return;
        }
        EmulatorProcess emulator = running.get();
        if (mode instanceof StopMode.Graceful graceful) {
            Instant deadline = clock.instant().plus(graceful.timeout());
            if (rootDisk(record)) askToPowerOff(guest, graceful.timeout());
            // SIGTERM is the emulator's power button: the busybox guest's init watches it (hvc0) and powers off, and
            // the process ends with the guest.
            emulator.handle().ifPresent(ProcessHandle::destroy);
            if (await(Duration.between(clock.instant(), deadline), () -> !emulator.alive())) {
                clearRuntimeFiles(guest);
                return;
            }
        }
        forceStop(guest, emulator);
    }

    /**
     * Debian's init does not listen to the power button (hvc0): the guest is asked through Slice's guest agent on
     * its second UART to go to runlevel 0, so sysvinit stops its services, unmounts the root and powers off (SBI
     * SRST), and the process ends. telinit returns at once; a guest whose agent does not answer (still booting,
     * hung) gets the power button and then the deadline's SIGKILL, like any other.
     */
    private void askToPowerOff(GuestDirectory guest, Duration timeout) {
        Duration call = timeout.compareTo(AGENT_POWER_OFF) < 0 ? timeout : AGENT_POWER_OFF;
        if (call.isZero() || call.isNegative() || !Files.exists(guest.agentSocket())) return;
        try {
            AgentUart.client(guest).exec(GuestExec.ExecCommand.of(call, "/sbin/telinit", "0"));
        } catch (DriverException noAnswer) {
            // the deadline below decides
        }
    }

    private void forceStop(GuestDirectory guest, EmulatorProcess emulator) {
        emulator.handle().ifPresent(ProcessHandle::destroyForcibly);
        if (!await(KILL, () -> !emulator.alive())) {
            throw new DriverException("emulator guest " + guest.id() + " (pid " + emulator.pid() + ") survived SIGKILL");
        }
        clearRuntimeFiles(guest);
    }

    /** A clean restart: the guest shuts down (forced after a minute) and boots again in a fresh process. */
    @Override
    public void reboot(GuestId id) {
        require(guest(id));
        stop(id, StopMode.graceful(REBOOT_STOP));
        start(id);
    }

    @Override
    public void destroy(GuestId id) {
        GuestDirectory guest = guest(id);
        EmulatorProcess.find(guest).ifPresent(emulator -> forceStop(guest, emulator));
        cgroup.ifPresent(group -> removeCgroup(group, id));
        detach(GuestNetwork.tapFor(id));
        GuestDirectory.deleteTree(settings.guests().resolve("." + id.value() + ".creating"));
        GuestDirectory.deleteTree(guest.dir());
    }

    @Override
    public GuestState state(GuestId id) {
        GuestDirectory guest = guest(id);
        if (!Files.isRegularFile(guest.record())) return GuestState.ABSENT;
        return EmulatorProcess.find(guest).isPresent() ? GuestState.RUNNING : GuestState.STOPPED;
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

    /**
     * SIGUSR1 makes the emulator stop its machine between two instructions, write it whole to {@code machine.state}
     * in the guest's directory and exit; the next {@link #start} resumes from it. A guest of several vCPUs is saved
     * whole: every hart stops at an instruction boundary before any is written.
     */
    @Override
    public void suspend(GuestId id, Duration timeout) {
        GuestDirectory guest = guest(id);
        require(guest);
        EmulatorProcess emulator = EmulatorProcess.find(guest).orElseThrow(() -> new DriverException(
                "emulator guest " + id + " is not running; only a running guest can be suspended"));
        if (!commandLine(emulator).contains("--state")) {
            throw new DriverException("emulator guest " + id + " was started by a Slice without suspend; stop and start it"
                    + " once to be able to suspend it");
        }
        host.processes().runChecked(HostCommand.of("kill", "-USR1", Long.toString(emulator.pid())).withTimeout(KILL));
        if (!await(timeout, () -> !emulator.alive())) {
            throw new DriverException("emulator guest " + id + " did not finish saving its machine within " + timeout
                    + " (it keeps running): " + logTail(guest));
        }
        clearRuntimeFiles(guest);
        if (!Files.isRegularFile(guest.machineState())) {
            throw new DriverException("emulator guest " + id + " stopped without writing its machine state (it will boot"
                    + " afresh): " + logTail(guest));
        }
    }

    @Override
    public void resume(GuestId id) {
        GuestDirectory guest = guest(id);
        require(guest);
        if (EmulatorProcess.find(guest).isPresent()) throw new DriverException("emulator guest " + id + " is already running");
        if (!Files.isRegularFile(guest.machineState())) {
            throw new DriverException("emulator guest " + id + " is not suspended (no " + guest.machineState() + ")");
        }
        start(id);
    }

    @Override
    public boolean isSuspended(GuestId id) {
        GuestDirectory guest = guest(id);
        require(guest);
        return Files.isRegularFile(guest.machineState()) && EmulatorProcess.find(guest).isEmpty();
    }

    private static String commandLine(EmulatorProcess emulator) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(emulator.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public ConsoleStream open(GuestId id) {
        GuestDirectory guest = guest(id);
        require(guest);
        if (EmulatorProcess.find(guest).isEmpty()) {
            throw new DriverException("emulator guest " + id + " is not running; start it to use its console");
        }
        try {
            return SocketConsole.attach(guest.consoleSocket(), consoleResize(guest));
        } catch (IOException e) {
            throw new DriverException("could not attach to the console of emulator guest " + id + " at "
                    + guest.consoleSocket() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The console is the guest's first UART (ttyS0, where both templates' shell or getty runs): its size is set with
     * stty through the guest agent on the second, coalesced, since each call is a round trip to an emulated machine.
     * A guest started without an agent line (by an earlier Slice) has no resize.
     */
    private Optional<ConsoleStream.WindowResize> consoleResize(GuestDirectory guest) {
        if (!Files.exists(guest.agentSocket())) return Optional.empty();
        return Optional.of(CoalescingWindowResize.sttyThroughExec(this, guest.id(), CONSOLE_TTY, CONSOLE_RESIZE));
    }

    @Override
    public ExecResult exec(GuestId id, ExecCommand command) {
        return AgentUart.client(runningGuest(id)).exec(command);
    }

    @Override
    public void copyIn(GuestId id, Path hostFile, String guestPath, boolean executable) {
        AgentUart.client(runningGuest(id)).copyIn(hostFile, guestPath, executable);
    }

    private GuestDirectory runningGuest(GuestId id) {
        GuestDirectory guest = guest(id);
        require(guest);
        if (EmulatorProcess.find(guest).isEmpty()) {
            throw new DriverException("emulator guest " + id + " is not running; start it to run programs in it");
        }
        return guest;
    }

    /** CPU time from the guest's cgroup; memory as the emulator's PSS (JVM and guest RAM); disk from /proc/PID/io. */
    @Override
    public GuestStats read(GuestId id) {
        GuestDirectory guest = guest(id);
        require(guest);
        long cpu = cgroup.map(group -> group.cpuTimeNanos(id)).orElse(-1L);
        long[] net = GuestNetwork.read(guest.network()).map(n -> TapDevice.guestCounters(n.tap()))
                .orElse(new long[] {-1, -1, -1, -1});
        Optional<EmulatorProcess> running = EmulatorProcess.find(guest);
        if (running.isEmpty()) return new GuestStats(cpu, 0, -1, -1, net[0], net[1], net[2], net[3]);
        EmulatorProcess emulator = running.get();
        return new GuestStats(cpu, emulator.proportionalSetBytes(), emulator.storageReadBytes(),
                emulator.storageWriteBytes(), net[0], net[1], net[2], net[3]);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** Whether the guest boots from its disk (its network comes from the settings file, not from {@code ip=}). */
    private boolean rootDisk(GuestRecord record) {
        return templates.resolve(record.template()).rootDisk();
    }

    /** The TAP on the bridge, owned by the user the emulator runs as (this process's), shaped to the plan. */
    private void attach(GuestNetwork network) {
        taps.ensure(network.tap(), network.bridge(), currentUid());
        shaper.apply(network.tap(), network.bandwidthMbit());
    }

    /** Removes the shaping (and its IFB device) and the TAP; absent ones are fine. */
    private void detach(String tap) {
        shaper.remove(tap);
        taps.remove(tap);
    }

    private static long currentUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            throw new DriverException("cannot tell which user Slice runs as (for the owner of the guest's TAP): " + e.getMessage(), e);
        }
    }

    /** A killed process leaves its cgroup only once its parent (init) has reaped it: retry for a while. */
    private void removeCgroup(CpuCgroup group, GuestId id) {
        boolean removed = await(KILL, () -> {
            try {
                group.remove(id);
                return true;
            } catch (DriverException stillBusy) {
                return false;
            }
        });
        if (!removed) group.remove(id); // throws, naming the group
    }

    Optional<CpuCgroup> cgroup() { return cgroup; }

    GuestDirectory guest(GuestId id) { return GuestDirectory.of(settings, id); }

    private GuestRecord require(GuestDirectory guest) {
        return GuestRecord.read(guest.record()).orElseThrow(() -> new GuestNotFoundException(guest.id()));
    }

    private static void clearRuntimeFiles(GuestDirectory guest) {
        try {
            Files.deleteIfExists(guest.pidFile());
            Files.deleteIfExists(guest.processFile());
            Files.deleteIfExists(guest.consoleSocket());
            Files.deleteIfExists(guest.agentSocket());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the condition held before {@code timeout} passed on the injected clock. */
    private boolean await(Duration timeout, BooleanSupplier condition) {
        Instant end = clock.instant().plus(timeout);
        while (true) {
            if (condition.getAsBoolean()) return true;
            if (!clock.instant().isBefore(end)) return false;
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
    }

    private static String logTail(GuestDirectory guest) {
        try {
            String log = Files.isRegularFile(guest.log()) ? Files.readString(guest.log()) : "";
            return log.isBlank() ? "no output in " + guest.log()
                    : "see " + guest.log() + ":\n" + log.substring(Math.max(0, log.length() - 2000));
        } catch (IOException e) {
            return "its log " + guest.log() + " is unreadable";
        }
    }
}
