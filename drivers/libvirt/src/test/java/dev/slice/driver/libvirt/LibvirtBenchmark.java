package dev.slice.driver.libvirt;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.Resources;
import dev.slice.driver.tck.ConsoleReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Measures, against the real libvirtd on this host, (1) the time from create+start of a Debian 12
 * guest (template already built) until its serial console shows the login prompt, and (2) the
 * memory the QEMU process costs beyond the guest's RAM, from /proc/&lt;pid&gt;/smaps_rollup (PSS).
 * Not a test: it prints figures for drivers/libvirt/README.md. Run with
 * {@code ./mvnw -B -q -pl drivers/libvirt test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java
 * -Dexec.mainClass=dev.slice.driver.libvirt.LibvirtBenchmark -Dexec.classpathScope=test [-Dexec.args="runs memoryMiB"]}.
 */
public final class LibvirtBenchmark {
    private static final Pattern LOGIN = Pattern.compile("login: ");

    private LibvirtBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long memoryMiB = args.length > 1 ? Long.parseLong(args[1]) : 256;
        try (LibvirtDriver driver = TestHost.qemuDriver()) {
            System.out.println("probe: " + driver.probe());
            System.out.println("load average before: " + Files.readString(Path.of("/proc/loadavg")).strip());
            List<Double> bootSeconds = new ArrayList<>();
            List<Double> cpuSeconds = new ArrayList<>();
            List<Long> pssKiB = new ArrayList<>();
            List<Long> ramPssKiB = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                GuestId id = GuestId.of("bench-" + run + "-" + Long.toString(System.nanoTime() % 1_000_000L, 36));
                GuestSpec spec = TestHost.debianSpec(id, 210 + run, Credentials.none())
                        .withResources(Resources.of(1, memoryMiB, 1024));
                try {
                    long started = System.nanoTime();
                    driver.create(spec);
                    driver.start(id);
                    try (ConsoleReader console = new ConsoleReader(driver.open(id))) {
                        awaitLogin(console);
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    long pid = Long.parseLong(Files.readString(Path.of("/run/libvirt/qemu", id.value() + ".pid")).strip());
                    double cpu = cpuSeconds(pid);
                    cpuSeconds.add(cpu);
                    Thread.sleep(5_000); // let the boot's last services settle before reading memory
                    long pss = smapsRollupPss(pid);
                    long ramPss = guestRamPss(pid, memoryMiB * 1024);
                    bootSeconds.add(seconds);
                    pssKiB.add(pss);
                    ramPssKiB.add(ramPss);
                    System.out.printf(Locale.ROOT, "run %d: login prompt after %.2f s (QEMU used %.2f s of CPU); QEMU PSS %d MiB, of it guest RAM %d MiB; "
                                    + "PSS - guest RAM size = %d MiB; PSS - guest RAM PSS = %d MiB%n",
                            run, seconds, cpu, pss / 1024, ramPss / 1024, (pss - memoryMiB * 1024) / 1024, (pss - ramPss) / 1024);
                } finally {
                    driver.destroy(id);
                }
            }
            System.out.printf(Locale.ROOT, "median of %d runs (guest RAM %d MiB): login prompt after %.2f s (QEMU CPU time %.2f s); "
                            + "QEMU PSS %d MiB; PSS - guest RAM size = %d MiB; QEMU's own memory (PSS - guest RAM PSS) = %d MiB%n",
                    runs, memoryMiB, median(bootSeconds), median(cpuSeconds), median(pssKiB) / 1024,
                    (median(pssKiB) - memoryMiB * 1024) / 1024, medianOfDifferences(pssKiB, ramPssKiB) / 1024);
            System.out.println("load average after: " + Files.readString(Path.of("/proc/loadavg")).strip());
        }
    }

    private static void awaitLogin(ConsoleReader console) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            try {
                // The prompt appears by itself; a nudge only helps if it scrolled by before we attached.
                console.await(LOGIN, Duration.ofSeconds(30));
                return;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) throw notYet;
                console.type("\n");
            }
        }
    }

    /**
     * CPU time the QEMU process has used (user + system, all threads): what the boot costs
     * regardless of how many other processes compete for the host's cores meanwhile.
     */
    public static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        return ticks / 100.0; // USER_HZ is 100 on Linux
    }

    /** Proportional set size of the whole process, in KiB. */
    public static long smapsRollupPss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
            if (line.startsWith("Pss:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IOException("no Pss in smaps_rollup of " + pid);
    }

    /** PSS of the mapping that holds guest RAM: the one whose size is exactly the guest's memory. */
    public static long guestRamPss(long pid, long sizeKiB) throws IOException {
        boolean inRam = false;
        long pss = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"))) {
            if (line.startsWith("Size:")) {
                inRam = Long.parseLong(line.replaceAll("[^0-9]", "")) == sizeKiB;
            } else if (inRam && line.startsWith("Pss:")) {
                pss += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return pss;
    }

    private static <T extends Comparable<T>> T median(List<T> values) {
        List<T> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static long medianOfDifferences(List<Long> a, List<Long> b) {
        List<Long> differences = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) differences.add(a.get(i) - b.get(i));
        return median(differences);
    }
}
