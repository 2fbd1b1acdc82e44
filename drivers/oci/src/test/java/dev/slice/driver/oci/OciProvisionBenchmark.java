package dev.slice.driver.oci;

import dev.slice.driver.Credentials;
import dev.slice.driver.Driver;
import dev.slice.driver.DriverProvider;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.HostContext;
import dev.slice.driver.Resources;
import dev.slice.driver.capability.Console;
import dev.slice.driver.capability.ConsoleStream;
import dev.slice.driver.capability.Stats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Measures, on this host with the template cached, how long an order takes to become a running
 * container whose console answers (create + state + start + state + attach until the login prompt
 * arrives, the driver calls of the orchestrator's provisioning steps), which
 * host commands it runs and how long each takes, and what each running container costs the host in
 * memory. Not a test: run it with drivers/oci/bench.sh.
 *
 * Arguments: [runs (default 15)] [containers for the memory figure (default 10)] [--baseline DIR]...
 * With --baseline, another build of the driver runs too (DIR/classes: its classes; DIR/data: a data
 * directory with its keeper and init in bin/ and the templates; bench.sh makes it from a git
 * revision), in turns with this one (A B, B A, ...), so that all see the same host load.
 */
final class OciProvisionBenchmark {
    private OciProvisionBenchmark() {}

    /** One build of the driver under measurement and what it measured. */
    private static final class Variant {
        final String name;
        final Driver driver;
        final TimingProcessRunner processes;
        final List<Double> create = new ArrayList<>();
        final List<Double> start = new ArrayList<>();
        final List<Double> total = new ArrayList<>();
        final List<Double> destroy = new ArrayList<>();
        final Map<String, List<Double>> commandMillis = new TreeMap<>();
        int orders;

        Variant(String name, ClassLoader loader, Path dataDir) {
            this.name = name;
            this.processes = new TimingProcessRunner();
            HostContext context = new HostContext(dataDir, Map.of(), processes);
            DriverProvider provider = ServiceLoader.load(DriverProvider.class, loader).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(found -> found.getClass().getName().equals(OciDriverProvider.class.getName()))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no OCI driver provider in " + name));
            this.driver = provider.open(context).getFirst();
        }

        void order(int run) throws IOException {
            GuestId id = OciTestHost.uniqueId("bench");
            GuestSpec spec = OciTestHost.spec(id, 100 + run % 100, new Resources(1, 256, 1024, 0, 0), Credentials.none());
            processes.drain();
            long t0 = System.nanoTime();
            driver.create(spec);
            long t1 = System.nanoTime();
            // As the orchestrator's steps do: a state check before the start and one after it (wait_running).
            if (driver.state(id) != GuestState.STOPPED) throw new IllegalStateException(id + " is not stopped after create");
            driver.start(id);
            if (driver.state(id) != GuestState.RUNNING) throw new IllegalStateException(id + " is not running after start");
            long t2 = System.nanoTime();
            awaitLoginPrompt(((Console) driver).open(id));
            long t3 = System.nanoTime();
            List<TimingProcessRunner.Timed> commands = processes.drain();
            driver.destroy(id);
            long t4 = System.nanoTime();
            processes.drain();
            create.add(ms(t1 - t0));
            start.add(ms(t2 - t1));
            total.add(ms(t3 - t0));
            destroy.add(ms(t4 - t3));
            orders++;
            for (TimingProcessRunner.Timed command : commands) {
                commandMillis.computeIfAbsent(command.label(), label -> new ArrayList<>()).add(command.millis());
            }
        }

        void print() {
            int runs = create.size();
            System.out.println();
            System.out.println("### " + name);
            System.out.println();
            System.out.println("| step (" + runs + " runs, ms) | median | p90 | min | max |");
            System.out.println("|---|---|---|---|---|");
            row("create (disk image, first-boot files)", create);
            row("start (state check, mounts, network, runtime create+start, state check)", start);
            row("order -> console answering (create+start+attach+login prompt)", total);
            row("destroy", destroy);
            System.out.println();
            int count = commandMillis.values().stream().mapToInt(List::size).sum();
            System.out.printf(Locale.ROOT, "| host commands per order (%.1f in all) | per order | median ms each | ms per order |%n",
                    count / (double) orders);
            System.out.println("|---|---|---|---|");
            commandMillis.forEach((label, millis) -> System.out.printf(Locale.ROOT, "| `%s` | %.1f | %.1f | %.1f |%n",
                    label, millis.size() / (double) orders, median(millis),
                    millis.stream().mapToDouble(Double::doubleValue).sum() / orders));
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        List<Path> baselines = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--baseline")) baselines.add(Path.of(args[++i]));
            else positional.add(args[i]);
        }
        int runs = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 15;
        int resident = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 10;

        List<Variant> variants = new ArrayList<>();
        for (Path build : baselines) {
            variants.add(new Variant("baseline " + build.getFileName(),
                    new DriverBuildLoader(build.resolve("classes"), OciProvisionBenchmark.class.getClassLoader()),
                    build.resolve("data")));
        }
        Variant current = new Variant("this tree", OciProvisionBenchmark.class.getClassLoader(), OciTestHost.dataDir());
        variants.add(current);
        for (Variant variant : variants) System.out.println("probe " + variant.name + ": " + variant.driver.probe());

        for (int run = 0; run < runs; run++) {
            List<Variant> turn = new ArrayList<>(variants);
            Collections.rotate(turn, run); // each build goes first, second, ... equally often
            for (Variant variant : turn) variant.order(run);
        }
        for (Variant variant : variants) variant.print();
        if (resident > 0) residentMemory(current.driver, resident);
    }

    private static void residentMemory(Driver driver, int resident) throws Exception {
        List<GuestId> ids = new ArrayList<>();
        try {
            for (int i = 0; i < resident; i++) {
                GuestId id = OciTestHost.uniqueId("resident");
                driver.create(OciTestHost.spec(id, 150 + i, new Resources(1, 256, 1024, 0, 0), Credentials.none()));
                driver.start(id);
                awaitLoginPrompt(((Console) driver).open(id));
                ids.add(id);
            }
            Thread.sleep(3000); // sshd has made its host keys and settled
            long cgroupBytes = 0;
            long guestPssKiB = 0;
            long keeperPssKiB = 0;
            for (GuestId id : ids) {
                if (driver.state(id) != GuestState.RUNNING) throw new IllegalStateException(id + " stopped");
                cgroupBytes += ((Stats) driver).read(id).memoryBytes();
                for (String pid : containerPids(id)) guestPssKiB += pssKiB(pid);
                keeperPssKiB += pssKiB(Files.readString(Path.of("/run/slice/oci", id.value(), "keeper.pid")).strip());
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "| %d running containers | per container |%n|---|---|%n", resident);
            System.out.printf(Locale.ROOT, "| processes in the container (init, sshd, login), PSS | %.2f MiB |%n", guestPssKiB / 1024.0 / resident);
            System.out.printf(Locale.ROOT, "| console keeper, PSS | %.2f MiB |%n", keeperPssKiB / 1024.0 / resident);
            System.out.printf(Locale.ROOT, "| charged to the container's memory cgroup (incl. kernel and page cache it caused) | %.2f MiB |%n", cgroupBytes / 1048576.0 / resident);
        } finally {
            for (GuestId id : ids) driver.destroy(id);
        }
    }

    private static void awaitLoginPrompt(ConsoleStream console) throws IOException {
        try (console; InputStream in = console.fromGuest()) {
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                if (seen.indexOf("login:") >= 0) return;
            }
            throw new IllegalStateException("console closed before the login prompt: " + seen);
        }
    }

    /** The host pids of every process in the container, from its memory cgroup. */
    private static List<String> containerPids(GuestId id) throws IOException {
        Path procs = CgroupMode.detect().isV2()
                ? Path.of("/sys/fs/cgroup", OciConfig.cgroupsPath(id.value()), "cgroup.procs")
                : Path.of("/sys/fs/cgroup/memory", OciConfig.cgroupsPath(id.value()), "cgroup.procs");
        return Files.readAllLines(procs).stream().filter(line -> !line.isBlank()).toList();
    }

    /** Proportional set size: a process's private memory plus its share of what it shares with others. */
    private static long pssKiB(String pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "smaps_rollup"))) {
            if (line.startsWith("Pss:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return 0;
    }

    private static double ms(long nanos) { return nanos / 1_000_000.0; }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    }

    private static void row(String name, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double p90 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.9) - 1));
        System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f |%n", name, median(values), p90, sorted.getFirst(), sorted.getLast());
    }
}
