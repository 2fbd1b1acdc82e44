package dev.slice.emulator;

import dev.slice.emulator.console.SerialBackend;
import dev.slice.emulator.console.StreamSerial;
import dev.slice.emulator.console.UnixSocketSerial;

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
 * [--smp HARTS] [--pid-file FILE]}. A disk that is a copy-on-write overlay ({@code devices.CowOverlay}) is recognised by its header.
 * With {@code --bios none} the kernel file is a bare-metal program entered in M-mode (the test programs);
 * {@code --bios FILE} runs M-mode firmware with the fw_dynamic hand-off (OpenSBI's fw_dynamic.bin) before the kernel.
 * Exits with the guest's power-off code. A guest reboot starts the machine afresh in the same process.
 * SIGTERM is the power button: the guest is asked to shut down ({@link Machine#requestPowerOff}) and the process
 * exits when it has powered off (whoever sent SIGTERM decides how long to wait before SIGKILL).
 */
public final class Main {
    private static final AtomicReference<Machine> RUNNING = new AtomicReference<>();
    private static final CountDownLatch FINISHED = new CountDownLatch(1);

    private Main() { }

    /** Exit code for a command line or image the emulator cannot run (a guest's own codes come from its power-off). */
    static final int EXIT_BAD_INPUT = 2;

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(Main::powerButton, "power-button"));
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
        m.requestPowerOff();
        try {
            FINISHED.await(1, TimeUnit.HOURS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
                case "-h", "--help" -> { System.out.println(usageText()); return 0; }
                default -> throw usage("unknown option " + a);
            }
        }
        if (kernel == null) throw usage("--kernel is required");
        SerialBackend serial = openConsole(console);
        if (pidFile != null) writePidFile(pidFile);
        try {
            while (true) {
                Machine m = new Machine(new Machine.Config(memory, Files.readAllBytes(kernel),
                        initrd == null ? null : Files.readAllBytes(initrd), disk, append, firmware, serial, firmwareImage, harts));
                RUNNING.set(m);
                long t0 = System.nanoTime();
                int code = m.run();
                double secs = (System.nanoTime() - t0) / 1e9;
                m.close();
                if (stats) {
                    System.err.printf(Locale.ROOT, "%n[slice-emulator] %d instructions in %.3f s: %.1f million/s%n",
                            m.instret(), secs, m.instret() / secs / 1e6);
                }
                if (!m.resetRequested()) return code;
                System.err.println("[slice-emulator] the guest asked for a reset: starting it again");
            }
        } finally {
            RUNNING.set(null);
            if (serial instanceof UnixSocketSerial socket) socket.close();
            if (pidFile != null) Files.deleteIfExists(pidFile);
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
                + " [--append CMDLINE] [--console stdio|tcp:PORT|unix:PATH] [--bios java|none|FW_DYNAMIC.BIN] [--smp HARTS] [--pid-file FILE] [--stats]";
    }
}
