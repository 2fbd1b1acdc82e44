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
import dev.slice.driver.capability.ConsoleStream;
import dev.slice.driver.capability.GuestStats;
import dev.slice.driver.capability.Stats;
import dev.slice.driver.host.CpuCgroup;
import dev.slice.driver.host.HostCommand;
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
import java.util.stream.Stream;

/**
 * Slice's RISC-V machine as a backend: each guest is its own emulator process (one JVM), started through the
 * launcher deploy/emulator/slice-emulator with its AOT cache, detached from Slice in a session of its own and
 * in its own CPU cgroup. Its disk is a copy-on-write overlay over the template's image, its UART a Unix socket
 * in the guest's directory ({@link SocketConsole}), and SIGTERM its power button (the guest's init powers off).
 * Everything lives in the guest's directory ({@link GuestDirectory}), so any driver instance adopts any guest.
 */
public final class EmulatorDriver implements Driver, Console, Stats {
    static final String CGROUP_PARENT = "slice-emulator";
    /** The machine has one hart; a plan with more vCPUs waits for SMP. */
    static final int MAX_VCPUS = 1;
    static final long MIN_MEMORY_MIB = 64;
    static final long MAX_MEMORY_MIB = 16 * 1024;
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration KILL = Duration.ofSeconds(10);
    private static final Duration REBOOT_STOP = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(20);

    private final EmulatorSettings settings;
    private final GuestTemplates templates;
    private final Clock clock;
    private final Optional<CpuCgroup> cgroup;
    private final HostContext host;

    public EmulatorDriver(HostContext host, Clock clock) {
        this(host, clock, CpuCgroup.detect(Path.of("/sys/fs/cgroup"), CGROUP_PARENT));
    }

    EmulatorDriver(HostContext host, Clock clock, Optional<CpuCgroup> cgroup) {
        this.host = host;
        this.settings = EmulatorSettings.from(host);
        this.templates = new GuestTemplates(settings);
        this.clock = clock;
        this.cgroup = cgroup;
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
        GuestRecord record = new GuestRecord(spec.id(), spec.template(), template.kernel(), template.initrd(),
                template.append() + " slice.hostname=" + spec.hostname(), spec.resources().memoryMiB(),
                spec.resources().vcpus(), spec.resources().diskMiB(), specHash);
        build(guest, record, base, diskBytes);
    }

    private void validate(GuestSpec spec, GuestDirectory guest) {
        if (spec.resources().vcpus() > MAX_VCPUS) {
            throw new InvalidSpecException("the emulator runs one hart per guest until SMP is added; vCPUs "
                    + spec.resources().vcpus() + " is more than " + MAX_VCPUS);
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
    private void build(GuestDirectory guest, GuestRecord record, Path base, long diskBytes) {
        Path staging = settings.guests().resolve("." + guest.id().value() + ".creating");
        GuestDirectory staged = new GuestDirectory(guest.id(), staging);
        try {
            GuestDirectory.deleteTree(staging);
            Files.createDirectories(staging);
            CowOverlay.create(staged.disk(), base, diskBytes);
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
                "--append", record.append(), "--console", "unix:" + guest.consoleSocket(),
                "--pid-file", guest.pidFile().toString()));
        HostCommand command = HostCommand.of(argv).in(guest.dir())
                .withEnv("JAVA_HOME", settings.javaHome().toString())
                .withEnv("SLICE_DATA", host.dataDir().toString());
        if (settings.jar().isPresent()) command = command.withEnv("SLICE_EMULATOR_JAR", settings.jar().get().toString());
        host.processes().spawnDetached(command, guest.log());
        // Started means the emulator runs and its console listens, so console, stop and reboot work at once.
        if (!await(STARTUP, () -> EmulatorProcess.find(guest).isPresent() && Files.exists(guest.consoleSocket()))) {
            throw new DriverException("emulator guest " + id + " did not start within " + STARTUP + ": " + logTail(guest));
        }
    }

    @Override
    public void stop(GuestId id, StopMode mode) {
        GuestDirectory guest = guest(id);
        require(guest);
        Optional<EmulatorProcess> running = EmulatorProcess.find(guest);
        if (running.isEmpty()) {
            clearRuntimeFiles(guest);
            return;
        }
        EmulatorProcess emulator = running.get();
        if (mode instanceof StopMode.Graceful graceful) {
            // SIGTERM is the emulator's power button: the guest is asked to power off, and the process ends with it.
            emulator.handle().ifPresent(ProcessHandle::destroy);
            if (await(graceful.timeout(), () -> !emulator.alive())) {
                clearRuntimeFiles(guest);
                return;
            }
        }
        forceStop(guest, emulator);
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

    @Override
    public ConsoleStream open(GuestId id) {
        GuestDirectory guest = guest(id);
        require(guest);
        if (EmulatorProcess.find(guest).isEmpty()) {
            throw new DriverException("emulator guest " + id + " is not running; start it to use its console");
        }
        try {
            return SocketConsole.attach(guest.consoleSocket());
        } catch (IOException e) {
            throw new DriverException("could not attach to the console of emulator guest " + id + " at "
                    + guest.consoleSocket() + ": " + e.getMessage(), e);
        }
    }

    /** CPU time from the guest's cgroup; memory as the emulator's PSS (JVM and guest RAM); disk from /proc/PID/io. */
    @Override
    public GuestStats read(GuestId id) {
        GuestDirectory guest = guest(id);
        require(guest);
        long cpu = cgroup.map(group -> group.cpuTimeNanos(id)).orElse(-1L);
        Optional<EmulatorProcess> running = EmulatorProcess.find(guest);
        if (running.isEmpty()) return new GuestStats(cpu, 0, -1, -1, -1, -1);
        EmulatorProcess emulator = running.get();
        return new GuestStats(cpu, emulator.proportionalSetBytes(), emulator.storageReadBytes(),
                emulator.storageWriteBytes(), -1, -1);
    }

    // ---- helpers ------------------------------------------------------------------------------------

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
