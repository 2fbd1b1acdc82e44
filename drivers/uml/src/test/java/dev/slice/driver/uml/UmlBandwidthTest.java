package dev.slice.driver.uml;

import dev.slice.driver.host.TapDevice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.HostContext;
import dev.slice.driver.Resources;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.TrafficShaper;
import dev.slice.driver.tck.ConsoleReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A plan's bandwidth holds for a UML guest both ways: 2 MB cross its TAP in well under a second
 * without a limit and take at least the limit's time with it. Traffic runs only between the test's
 * own guest and the address the test gives its own bridge.
 */
class UmlBandwidthTest {
    private static final int MBIT = 4;
    private static final int BYTES = 2_000_000;
    /** 2 MB at 4 Mbit/s is 4 s; the bucket's burst lets a little through at once. */
    private static final double LIMITED_MIN_SECONDS = 3.2;

    private final UmlDriver driver = TestGuests.driver();
    private final HostContext host = TestGuests.host();

    @Test
    void thePlansRateHoldsEachWayAndLiftingItRestoresFullSpeed() throws Exception {
        GuestId id = TestGuests.id("uml-bw");
        GuestSpec base = TestGuests.spec(id, 1, 128, 41);
        GuestSpec spec = base.withResources(new Resources(1, 128, TestGuests.DISK_MIB, 0, MBIT));
        String gateway = spec.network().gateway();
        try {
            driver.create(spec);
            driver.start(id);
            host.processes().runChecked(HostCommand.of("ip", "addr", "replace", gateway + "/24", "dev", TestGuests.BRIDGE));
            String tap = TapDevice.nameFor(UmlDriver.TAP_PREFIX, id);
            assertThat(host.processes().runChecked(HostCommand.of("tc", "qdisc", "show", "dev", tap)).stdout())
                    .contains("tbf").contains("rate " + MBIT + "Mbit");
            assertThat(host.processes().runChecked(HostCommand.of("tc", "qdisc", "show", "dev", TrafficShaper.ifbFor(tap))).stdout())
                    .contains("rate " + MBIT + "Mbit");
            try (ConsoleReader console = new ConsoleReader(driver.open(id))) {
                GuestShell shell = GuestShell.login(console);
                shell.run("for i in $(seq 60); do ip -4 -o addr show dev eth0 | grep -q inet && break; sleep 1; done");

                double upLimited = fromGuest(shell, gateway);
                double downLimited = toGuest(shell, gateway);
                new TrafficShaper(host.processes()).apply(tap, 0);
                double upFree = fromGuest(shell, gateway);
                double downFree = toGuest(shell, gateway);

                System.out.printf("%d bytes at %d Mbit/s: guest -> host %.2f s, host -> guest %.2f s;"
                        + " unlimited: %.2f s and %.2f s%n", BYTES, MBIT, upLimited, downLimited, upFree, downFree);
                assertThat(upLimited).as("guest -> host at %d Mbit/s", MBIT).isGreaterThan(LIMITED_MIN_SECONDS);
                assertThat(downLimited).as("host -> guest at %d Mbit/s", MBIT).isGreaterThan(LIMITED_MIN_SECONDS);
                assertThat(upFree).as("guest -> host without a limit").isLessThan(upLimited / 2);
                assertThat(downFree).as("host -> guest without a limit").isLessThan(downLimited / 2);
                shell.close();
            }
        } finally {
            driver.destroy(id);
        }
        assertThat(Files.exists(Path.of("/sys/class/net", TrafficShaper.ifbFor(TapDevice.nameFor(UmlDriver.TAP_PREFIX, id)))))
                .as("the IFB device goes with the guest").isFalse();
    }

    /** Seconds the guest takes to send {@link #BYTES} to a listener on the bridge address. */
    private double fromGuest(GuestShell shell, String gateway) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName(gateway))) {
            CompletableFuture<Double> received = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = listener.accept(); InputStream in = socket.getInputStream()) {
                    long start = System.nanoTime();
                    long total = 0;
                    byte[] buffer = new byte[65536];
                    for (int n; (n = in.read(buffer)) > 0; ) total += n;
                    assertThat(total).isEqualTo(BYTES);
                    return (System.nanoTime() - start) / 1e9;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            shell.run("head -c " + BYTES + " /dev/zero > /dev/tcp/" + gateway + "/" + listener.getLocalPort());
            return received.get(60, TimeUnit.SECONDS);
        }
    }

    /** Seconds {@link #BYTES} take from a host sender to the guest, which connects and reads them. */
    private double toGuest(GuestShell shell, String gateway) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName(gateway))) {
            CompletableFuture<Double> sent = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = listener.accept(); OutputStream out = socket.getOutputStream()) {
                    long start = System.nanoTime();
                    byte[] chunk = new byte[65536];
                    for (int left = BYTES; left > 0; left -= Math.min(left, chunk.length)) out.write(chunk, 0, Math.min(left, chunk.length));
                    socket.shutdownOutput();
                    // The guest closes once it has read everything: that is when the bytes have crossed.
                    socket.getInputStream().read();
                    return (System.nanoTime() - start) / 1e9;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(shell.run("wc -c < /dev/tcp/" + gateway + "/" + listener.getLocalPort())).isEqualTo(String.valueOf(BYTES));
            return sent.get(60, TimeUnit.SECONDS);
        }
    }
}
