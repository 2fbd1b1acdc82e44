import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open-loop HTTP load from a process of its own: sends GETs at a fixed rate for a fixed time and
 * reports latency percentiles. Each request's latency is measured from the moment it was due, not
 * from when it was sent, so a stalled server cannot hide its stall by slowing the sender down.
 *
 * Usage: java LoadGen.java URL RATE_PER_SECOND SECONDS [HEADER: VALUE]...
 * Only loopback URLs are accepted: this is a benchmark of a server on this machine.
 */
public class LoadGen {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: java LoadGen.java URL RATE_PER_SECOND SECONDS [HEADER: VALUE]...");
            System.exit(2);
        }
        URI uri = URI.create(args[0]);
        String host = uri.getHost();
        if (!(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"))) {
            throw new IllegalArgumentException("refusing to load " + host + ": only loopback targets");
        }
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 3; i < args.length; i++) {
            int colon = args[i].indexOf(':');
            builder.header(args[i].substring(0, colon).trim(), args[i].substring(colon + 1).trim());
        }
        HttpRequest request = builder.build();
        HttpClient client = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();

        // Warm-up: the JIT and connection pool, not measured.
        for (int i = 0; i < Math.min(rate * 2, 400); i++) client.send(request, HttpResponse.BodyHandlers.discarding());

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
        System.out.printf("requests %d in %.1f s (%.0f/s), errors %d%n", total, elapsed, total / elapsed, errors.get());
        System.out.printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
                pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), latencies[total - 1] / 1e6);
        System.exit(errors.get() == 0 ? 0 : 1);
    }

    private static double pct(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }
}
