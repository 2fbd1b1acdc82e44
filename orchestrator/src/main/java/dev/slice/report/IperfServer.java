package dev.slice.report;

import dev.slice.driver.DriverException;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One iperf3 server for one client run, on the host end of the target's link only ({@code -B}: the run's bridge
 * address, or loopback for bare metal), serving one test ({@code -1}) and ended by {@code timeout} in any case,
 * so that a Slice killed mid-round leaves no server behind for long.
 */
final class IperfServer implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(10);

    private final Process process;
    private final int port;

    private IperfServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static IperfServer start(ProcessRunner processes, String address, Duration lifetime) {
        int port = freePort(address);
        Process process = processes.startAttached(HostCommand.of("timeout", Long.toString(Math.max(5, lifetime.toSeconds())), "iperf3",
                "-s", "-1", "--forceflush", "-B", address, "-p", Integer.toString(port)));
        CompletableFuture<Boolean> listening = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                String line;
                boolean ready = false;
                while ((line = out.readLine()) != null) {
                    if (!ready && line.contains("Server listening")) {
                        ready = true;
                        drainRest(out);
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        }, Thread::startVirtualThread);
        try {
            if (Boolean.TRUE.equals(listening.get(READY.toMillis(), TimeUnit.MILLISECONDS))) return new IperfServer(process, port);
        } catch (ExecutionException | TimeoutException e) {
            // fall through: not listening
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new DriverException("the iperf3 server on " + address + " did not start listening within " + READY);
    }

    private static void drainRest(BufferedReader out) {
        Thread.startVirtualThread(() -> {
            try (out) {
                while (out.readLine() != null) {
                    // the server's own report is not needed: the client's JSON is read
                }
            } catch (IOException ignored) {
                // the server ended
            }
        });
    }

    int port() { return port; }

    /**
     * Ends the servers of this kind still listening on {@code address} (left by a Slice that was killed mid-round), by
     * their process id; returns how many. They are recognised by their exact command line.
     */
    static int endLeftOvers(String address) {
        List<ProcessHandle> left = ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(args -> {
            List<String> argv = List.of(args);
            int b = argv.indexOf("-B");
            return p.info().command().orElse("").endsWith("iperf3") && argv.containsAll(List.of("-s", "-1", "--forceflush"))
                    && b >= 0 && b + 1 < argv.size() && argv.get(b + 1).equals(address);
        }).orElse(false)).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        return left.size();
    }

    private static int freePort(String address) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + address + " for iperf3", e);
        }
    }

    @Override
    public void close() {
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
