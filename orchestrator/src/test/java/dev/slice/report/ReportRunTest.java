package dev.slice.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.db.testing.TestDatabaseInitializer;
import dev.slice.driver.BackendKind;
import dev.slice.driver.Driver;
import dev.slice.driver.GuestInfo;
import dev.slice.driver.host.HostBridge;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.job.Job;
import dev.slice.job.JobQueue;
import dev.slice.job.JobService;
import dev.slice.job.JobStatus;
import dev.slice.job.JobWorker;
import dev.slice.job.RetryPolicy;
import dev.slice.job.Step;
import dev.slice.job.StepRunner;
import dev.slice.node.NodeService;
import dev.slice.reconciler.Reconciler;
import dev.slice.testing.Tenants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A quick benchmark run end to end on this host's real backends that can run commands in their guests
 * (runc containers) and bare metal, through the REST API and the job worker: every workload gives samples
 * on every target, ratios come from them, and no guest, cgroup or bridge of the run is left. A run cancelled
 * mid-way also ends with nothing left.
 */
@SpringBootTest(classes = ReportRunTest.RealDrivers.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "slice.jobs.enabled=false",
        "slice.reconciler.enabled=false",
        "slice.bootstrap.configure-bridge=false",
        "slice.bootstrap.operator-password=Operator-Pass-2024",
        "slice.reports.bridge=" + ReportRunTest.BRIDGE,
        "slice.reports.network=10.79.9.0/24",
        "slice.reports.boot-timeout=120s",
        "slice.jobs.stale-after=3s"})
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportRunTest {
    static final String BRIDGE = "slicerep-t0";
    static final String PREFIX = "rep" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt() & 0xffffff, 6);
    private static final Set<Metric> YARDSTICK_METRICS = Set.of(Metric.values()).stream()
            .filter(Metric::comparedWithBareMetal).collect(Collectors.toSet());

    /** The orchestrator with the drivers found on the class path (the real OCI driver). */
    @Configuration
    @EnableAutoConfiguration(exclude = UserDetailsServiceAutoConfiguration.class)
    static class RealDrivers {}

    @DynamicPropertySource
    static void guestPrefix(DynamicPropertyRegistry registry) {
        registry.add("slice.guest-id-prefix", () -> PREFIX);
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired ApiTokenService tokens;
    @Autowired NodeService nodes;
    @Autowired JobWorker worker;
    @Autowired JobService jobs;
    @Autowired DriverRegistry registry;
    @Autowired ReportRepository repository;
    @Autowired ReportService reports;
    @Autowired ReportSteps steps;
    @Autowired JobQueue queue;
    @Autowired Reconciler reconciler;

    Actor operator;
    String operatorToken;
    String customerToken;
    long nodeId;

    @BeforeAll
    void operatorAndNode() {
        operator = Tenants.operator(accounts);
        operatorToken = tokens.create(operator, "reports").token();
        customerToken = tokens.create(Tenants.customer(accounts, operator, "nosy"), "nosy").token();
        nodeId = nodes.findByName("local").orElseThrow().id();
        assertThat(registry.driver(BackendKind.OCI)).as("the OCI backend must be available here: %s",
                registry.status(BackendKind.OCI).detail()).isPresent();
    }

    @Test
    @Order(1)
    void aQuickRunMeasuresEveryWorkloadOnBareMetalAndInAContainerAndLeavesNothing() throws Exception {
        HttpResponse<String> started = call(operatorToken, "POST", "/api/reports", """
                {"nodeId": %d, "backends": ["oci"], "vcpus": 1, "memoryMiB": 256, "diskMiB": 1024, "depth": "quick", "reserveMiB": 2048}""".formatted(nodeId));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long runId = json.readTree(started.body()).get("runId").asLong();
        long jobId = json.readTree(started.body()).get("jobId").asLong();

        worker.runDue();

        var job = jobs.get(operator, jobId);
        assertThat(job.status()).as(job.output() + " " + job.error()).isEqualTo(JobStatus.SUCCEEDED);
        org.slf4j.LoggerFactory.getLogger(ReportRunTest.class).info("Quick run {}:\n{}", runId, job.output());
        assertThat(reports.get(operator, runId).status()).isEqualTo(ReportStatus.SUCCEEDED);

        List<Sample> samples = repository.samples(runId);
        for (String target : List.of(Sample.BARE_METAL, "oci")) {
            Set<Metric> measured = samples.stream().filter(s -> s.target().equals(target) && !s.warmUp()).map(Sample::metric)
                    .collect(Collectors.toSet());
            assertThat(measured).as("figures measured on " + target).containsAll(YARDSTICK_METRICS);
            long rounds = samples.stream().filter(s -> s.target().equals(target) && s.metric() == Metric.CPU_INT && !s.warmUp()).count();
            assertThat(rounds).as("measured rounds on " + target).isEqualTo(Depth.QUICK.rounds(false));
            assertThat(samples).filteredOn(s -> s.target().equals(target)).allMatch(s -> s.value() > 0 && s.load().loadAverage() >= 0);
        }
        assertThat(samples).filteredOn(Sample::warmUp).isNotEmpty();

        JsonNode results = json.readTree(call(operatorToken, "GET", "/api/reports/" + runId + "/results", null).body());
        JsonNode overheads = results.get("overheads");
        assertThat(overheads.size()).isEqualTo(YARDSTICK_METRICS.size());
        ReportResults computed = reports.results(operator, runId);
        org.slf4j.LoggerFactory.getLogger(ReportRunTest.class).info("Density {}, boots {}", computed.density(), computed.bootTimes());
        for (Metric metric : YARDSTICK_METRICS) {
            List<Double> guest = measured(samples, "oci", metric);
            List<Double> bare = measured(samples, Sample.BARE_METAL, metric);
            double expected = Statistics.ratioOfMedians(guest, bare, !metric.higherIsBetter()).value();
            var overhead = computed.overheads().stream().filter(o -> o.metric().equals(metric.id())).findFirst().orElseThrow();
            assertThat(overhead.ratio()).as(metric.id()).isEqualTo(expected);
            assertThat(overhead.low()).isLessThanOrEqualTo(overhead.ratio());
            assertThat(overhead.high()).isGreaterThanOrEqualTo(overhead.ratio());
        }
        var summary = computed.summaries().getFirst();
        assertThat(summary.backend()).isEqualTo("oci");
        assertThat(summary.geometricMean()).isEqualTo(Statistics.geometricMean(computed.overheads().stream().map(o -> o.ratio()).toList()));
        assertThat(summary.bootMillis()).isPositive();
        assertThat(results.get("host").get("cpus").asInt()).isPositive();

        List<ReportRepository.DensityPoint> curve = repository.density(runId);
        assertThat(curve).extracting(ReportRepository.DensityPoint::guests).containsExactly(0, 1, 2, 3);
        assertThat(curve.getLast().stopReason()).isEqualTo("safety_cap");
        assertThat(curve.subList(1, 4)).allSatisfy(p -> {
            assertThat(p.chargedMiBPerGuest()).isPositive();
            assertThat(p.idleCpuPercentPerGuest()).isNotNegative();
            assertThat(p.cpuScore()).isPositive();
        });
        assertThat(computed.density()).singleElement().satisfies(d -> {
            assertThat(d.guests()).isEqualTo(3);
            assertThat(d.guestsThatFit()).isPositive();
        });
        assertThat(computed.bootTimes()).extracting(ReportResults.BootTimes::concurrency).contains(1, 4);
        assertThat(computed.bootTimes()).filteredOn(b -> b.concurrency() == 4).singleElement()
                .satisfies(b -> assertThat(b.n()).isEqualTo(4));

        HttpResponse<String> csv = call(operatorToken, "GET", "/api/reports/" + runId + "/samples.csv", null);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body().lines().count()).isEqualTo(samples.size() + 1);
        assertThat(csv.body()).contains(",oci,", ",bare-metal,", ",cpu_int,");

        assertNothingLeft(runId);
    }

    @Test
    @Order(2)
    void aRunCancelledMidWayEndsCancelledWithNoGuestLeft() throws Exception {
        ReportRun run = reports.start(operator, new ReportService.StartRequest(nodeId, List.of("oci"), 1, 256L, 1024L, "quick", false, null));
        Thread runner = Thread.ofPlatform().name("report-runner").start(worker::runDue);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!repository.roundDone(run.id(), "oci", 0) && !repository.roundDone(run.id(), Sample.BARE_METAL, 1)) {
            assertThat(System.nanoTime()).as("the run measures something within 120 s").isLessThan(deadline);
            assertThat(runner.isAlive()).as("the run is still going").isTrue();
            Thread.sleep(100);
        }
        assertThat(reconciler.runOnce()).as("a running report's guests are not orphans")
                .noneMatch(f -> f.guestId().startsWith(PREFIX + "-bench" + run.id() + "-"));
        assertThat(reports.cancel(operator, run.id()).status()).isEqualTo(ReportStatus.CANCELLING);
        runner.join(Duration.ofSeconds(120));
        assertThat(runner.isAlive()).isFalse();

        ReportRun ended = reports.get(operator, run.id());
        assertThat(ended.status()).isEqualTo(ReportStatus.CANCELLED);
        long measuredRounds = repository.samples(run.id()).stream().filter(s -> s.metric() == Metric.CPU_INT).count();
        assertThat(measuredRounds).as("stopped before all rounds").isLessThan(2L * (Depth.QUICK.warmUps() + Depth.QUICK.rounds(false)));
        assertNothingLeft(run.id());
    }

    @Test
    @Order(3)
    void aRunWhoseWorkerDiedAfterMakingItsGuestIsFinishedByAnotherWithOneGuestAndNothingLeft() throws Exception {
        ReportRun run = reports.start(operator, new ReportService.StartRequest(nodeId, List.of("oci"), 1, 256L, 1024L, "quick", false, null));
        CountDownLatch measuring = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        JobWorker[] dying = new JobWorker[1];
        StepRunner diesBeforeMeasuring = new StepRunner() {
            @Override
            public String run(Job job, Step step) throws Exception {
                if (step == Step.REPORT_MEASURE) {
                    dying[0].kill(); // the process "dies": no heartbeat, no more writes
                    measuring.countDown();
                    never.await(2, TimeUnit.MINUTES);
                    return "never recorded";
                }
                return steps.run(job, step);
            }

            @Override
            public void failed(Job job, String error) {
                steps.failed(job, error);
            }
        };
        dying[0] = new JobWorker("dying", queue, diesBeforeMeasuring, RetryPolicy.DEFAULT, Clock.systemUTC(),
                new JobWorker.Settings(1, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(3)));
        Thread doomed = Thread.ofPlatform().name("report-doomed").start(dying[0]::runDue);
        assertThat(measuring.await(2, TimeUnit.MINUTES)).as("the doomed worker made the guest").isTrue();
        assertThat(repository.guests(run.id())).singleElement().satisfies(g -> assertThat(g.status()).isEqualTo("ready"));

        Thread.sleep(3500); // its heartbeat goes stale
        worker.runDue();
        never.countDown();
        doomed.join(Duration.ofSeconds(30));

        ReportRun ended = reports.get(operator, run.id());
        assertThat(ended.status()).as(jobs.get(operator, run.jobId()).output()).isEqualTo(ReportStatus.SUCCEEDED);
        assertThat(jobs.get(operator, run.jobId()).output()).contains("taken over");
        assertThat(repository.guests(run.id())).as("the survivor used the guest made before").hasSize(1);
        assertThat(repository.samples(run.id()).stream().filter(s -> s.target().equals("oci") && s.metric() == Metric.CPU_INT).count())
                .isEqualTo(Depth.QUICK.warmUps() + Depth.QUICK.rounds(false));
        assertNothingLeft(run.id());
    }

    @Test
    @Order(4)
    void onlyOperatorsRunReportsAndBadInputNamesTheField() throws Exception {
        assertThat(call(customerToken, "GET", "/api/reports", null).statusCode()).isEqualTo(403);
        assertThat(call(customerToken, "POST", "/api/reports", "{\"nodeId\": %d}".formatted(nodeId)).statusCode()).isEqualTo(403);
        HttpResponse<String> badBackend = call(operatorToken, "POST", "/api/reports", """
                {"nodeId": %d, "backends": ["vmware"]}""".formatted(nodeId));
        assertThat(badBackend.statusCode()).isEqualTo(400);
        assertThat(badBackend.body()).contains("backends");
        HttpResponse<String> badDepth = call(operatorToken, "POST", "/api/reports", """
                {"nodeId": %d, "depth": "deep"}""".formatted(nodeId));
        assertThat(badDepth.statusCode()).isEqualTo(400);
        assertThat(badDepth.body()).contains("depth");
        assertThat(call(operatorToken, "POST", "/api/reports", "{\"nodeId\": %d, \"vcpus\": 0}".formatted(nodeId)).body()).contains("vcpus");
        assertThat(call(operatorToken, "POST", "/api/reports", "{}").statusCode()).isEqualTo(400);
        assertThat(call(operatorToken, "GET", "/api/reports/999999", null).statusCode()).isEqualTo(404);
        JsonNode list = json.readTree(call(operatorToken, "GET", "/api/reports", null).body());
        assertThat(list.get("total").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(call(operatorToken, "GET", "/api/openapi", null).body()).contains("/api/reports/{id}/results");
    }

    private static List<Double> measured(List<Sample> samples, String target, Metric metric) {
        return samples.stream().filter(s -> s.target().equals(target) && s.metric() == metric && !s.warmUp()).map(Sample::value).toList();
    }

    private void assertNothingLeft(long runId) {
        Driver oci = registry.driver(BackendKind.OCI).orElseThrow();
        assertThat(oci.list()).extracting(GuestInfo::id).noneMatch(id -> id.value().startsWith(PREFIX + "-bench" + runId + "-"));
        assertThat(repository.guests(runId)).isNotEmpty().allMatch(g -> g.status().equals("destroyed"));
        assertThat(HostBridge.exists(BRIDGE)).as("the run's bridge is removed").isFalse();
        assertThat(Path.of("/sys/fs/cgroup/cpu/slice-bench/run-" + runId)).doesNotExist();
        assertThat(Files.exists(Path.of("/var/lib/slice/bench/runs/" + runId))).isFalse();
    }

    private HttpResponse<String> call(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
        if (body != null) request.header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @AfterAll
    void cleanUp() {
        // a failed assertion above must not leave guests on the host either
        registry.driver(BackendKind.OCI).ifPresent(oci -> oci.list().stream()
                .filter(g -> g.id().value().startsWith(PREFIX + "-")).forEach(g -> oci.destroy(g.id())));
    }
}
