package dev.slice.emulator;

import dev.slice.emulator.console.SerialBackend;
import dev.slice.emulator.console.StreamSerial;
import dev.slice.emulator.console.UnixSocketSerial;
import dev.slice.emulator.devices.VirtioNet;
import dev.slice.emulator.net.TapBackend;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Command line: {@code java -cp ... dev.slice.emulator.Main --kernel Image [--initrd x] [--disk img]
 * [--memory 256M] [--append "console=ttyS0"] [--console stdio|tcp:PORT|unix:PATH] [--bios java|none|FW_DYNAMIC.BIN]
 * [--smp HARTS] [--pid-file FILE] [--agent-line unix:PATH] [--stats] [--net tap:NAME [--mac 52:54:00:12:34:56]]
 * [--state FILE [--resume]]}.
 * {@code --stats} prints on stderr at exit the instructions per second and, per hart, its instructions, traps
 * (interrupts among them), WFI sleeps, pause hints, the remote fences it did for other harts and its own remote-fence
 * waits that ran out (for diagnosis); also when SIGTERM arrives, before the guest is asked to power off. {@code --net tap:NAME} gives the machine a
 * virtio network card on the existing TAP device NAME (made beforehand, owned by this process's user). A disk that is a copy-on-write overlay ({@code devices.CowOverlay}) is recognised by its header.
 * With {@code --bios none} the kernel file is a bare-metal program entered in M-mode (the test programs);
 * {@code --bios FILE} runs M-mode firmware with the fw_dynamic hand-off (OpenSBI's fw_dynamic.bin) before the kernel.
 * Exits with the guest's power-off code. A guest reboot starts the machine afresh in the same process.
 * SIGTERM is the power button: the guest is asked to shut down ({@link Machine#requestPowerOff}) and the process
 * exits when it has powered off (whoever sent SIGTERM decides how long to wait before SIGKILL).
 * SIGUSR1 suspends, with {@code --state FILE}: the machine stops between two batches of instructions, its whole
 * state goes to FILE ({@link MachineSnapshot}), the disk is closed and the process exits with 0; {@code --resume}
 * starts from FILE instead of booting (and deletes it once restored: the disk moves on from there, so the state
 * can never be resumed twice). A machine of several harts is saved once every hart's thread has ended at an
 * instruction boundary (see {@link SmpRunner}).
 */
public final class Main {
    private static final AtomicReference<Machine> RUNNING = new AtomicReference<>();
    /** Where SIGUSR1 writes the machine ({@code --state}); null: SIGUSR1 is refused. */
    private static volatile Path stateFile;
    private static final CountDownLatch FINISHED = new CountDownLatch(1);
    /** --stats: the counters are also printed when SIGTERM arrives (a crawling guest can be looked at as it stops). */
    private static volatile boolean statsOnSigterm;
    private static volatile long startedAt;

    private Main() { }

    /** Exit code for a command line or image the emulator cannot run (a guest's own codes come from its power-off). */
    static final int EXIT_BAD_INPUT = 2;

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(Main::powerButton, "power-button"));
        sun.misc.Signal.handle(new sun.misc.Signal("USR1"), signal -> suspendButton());
        int code;
        try {
            code = run(args);
        } catch (IllegalArgumentException | java.nio.file.NoSuchFileException e) {
            // the operator's mistake, not the emulator's: one clear line, no stack trace
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file: " + e.getMessage() : e.getMessage();
            System.err.println("slice-emulator: " + why);
            code = EXIT_BAD_INPUT;
        } finally {
            FINISHED.countDown();
        }
        System.out.flush();
        System.exit(code);
    }

    /** On SIGTERM: ask the running guest to power off and let the JVM end only once it has (and its disk is closed). */
    private static void powerButton() {
        Machine m = RUNNING.get();
        if (m == null || FINISHED.getCount() == 0) return;
        System.err.println("[slice-emulator] SIGTERM: asking the guest to power off");
        if (statsOnSigterm) printStats(m, (System.nanoTime() - startedAt) / 1e9);
        m.requestPowerOff();
        try {
            FINISHED.await(1, TimeUnit.HOURS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On SIGUSR1: stop the machine at an instruction boundary; {@link #run} then writes it to the state file and ends. */
    private static void suspendButton() {
        Machine m = RUNNING.get();
        if (m == null || FINISHED.getCount() == 0) return;
        if (stateFile == null) {
            System.err.println("[slice-emulator] SIGUSR1: no --state file to suspend to; the guest keeps running");
        } else {
            System.err.println("[slice-emulator] SIGUSR1: suspending the machine to " + stateFile);
            m.requestSuspend();
        }
    }

    /** Runs a machine as the command line describes; returns the guest's power-off code. */
    public static int run(String... args) throws Exception {
        Path kernel = null, initrd = null, disk = null, pidFile = null;
        long memory = 256L << 20;
        String append = "console=ttyS0 earlycon=sbi";
        String console = "stdio";
        Machine.Firmware firmware = Machine.Firmware.JAVA_SBI;
        byte[] firmwareImage = null;
        boolean stats = false;
        int harts = 1;
        String agentLineSpec = null;
        String net = null;
        Path state = null;
        boolean resume = false;
        byte[] mac = VirtioNet.parseMac("52:54:00:12:34:56");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--kernel" -> kernel = Path.of(value(args, ++i, a));
                case "--initrd" -> initrd = Path.of(value(args, ++i, a));
                case "--disk" -> disk = Path.of(value(args, ++i, a));
                case "--memory" -> memory = parseSize(value(args, ++i, a));
                case "--append" -> append = value(args, ++i, a);
                case "--console" -> console = value(args, ++i, a);
                case "--bios" -> {
                    String b = value(args, ++i, a);
                    switch (b) {
                        case "java", "default" -> firmware = Machine.Firmware.JAVA_SBI;
                        case "none" -> firmware = Machine.Firmware.NONE;
                        default -> { firmware = Machine.Firmware.FW_DYNAMIC; firmwareImage = Files.readAllBytes(Path.of(b)); }
                    }
                }
                case "--stats" -> stats = true;
                case "--smp" -> harts = Integer.parseInt(value(args, ++i, a));
                case "--pid-file" -> pidFile = Path.of(value(args, ++i, a));
                case "--agent-line" -> agentLineSpec = value(args, ++i, a);
                case "--net" -> {
                    net = value(args, ++i, a);
                    if (!net.startsWith("tap:") || net.length() == 4) throw usage("--net takes tap:NAME");
                }
                case "--mac" -> mac = VirtioNet.parseMac(value(args, ++i, a));
                case "--state" -> state = Path.of(value(args, ++i, a));
                case "--resume" -> resume = true;
                case "-h", "--help" -> { System.out.println(usageText()); return 0; }
                default -> throw usage("unknown option " + a);
            }
        }
        if (kernel == null) throw usage("--kernel is required");
        if (resume && state == null) throw usage("--resume needs --state FILE");
        if (resume && !Files.isRegularFile(state)) throw usage("--resume: there is no saved machine at " + state);
        stateFile = state;
        SerialBackend serial = openConsole(console);
        if (agentLineSpec != null && !agentLineSpec.startsWith("unix:")) throw usage("--agent-line takes unix:PATH");
        UnixSocketSerial agentLine = agentLineSpec == null ? null : new UnixSocketSerial(Path.of(agentLineSpec.substring(5)));
        if (pidFile != null) writePidFile(pidFile);
        try {
            while (true) {
                Machine.Nic nic = net == null ? null : new Machine.Nic(mac, TapBackend.open(net.substring(4)));
                Machine m = new Machine(new Machine.Config(memory, Files.readAllBytes(kernel),
                        initrd == null ? null : Files.readAllBytes(initrd), disk, append, firmware, serial, firmwareImage, harts,
                        agentLine), nic);
                if (resume) {
                    resume(m, state);
                    resume = false; // a reboot of the resumed guest boots afresh
                }
                long t0 = System.nanoTime();
                startedAt = t0;
                statsOnSigterm = stats;
                RUNNING.set(m);
                int code = m.run();
                double secs = (System.nanoTime() - t0) / 1e9;
                if (m.suspendRequested()) {
                    long s0 = System.nanoTime();
                    MachineSnapshot.save(m, state);
                    m.close();
                    System.err.printf(Locale.ROOT, "[slice-emulator] suspended: %s (%d MB) written in %.2f s%n", state,
                            Files.size(state) >> 20, (System.nanoTime() - s0) / 1e9);
                    return 0;
                }
                m.close();
                if (stats) printStats(m, secs);
                if (!m.resetRequested()) return code;
                System.err.println("[slice-emulator] the guest asked for a reset: starting it again");
            }
        } finally {
            RUNNING.set(null);
            if (serial instanceof UnixSocketSerial socket) socket.close();
            if (agentLine != null) agentLine.close();
            if (pidFile != null) Files.deleteIfExists(pidFile);
        }
    }

    /** Restores the saved machine into {@code m}; the state file is gone afterwards (it cannot be resumed twice). */
    private static void resume(Machine m, Path state) throws IOException {
        long t0 = System.nanoTime();
        try {
            MachineSnapshot.restore(m, state);
        } catch (IOException e) {
            throw new IllegalArgumentException("--resume: " + e.getMessage());
        }
        Files.delete(state);
        System.err.printf(Locale.ROOT, "[slice-emulator] resumed from %s in %.2f s%n", state, (System.nanoTime() - t0) / 1e9);
    }

    /** --stats: instructions per second, each hart's counters, the network card's. */
    private static void printStats(Machine m, double secs) {
        System.err.printf(Locale.ROOT, "%n[slice-emulator] %d instructions in %.3f s: %.1f million/s%n",
                m.instret(), secs, m.instret() / secs / 1e6);
        for (var h : m.harts()) System.err.println("[slice-emulator] " + h.stats().line());
        long[] c = m.networkCounters();
        if (c != null) {
            System.err.printf(Locale.ROOT, "[slice-emulator] network: received %d frames (%d bytes), sent %d frames"
                    + " (%d bytes), dropped %d received frames%n", c[0], c[1], c[2], c[3], c[4]);
        }
    }

    /** Written whole (aside, then moved) once the console listens: a reader never sees half a pid. */
    private static void writePidFile(Path pidFile) throws IOException {
        Path tmp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
        Files.writeString(tmp, ProcessHandle.current().pid() + "\n");
        Files.move(tmp, pidFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static SerialBackend openConsole(String spec) throws IOException {
        if (spec.equals("stdio")) return new StreamSerial(System.in, System.out);
        if (spec.startsWith("tcp:")) {
            int port = Integer.parseInt(spec.substring(4));
            ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
            System.err.println("[slice-emulator] waiting for a console connection on 127.0.0.1:" + server.getLocalPort());
            Socket s = server.accept();
            server.close();
            s.setTcpNoDelay(true);
            return new StreamSerial(s.getInputStream(), s.getOutputStream());
        }
        if (spec.startsWith("unix:")) return new UnixSocketSerial(Path.of(spec.substring(5)));
        throw usage("--console takes stdio, tcp:PORT or unix:PATH");
    }

    static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("K")) mult = 1L << 10;
        else if (t.endsWith("M")) mult = 1L << 20;
        else if (t.endsWith("G")) mult = 1L << 30;
        if (mult != 1) t = t.substring(0, t.length() - 1);
        return Long.parseLong(t) * mult;
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) throw usage(opt + " needs a value");
        return args[i];
    }

    private static IllegalArgumentException usage(String why) {
        return new IllegalArgumentException(why + "\n" + usageText());
    }

    private static String usageText() {
        return "usage: dev.slice.emulator.Main --kernel FILE [--initrd FILE] [--disk FILE] [--memory 256M]"
                + " [--append CMDLINE] [--console stdio|tcp:PORT|unix:PATH] [--bios java|none|FW_DYNAMIC.BIN] [--smp HARTS] [--pid-file FILE] [--agent-line unix:PATH] [--stats]"
                + " [--net tap:NAME [--mac 52:54:00:12:34:56]] [--state FILE [--resume]]";
    }
}
