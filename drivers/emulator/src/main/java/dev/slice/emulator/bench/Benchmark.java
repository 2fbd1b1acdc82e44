package dev.slice.emulator.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Side-by-side speed of Slice's emulator and qemu-system-riscv64 (TCG), on the same files:
 * seconds from process start to the shell prompt (same kernel, initramfs and command line), and
 * instructions per second on the CPU-bound program bench-cpu.elf. Each figure is the median of
 * {@code runs} runs, each a fresh process (so the emulator's figures include JVM start-up and JIT warm-up).
 * The emulator is started by its launcher (deploy/emulator/slice-emulator), with its AOT cache and without it.
 * Usage: Benchmark DATA_DIR LAUNCHER [runs]
 */
public final class Benchmark {
    private static final String PROMPT = "slice# ";

    private Benchmark() { }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String launcher = args[1];
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path kernel = dir.resolve("kernel/Image"), initrd = dir.resolve("initramfs.cpio"), cpu = dir.resolve("tests/bench-cpu.elf");
        for (Path p : List.of(kernel, initrd, cpu)) {
            if (!Files.isRegularFile(p)) throw new IllegalStateException(p + " is missing: run deploy/emulator/build.sh");
        }
        String loadBefore = loadAverage();
        String append = "console=ttyS0";
        List<String> ours = List.of(launcher, "--memory", "128M",
                "--kernel", kernel.toString(), "--initrd", initrd.toString(), "--append", append);
        List<String> qemu = List.of("qemu-system-riscv64", "-machine", "virt", "-bios", "default", "-m", "128M", "-nographic",
                "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", append);
        double[] bootOurs = new double[runs], bootQemu = new double[runs], cpuBootOurs = new double[runs], cpuBootQemu = new double[runs];
        double[] bootNoAot = new double[runs], cpuBootNoAot = new double[runs];
        for (int i = 0; i < runs; i++) {
            double[] o = secondsToPrompt(ours, "use"), q = secondsToPrompt(qemu, "use"), n = secondsToPrompt(ours, "off");
            bootOurs[i] = o[0];
            cpuBootOurs[i] = o[1];
            bootQemu[i] = q[0];
            cpuBootQemu[i] = q[1];
            bootNoAot[i] = n[0];
            cpuBootNoAot[i] = n[1];
        }
        // the CPU program: our emulator reports the exact retired count; QEMU runs the same instruction stream
        double[] cpuOurs = new double[runs], cpuOursInside = new double[runs], cpuQemu = new double[runs];
        double[] cpuTimeOurs = new double[runs], cpuTimeQemu = new double[runs];
        long instructions = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            String err = runToExit(List.of("/usr/bin/time", "-f", "CPUTIME %U %S", launcher,
                    "--bios", "none", "--memory", "128M", "--stats", "--kernel", cpu.toString()));
            cpuOurs[i] = (System.nanoTime() - t0) / 1e9;
            cpuTimeOurs[i] = cpuTime(err);
            Matcher m = Pattern.compile("(\\d+) instructions in ([0-9.]+) s").matcher(err);
            if (!m.find()) throw new IllegalStateException("no statistics from the emulator:\n" + err);
            instructions = Long.parseLong(m.group(1));
            cpuOursInside[i] = Double.parseDouble(m.group(2));
            t0 = System.nanoTime();
            String q = runToExit(List.of("/usr/bin/time", "-f", "CPUTIME %U %S", "qemu-system-riscv64", "-machine", "virt",
                    "-bios", "none", "-m", "128M", "-nographic", "-kernel", cpu.toString()));
            cpuQemu[i] = (System.nanoTime() - t0) / 1e9;
            cpuTimeQemu[i] = cpuTime(q);
        }
        double bo = median(bootOurs), bq = median(bootQemu);
        double co = instructions / median(cpuOurs) / 1e6, ci = instructions / median(cpuOursInside) / 1e6, cq = instructions / median(cpuQemu) / 1e6;
        System.out.printf(Locale.ROOT, "%-46s %16s %16s %8s%n", "median of " + runs + " runs", "slice-emulator", "qemu (TCG)", "ratio");
        System.out.printf(Locale.ROOT, "%-46s %16.2f %16.2f %7.1fx%n", "power-on to shell prompt (s)", bo, bq, bo / bq);
        double cbo = median(cpuBootOurs), cbq = median(cpuBootQemu);
        System.out.printf(Locale.ROOT, "%-46s %16.2f %16.2f %7.1fx%n", "  CPU time used until the prompt (s)", cbo, cbq, cbo / cbq);
        double bn = median(bootNoAot), cbn = median(cpuBootNoAot);
        System.out.printf(Locale.ROOT, "%-46s %16.2f %16.2f %7.1fx%n", "power-on to prompt, no AOT cache (s)", bn, bq, bn / bq);
        System.out.printf(Locale.ROOT, "%-46s %16.2f %16.2f %7.1fx%n", "  CPU time until the prompt, no AOT cache (s)", cbn, cbq, cbn / cbq);
        System.out.printf(Locale.ROOT, "%-46s %16.0f %16.0f %7.1fx%n", "CPU program, million instr/s (whole process)", co, cq, cq / co);
        System.out.printf(Locale.ROOT, "%-46s %16.0f %16s%n", "CPU program, million instr/s (emulation only)", ci, "-");
        double tco = instructions / median(cpuTimeOurs) / 1e6, tcq = instructions / median(cpuTimeQemu) / 1e6;
        System.out.printf(Locale.ROOT, "%-46s %16.0f %16.0f %7.1fx%n", "CPU program, million instr per CPU-second", tco, tcq, tcq / tco);
        System.out.printf(Locale.ROOT, "(CPU program: %d instructions; host: %d cores, %s; load average before %s, after %s)%n",
                instructions, Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), loadBefore, loadAverage());
    }

    /** User + system seconds from GNU time's "CPUTIME %U %S" line. */
    private static double cpuTime(String output) {
        Matcher m = Pattern.compile("CPUTIME ([0-9.]+) ([0-9.]+)").matcher(output);
        if (!m.find()) throw new IllegalStateException("no CPU time in:\n" + output);
        return Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2));
    }

    /** The 1-minute load average: figures taken on a busy shared host are not those of an idle one. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /**
     * Starts a process and returns {wall seconds, CPU seconds of the process} until its console shows the
     * shell prompt; then stops it. The CPU time tells a slow machine from a busy one.
     */
    private static double[] secondsToPrompt(List<String> cmd, String aot) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SLICE_EMULATOR_AOT", aot);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        long t0 = System.nanoTime();
        Process p = pb.start();
        try (InputStream in = p.getInputStream()) {
            StringBuilder seen = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                seen.append((char) b);
                if (seen.length() >= PROMPT.length() && seen.indexOf(PROMPT, seen.length() - PROMPT.length()) >= 0) {
                    double wall = (System.nanoTime() - t0) / 1e9;
                    double cpu = p.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
                    return new double[] {wall, cpu};
                }
            }
            throw new IllegalStateException("no shell prompt from " + cmd.get(0) + ":\n" + seen);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Runs a process to its end with no input; returns its standard error (and output). */
    private static String runToExit(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(600, TimeUnit.SECONDS)) { p.destroyForcibly(); throw new IllegalStateException("timed out: " + cmd); }
        return new String(out, StandardCharsets.UTF_8);
    }

}
