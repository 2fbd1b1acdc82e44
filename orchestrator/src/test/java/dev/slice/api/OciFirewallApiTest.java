package dev.slice.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.testing.ApiHttp;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.db.testing.TestDatabaseInitializer;
import dev.slice.driver.BackendKind;
import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.HostContext;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.HostInterface;
import dev.slice.driver.firewall.NftFirewall;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.job.JobService;
import dev.slice.job.JobStatus;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.reconciler.Reconciler;
import dev.slice.server.ServerService;
import dev.slice.testing.MutableClock;
import dev.slice.testing.Tenants;
import dev.slice.usage.UsageMeter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A customer's firewall through the REST API on a real runc container: the guest listens on TCP 8080 and 8081, the
 * customer allows 8080 under a default deny, and from the host (the test's bridge, 10.79.21.1) 8080 answers and 8081
 * does not. Rules taken off behind Slice's back come back with the reconciler's pass, a reinstalled guest has them
 * again, and a deleted server's chain is gone. On the same guest, before any rule, the usage meter counts a known
 * download from the guest (its outbound traffic) within the frames' overhead. Only the test's own bridge and subnet
 * carry traffic.
 */
@SpringBootTest(classes = OciFirewallApiTest.RealOci.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "slice.jobs.enabled=false",
        "slice.reconciler.enabled=false",
        "slice.billing.metering-enabled=false",
        "slice.usage.enabled=false",
        "slice.bootstrap.configure-bridge=true",
        "slice.bootstrap.bridge=" + OciFirewallApiTest.BRIDGE,
        "slice.bootstrap.pool-network=10.79.21.0/24",
        "slice.bootstrap.pool-gateway=10.79.21.1",
        "slice.bootstrap.operator-password=Operator-Pass-2024",
        "slice.node.heartbeat-interval=1h",
        "slice.jobs.running-timeout=120s"})
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OciFirewallApiTest {
    static final String BRIDGE = "sliceorch-fw";
    static final String PREFIX = "fw" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt() & 0xffffff, 6);
    private static final String LISTENER = "use IO::Socket::INET; my $s = IO::Socket::INET->new(LocalPort => $ARGV[0], Listen => 5,"
            + " ReuseAddr => 1) or die; while (my $c = $s->accept) { print $c \"port$ARGV[0]\\n\"; close $c }";
    /** Bytes the guest sends to whoever connects to its port 8082 (once). */
    private static final int DOWNLOAD = 5_000_000;
    private static final String SENDER = "use IO::Socket::INET; my $s = IO::Socket::INET->new(LocalPort => 8082, Listen => 1,"
            + " ReuseAddr => 1) or die; my $c = $s->accept; print $c \"x\" x " + DOWNLOAD + "; close $c";

    /** The orchestrator with the drivers found on the class path (the real OCI driver). */
    @Configuration
    @EnableAutoConfiguration(exclude = UserDetailsServiceAutoConfiguration.class)
    static class RealOci {
        @Bean
        MutableClock testClock() {
            return new MutableClock();
        }
    }

    @DynamicPropertySource
    static void guestPrefix(DynamicPropertyRegistry registry) {
        registry.add("slice.guest-id-prefix", () -> PREFIX);
    }

    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired ApiTokenService tokens;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired JobService jobs;
    @Autowired JobWorker worker;
    @Autowired Reconciler reconciler;
    @Autowired DriverRegistry registry;
    @Autowired HostContext host;
    @Autowired MutableClock clock;
    @Autowired UsageMeter meter;

    String guestId;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aDeniedPortIsRefusedAndAnAllowedOneAnswers() throws Exception {
        Driver oci = registry.driver(BackendKind.OCI).orElseThrow(() -> new AssertionError(
                "the OCI backend must be available here: " + registry.status(BackendKind.OCI).detail()));
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "fwoci");
        String token = tokens.create(customer, "fw").token();
        Plan plan = plans.create(operator, new PlanRequest("fwoci", "oci", 1, 256, 512, 0, 0));
        long id = orders.order(customer, new OrderRequest(plan.id(), "fw1", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        runJob(customer, id);
        guestId = servers.get(customer, id).guestId();
        String address = servers.get(customer, id).ipv4().replaceFirst("/.*", "");
        assertThat(address).startsWith("10.79.21.");
        GuestId guest = GuestId.of(guestId);
        String device = oci.capability(HostInterface.class).orElseThrow().hostInterface(guest);
        NftFirewall nft = new NftFirewall(host.processes());
        listen(oci, guest, address);
        assertThat(answers(address, 8080) && answers(address, 8081)).as("both ports answer before any rule").isTrue();
        metersADownload(oci, guest, address, token, id);

        HttpResponse<String> put = new ApiHttp(port).json(token, "PUT", "/api/servers/" + id + "/firewall", """
                {"defaultAction":"deny","rules":[{"action":"allow","protocol":"tcp","ports":"8080","source":"10.79.21.0/24"}]}""");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(answers(address, 8080)).as("allowed 8080").isTrue();
        assertThat(answers(address, 8081)).as("8081 under the default deny").isFalse();
        assertThat(nft.list(device)).contains("ip saddr 10.79.21.0/24 tcp dport 8080 accept");

        nft.remove(device); // as after a host reboot or a flushed ruleset
        assertThat(answers(address, 8081)).isTrue();
        reconciler.runOnce();
        assertThat(answers(address, 8081)).as("8081 after the reconciler's pass").isFalse();
        assertThat(answers(address, 8080)).isTrue();

        servers.reinstall(customer, id, "debian-12", "Another-Horse-43", List.of());
        runJob(customer, id);
        assertThat(nft.list(device)).as("the re-created guest's rules").contains("tcp dport 8080 accept");

        servers.delete(customer, id);
        runJob(customer, id);
        assertThat(nft.list(device)).as("a deleted server's chain").isEmpty();
    }

    /**
     * The meter's pass before and after the host downloads {@link #DOWNLOAD} bytes from the guest: the month's outbound
     * traffic (through the API) grew by that and the frames' headers (under 10%), its inbound by the ACKs only.
     */
    private void metersADownload(Driver oci, GuestId guest, String address, String token, long id) throws Exception {
        var exec = oci.capability(GuestExec.class).orElseThrow().exec(guest, ExecCommand.of(Duration.ofSeconds(20), "sh", "-c",
                "setsid perl -e '" + SENDER + "' </dev/null >/dev/null 2>&1 &"));
        assertThat(exec.exitCode()).as(exec.stderr()).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(meter.runPass()).as("samples of the first pass").isEqualTo(1);
        var before = ApiHttp.body(new ApiHttp(port).json(token, "GET", "/api/servers/" + id + "/traffic", null));
        long received = -1;
        for (int i = 0; i < 100 && received < 0; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, 8082), 1000);
                socket.setSoTimeout(10_000);
                received = socket.getInputStream().readAllBytes().length;
            } catch (IOException e) {
                Thread.sleep(50); // the sender is not listening yet
            }
        }
        assertThat(received).as("bytes the host received from the guest").isEqualTo(DOWNLOAD);
        clock.advance(Duration.ofMinutes(1));
        assertThat(meter.runPass()).isEqualTo(1);
        var after = ApiHttp.body(new ApiHttp(port).json(token, "GET", "/api/servers/" + id + "/traffic", null));
        long out = after.get("txBytes").asLong() - before.get("txBytes").asLong();
        long in = after.get("rxBytes").asLong() - before.get("rxBytes").asLong();
        assertThat(out).as("outbound bytes metered").isBetween((long) DOWNLOAD, DOWNLOAD + DOWNLOAD / 10L);
        assertThat(in).as("inbound bytes metered (ACKs)").isPositive().isLessThan(DOWNLOAD / 10L);
    }

    /** Two listeners in the guest (perl is in every Debian), started in the background; bounded wait until they answer. */
    private static void listen(Driver oci, GuestId guest, String address) throws InterruptedException {
        GuestExec exec = oci.capability(GuestExec.class).orElseThrow();
        for (String p : List.of("8080", "8081")) {
            var result = exec.exec(guest, ExecCommand.of(Duration.ofSeconds(20), "sh", "-c",
                    "setsid perl -e '" + LISTENER + "' " + p + " </dev/null >/dev/null 2>&1 &"));
            assertThat(result.exitCode()).as(result.stderr()).isZero();
        }
        for (int i = 0; i < 100 && !(answers(address, 8080) && answers(address, 8081)); i++) Thread.sleep(50);
    }

    /** Whether a connection gets the listener's line; a dropped SYN gives up after one second. */
    private static boolean answers(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            socket.setSoTimeout(2000);
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return ("port" + port).equals(line);
        } catch (IOException e) {
            return false;
        }
    }

    private void runJob(Actor customer, long serverId) {
        worker.runDue();
        var job = jobs.forServer(customer, serverId, 0, 1).getFirst();
        assertThat(job.status()).as(job.kind() + ": " + job.output() + " " + job.error()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @AfterAll
    void cleanUp() {
        registry.driver(BackendKind.OCI).ifPresent(oci -> {
            if (guestId != null) {
                oci.destroy(GuestId.of(guestId));
                new NftFirewall(host.processes()).remove(oci.capability(HostInterface.class).orElseThrow().hostInterface(GuestId.of(guestId)));
            }
        });
        host.processes().run(HostCommand.of("ip", "link", "del", BRIDGE));
    }
}
