package dev.slice.emulator;

import dev.slice.emulator.console.SerialBackend;
import dev.slice.emulator.console.StreamSerial;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Command line: {@code java -cp ... dev.slice.emulator.Main --kernel Image [--initrd x] [--disk img]
 * [--memory 256M] [--append "console=ttyS0"] [--console stdio|tcp:PORT] [--bios java|none|FW_DYNAMIC.BIN] [--smp HARTS]}.
 * With {@code --bios none} the kernel file is a bare-metal program entered in M-mode (the test programs);
 * {@code --bios FILE} runs M-mode firmware with the fw_dynamic hand-off (OpenSBI's fw_dynamic.bin) before the kernel.
 * Exits with the guest's power-off code.
 */
public final class Main {
    private Main() { }

    /** Exit code for a command line or image the emulator cannot run (a guest's own codes come from its power-off). */
    static final int EXIT_BAD_INPUT = 2;

    public static void main(String[] args) throws Exception {
        int code;
        try {
            code = run(args);
        } catch (IllegalArgumentException | java.nio.file.NoSuchFileException e) {
            // the operator's mistake, not the emulator's: one clear line, no stack trace
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file: " + e.getMessage() : e.getMessage();
            System.err.println("slice-emulator: " + why);
            code = EXIT_BAD_INPUT;
        }
        System.out.flush();
        System.exit(code);
    }

    /** Runs a machine as the command line describes; returns the guest's power-off code. */
    public static int run(String... args) throws Exception {
        Path kernel = null, initrd = null, disk = null;
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
                case "-h", "--help" -> { System.out.println(usageText()); return 0; }
                default -> throw usage("unknown option " + a);
            }
        }
        if (kernel == null) throw usage("--kernel is required");
        SerialBackend serial = openConsole(console);
        Machine m = new Machine(new Machine.Config(memory, Files.readAllBytes(kernel),
                initrd == null ? null : Files.readAllBytes(initrd), disk, append, firmware, serial, firmwareImage, harts));
        long t0 = System.nanoTime();
        int code = m.run();
        double secs = (System.nanoTime() - t0) / 1e9;
        m.close();
        if (stats) {
            System.err.printf(Locale.ROOT, "%n[slice-emulator] %d instructions in %.3f s: %.1f million/s%n",
                    m.instret(), secs, m.instret() / secs / 1e6);
        }
        return code;
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
        throw usage("--console takes stdio or tcp:PORT");
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
                + " [--append CMDLINE] [--console stdio|tcp:PORT] [--bios java|none|FW_DYNAMIC.BIN] [--smp HARTS] [--stats]";
    }
}
