import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open-loop HTTP load from a process of its own: sends GETs at a fixed rate for a fixed time and
 * reports latency percentiles. Each request's latency is measured from the moment it was due, not
 * from when it was sent, so a stalled server cannot hide its stall by slowing the sender down.
 *
 * Usage: java LoadGen.java [--warmup SECONDS] [--expect TEXT] URL RATE_PER_SECOND SECONDS [HEADER: VALUE]...
 *   --warmup  first send at the same rate for this long, unmeasured (the server's JIT, pools, caches);
 *             without it, a short sequential warm-up of min(2 x rate, 400) requests
 *   --expect  fail unless one response body (checked before the load) contains TEXT
 *   --cpu-pids comma-separated process ids (the server, its database): their CPU time per measured request
 *             and how busy the whole machine was during the measured window, from /proc (Linux)
 * Only loopback URLs are accepted: this is a benchmark of a server on this machine.
 * The last line is machine-readable: RESULT requests=.. errors=.. rate=.. p50=.. p90=.. p99=.. max=.. (ms).
 */
public class LoadGen {
    public static void main(String[] args) throws Exception {
        int warmupSeconds = -1;
        String expect = null;
        List<Long> cpuPids = List.of();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup" -> warmupSeconds = Integer.parseInt(args[++i]);
                case "--expect" -> expect = args[++i];
                case "--cpu-pids" -> cpuPids = Arrays.stream(args[++i].split(",")).filter(p -> !p.isBlank())
                        .map(p -> Long.parseLong(p.trim())).toList();
                default -> positional.add(args[i]);
            }
        }
        if (positional.size() < 3) {
            System.err.println("usage: java LoadGen.java [--warmup SECONDS] [--expect TEXT] URL RATE_PER_SECOND SECONDS [HEADER: VALUE]...");
            System.exit(2);
        }
        URI uri = URI.create(positional.get(0));
        String host = uri.getHost();
        if (!(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"))) {
            throw new IllegalArgumentException("refusing to load " + host + ": only loopback targets");
        }
        int rate = Integer.parseInt(positional.get(1));
        int seconds = Integer.parseInt(positional.get(2));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        for (String header : positional.subList(3, positional.size())) {
            int colon = header.indexOf(':');
            builder.header(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
        }
        HttpRequest request = builder.build();
        // HTTP/1.1 like a plain API client; no h2c upgrade attempt on each new connection.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

        HttpResponse<String> probe = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (probe.statusCode() != 200 || (expect != null && !probe.body().contains(expect))) {
            System.err.printf("the answer is not what the benchmark expects (status %d, expected text %s): %s%n",
                    probe.statusCode(), expect, probe.body().length() > 500 ? probe.body().substring(0, 500) + "..." : probe.body());
            System.exit(1);
        }

        if (warmupSeconds > 0) {
            openLoop(client, request, rate, warmupSeconds);
        } else {
            for (int i = 0; i < Math.min(rate * 2, 400); i++) client.send(request, HttpResponse.BodyHandlers.discarding());
        }

        long[] cpuBefore = cpuTicks(cpuPids);
        Result result = openLoop(client, request, rate, seconds);
        long[] cpuAfter = cpuTicks(cpuPids);
        long[] latencies = result.latencies();
        int total = latencies.length;
        System.out.printf("requests %d in %.1f s (%.0f/s), errors %d%n", total, result.elapsed(), total / result.elapsed(), result.errors());
        System.out.printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
                pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), latencies[total - 1] / 1e6);
        System.out.printf("RESULT requests=%d errors=%d rate=%.1f p50=%.2f p90=%.2f p99=%.2f max=%.2f%n", total, result.errors(),
                total / result.elapsed(), pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), latencies[total - 1] / 1e6);
        if (!cpuPids.isEmpty()) {
            double tick = 100.0; // USER_HZ on Linux
            double watched = (cpuAfter[0] - cpuBefore[0]) / tick;
            double busy = (cpuAfter[1] - cpuBefore[1]) / tick;
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf("CPU in the measured window: watched processes %.2f ms per request (%.0f%% of %d cores);"
                    + " machine busy %.0f%%%n", watched * 1000 / total, 100 * watched / result.elapsed() / cores, cores,
                    100 * busy / result.elapsed() / cores);
            System.out.printf("CPU cpu_ms_per_request=%.2f watched_pct=%.0f machine_busy_pct=%.0f%n", watched * 1000 / total,
                    100 * watched / result.elapsed() / cores, 100 * busy / result.elapsed() / cores);
        }
        System.exit(result.errors() == 0 ? 0 : 1);
    }

    /** [user+system ticks of the given processes, busy ticks of the whole machine] from /proc. */
    private static long[] cpuTicks(List<Long> pids) throws java.io.IOException {
        if (pids.isEmpty()) return new long[2];
        long watched = 0;
        for (long pid : pids) {
            try {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                watched += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            } catch (java.nio.file.NoSuchFileException gone) {
                // a process that ended meanwhile counts with what it had
            }
        }
        String[] cpu = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long busy = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) busy += Long.parseLong(cpu[i]); // user nice system irq softirq steal
        return new long[] {watched, busy};
    }

    record Result(long[] latencies, int errors, double elapsed) {}

    /** Sends at the fixed rate for the time given; returns the sorted latencies from each request's due time. */
    private static Result openLoop(HttpClient client, HttpRequest request, int rate, int seconds) throws InterruptedException {
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            int index = i;
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                latencies[index] = System.nanoTime() - due;
                if (failure != null || response.statusCode() != 200) errors.incrementAndGet();
                done.countDown();
            });
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new Result(latencies, errors.get(), elapsed);
    }

    private static double pct(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }
}
