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
 * The emulator is started by its launcher (deploy/emulator/slice-emulator), with its AOT cache and without it, and
 * with its block translator (the default) and without it ({@code -Dslice.emulator.translator=off}: interpreter only).
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
        double[] bootNoAot = new double[runs], cpuBootNoAot = new double[runs], bootInterp = new double[runs], cpuBootInterp = new double[runs];
        for (int i = 0; i < runs; i++) {
            double[] o = secondsToPrompt(ours, "use", true), q = secondsToPrompt(qemu, "use", true);
            double[] n = secondsToPrompt(ours, "off", true), in = secondsToPrompt(ours, "use", false);
            bootOurs[i] = o[0];
            cpuBootOurs[i] = o[1];
            bootQemu[i] = q[0];
            cpuBootQemu[i] = q[1];
            bootNoAot[i] = n[0];
            cpuBootNoAot[i] = n[1];
            bootInterp[i] = in[0];
            cpuBootInterp[i] = in[1];
        }
        // the CPU program: our emulator reports the exact retired count; QEMU runs the same instruction stream
        double[][] cpuOurs = new double[2][runs], cpuOursInside = new double[2][runs], cpuTimeOurs = new double[2][runs];
        double[] cpuQemu = new double[runs], cpuTimeQemu = new double[runs];
        long instructions = 0;
        for (int i = 0; i < runs; i++) {
            for (int t = 0; t < 2; t++) { // 0: with the translator, 1: interpreter only
                long t0 = System.nanoTime();
                String err = runToExit(List.of("/usr/bin/time", "-f", "CPUTIME %U %S", launcher,
                        "--bios", "none", "--memory", "128M", "--stats", "--kernel", cpu.toString()), t == 0);
                cpuOurs[t][i] = (System.nanoTime() - t0) / 1e9;
                cpuTimeOurs[t][i] = cpuTime(err);
                Matcher m = Pattern.compile("(\\d+) instructions in ([0-9.]+) s").matcher(err);
                if (!m.find()) throw new IllegalStateException("no statistics from the emulator:\n" + err);
                instructions = Long.parseLong(m.group(1));
                cpuOursInside[t][i] = Double.parseDouble(m.group(2));
            }
            long t0 = System.nanoTime();
            String q = runToExit(List.of("/usr/bin/time", "-f", "CPUTIME %U %S", "qemu-system-riscv64", "-machine", "virt",
                    "-bios", "none", "-m", "128M", "-nographic", "-kernel", cpu.toString()), true);
            cpuQemu[i] = (System.nanoTime() - t0) / 1e9;
            cpuTimeQemu[i] = cpuTime(q);
        }
        String row = "%-46s %12s %12s %12s %9s%n", num = "%-46s %12.2f %12.2f %12.2f %8.1fx%n", mips = "%-46s %12.0f %12.0f %12s %9s%n";
        System.out.printf(Locale.ROOT, row, "median of " + runs + " runs", "translator", "interpreter", "qemu (TCG)", "tr./qemu");
        double bo = median(bootOurs), bq = median(bootQemu), bi = median(bootInterp);
        System.out.printf(Locale.ROOT, num, "power-on to shell prompt (s)", bo, bi, bq, bo / bq);
        double cbo = median(cpuBootOurs), cbq = median(cpuBootQemu), cbi = median(cpuBootInterp);
        System.out.printf(Locale.ROOT, num, "  CPU time used until the prompt (s)", cbo, cbi, cbq, cbo / cbq);
        double bn = median(bootNoAot), cbn = median(cpuBootNoAot);
        System.out.printf(Locale.ROOT, num, "power-on to prompt, no AOT cache (s)", bn, Double.NaN, bq, bn / bq);
        System.out.printf(Locale.ROOT, num, "  CPU time until the prompt, no AOT cache (s)", cbn, Double.NaN, cbq, cbn / cbq);
        double[] co = new double[2], ci = new double[2], tco = new double[2];
        for (int t = 0; t < 2; t++) {
            co[t] = instructions / median(cpuOurs[t]) / 1e6;
            ci[t] = instructions / median(cpuOursInside[t]) / 1e6;
            tco[t] = instructions / median(cpuTimeOurs[t]) / 1e6;
        }
        double cq = instructions / median(cpuQemu) / 1e6, tcq = instructions / median(cpuTimeQemu) / 1e6;
        System.out.printf(Locale.ROOT, "%-46s %12.0f %12.0f %12.0f %8.1fx%n", "CPU program, million instr/s (whole process)", co[0], co[1], cq, co[0] / cq);
        System.out.printf(Locale.ROOT, mips, "CPU program, million instr/s (emulation only)", ci[0], ci[1], "-", "");
        System.out.printf(Locale.ROOT, "%-46s %12.0f %12.0f %12.0f %8.1fx%n", "CPU program, million instr per CPU-second", tco[0], tco[1], tcq, tco[0] / tcq);
        System.out.printf(Locale.ROOT, "translator / interpreter on the CPU program: %.1fx (whole process), %.1fx (per CPU-second)%n",
                co[0] / co[1], tco[0] / tco[1]);
        System.out.printf(Locale.ROOT, "(CPU program: %d instructions; host: %d cores, %s; load average before %s, after %s)%n",
                instructions, Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), loadBefore, loadAverage());
    }

    /** The emulator's block translator on (its default) or off (everything interpreted), through a JVM system property. */
    private static void translator(ProcessBuilder pb, boolean on) {
        if (!on) pb.environment().put("JAVA_TOOL_OPTIONS", "-Dslice.emulator.translator=off");
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
    private static double[] secondsToPrompt(List<String> cmd, String aot, boolean translator) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SLICE_EMULATOR_AOT", aot);
        translator(pb, translator);
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
    private static String runToExit(List<String> cmd, boolean translator) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true);
        translator(pb, translator);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(600, TimeUnit.SECONDS)) { p.destroyForcibly(); throw new IllegalStateException("timed out: " + cmd); }
        return new String(out, StandardCharsets.UTF_8);
    }

}
