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
import dev.slice.job.JobQueue;
import dev.slice.job.JobService;
import dev.slice.job.JobStatus;
import dev.slice.job.JobWorker;
import dev.slice.node.NodeService;
import dev.slice.reconciler.Reconciler;
import dev.slice.testing.Tenants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
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
 * (every driver with GuestExec: runc containers, and QEMU, UML and the emulator where their GuestExec is there) and
 * bare metal, through the REST API and the job worker: every workload (the yardstick's, and the field tools' where the
 * target has them) gives samples on every target, ratios come from them, density is measured on every backend, the
 * other backends are reported as not measured, and no guest, cgroup or bridge of the run is left. A run cancelled
 * mid-way, and a run whose Slice process is SIGKILLed mid-way (a JVM of its own) and then finished by this one, also
 * end with nothing left.
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
    @Autowired org.springframework.core.env.Environment environment;

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
    // Every backend with GuestExec in one run (runc, QEMU, UML, the emulator as their GuestExec lands): about 2 minutes
    // per backend on this loaded 2-core host, past the suite's default of 5 minutes per test.
    @org.junit.jupiter.api.Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aQuickRunMeasuresEveryWorkloadOnBareMetalAndOnEveryBackendWithGuestExecAndLeavesNothing() throws Exception {
        HttpResponse<String> started = call(operatorToken, "POST", "/api/reports", """
                {"nodeId": %d, "vcpus": 1, "memoryMiB": 256, "diskMiB": 1024, "depth": "quick", "reserveMiB": 2048}""".formatted(nodeId));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long runId = json.readTree(started.body()).get("runId").asLong();
        long jobId = json.readTree(started.body()).get("jobId").asLong();
        ReportRun run = reports.get(operator, runId);
        List<String> measurable = registry.availableDrivers().stream()
                .filter(d -> d.capability(dev.slice.driver.capability.GuestExec.class).isPresent()).map(d -> d.kind().id()).toList();
        assertThat(run.backends()).as("every backend with GuestExec is measured").containsExactlyInAnyOrderElementsOf(measurable)
                .contains("oci");
        assertThat(repository.notMeasured(runId)).as("every other backend is reported as not measured, with a reason")
                .extracting(ReportRepository.NotMeasured::backend)
                .containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(BackendKind.values()).map(BackendKind::id)
                        .filter(b -> !measurable.contains(b)).toList());
        assertThat(repository.notMeasured(runId)).allSatisfy(n -> assertThat(n.reason()).isNotBlank());

        worker.runDue();

        var job = jobs.get(operator, jobId);
        assertThat(job.status()).as(job.output() + " " + job.error()).isEqualTo(JobStatus.SUCCEEDED);
        org.slf4j.LoggerFactory.getLogger(ReportRunTest.class).info("Quick run {}:\n{}", runId, job.output());
        assertThat(reports.get(operator, runId).status()).isEqualTo(ReportStatus.SUCCEEDED);

        List<Sample> samples = repository.samples(runId);
        HostFacts facts = repository.hostFacts(runId).orElseThrow();
        java.util.Map<String, ReportRepository.Target> targets = repository.targets(runId).stream()
                .collect(Collectors.toMap(ReportRepository.Target::target, t -> t));
        assertThat(targets).containsKey(Sample.BARE_METAL).containsKeys(run.backends().toArray(String[]::new));
        assertThat(targets.get(Sample.BARE_METAL).tools()).as("the host has the field tools (deploy/reports/build.sh)")
                .containsExactlyInAnyOrderElementsOf(FieldTools.PROGRAMS);
        assertThat(targets.get("oci").tools()).as("containers run the bench template's tools")
                .containsExactlyInAnyOrderElementsOf(FieldTools.PROGRAMS);
        for (String target : targets.keySet()) {
            Set<Metric> expected = expectedMetrics(targets.get(target).tools());
            Set<Metric> measured = samples.stream().filter(s -> s.target().equals(target) && !s.warmUp()).map(Sample::metric)
                    .collect(Collectors.toSet());
            assertThat(measured).as("figures measured on " + target).containsExactlyInAnyOrderElementsOf(expected);
            boolean emulated = !target.equals(Sample.BARE_METAL) && facts.emulated(target);
            long rounds = samples.stream().filter(s -> s.target().equals(target) && s.metric() == Metric.CPU_INT && !s.warmUp()).count();
            assertThat(rounds).as("measured rounds on " + target).isEqualTo(Depth.QUICK.rounds(emulated));
            assertThat(samples).filteredOn(s -> s.target().equals(target)).allMatch(s -> s.value() > 0 && s.load().loadAverage() >= 0);
        }
        assertThat(samples).filteredOn(Sample::warmUp).isNotEmpty();

        JsonNode results = json.readTree(call(operatorToken, "GET", "/api/reports/" + runId + "/results", null).body());
        assertThat(results.get("notMeasured").size()).isEqualTo(repository.notMeasured(runId).size());
        ReportResults computed = reports.results(operator, runId);
        org.slf4j.LoggerFactory.getLogger(ReportRunTest.class).info("Density {}, boots {}\n{}", computed.density(), computed.bootTimes(),
                computed.densityTable());
        for (String backend : run.backends()) {
            Set<Metric> both = expectedMetrics(targets.get(backend).tools());
            both.retainAll(expectedMetrics(targets.get(Sample.BARE_METAL).tools()));
            for (Metric metric : both) {
                List<Double> guest = measured(samples, backend, metric);
                List<Double> bare = measured(samples, Sample.BARE_METAL, metric);
                double expected = Statistics.ratioOfMedians(guest, bare, !metric.higherIsBetter()).value();
                var overhead = computed.overheads().stream().filter(o -> o.backend().equals(backend) && o.metric().equals(metric.id()))
                        .findFirst().orElseThrow(() -> new AssertionError("no ratio of " + metric.id() + " on " + backend));
                assertThat(overhead.ratio()).as(backend + " " + metric.id()).isEqualTo(expected);
                assertThat(overhead.low()).isLessThanOrEqualTo(overhead.ratio());
                assertThat(overhead.high()).isGreaterThanOrEqualTo(overhead.ratio());
            }
            var summary = computed.summaries().stream().filter(s -> s.backend().equals(backend)).findFirst().orElseThrow();
            assertThat(summary.geometricMean()).isEqualTo(Statistics.geometricMean(computed.overheads().stream()
                    .filter(o -> o.backend().equals(backend)).map(o -> o.ratio()).toList()));
            assertThat(summary.bootMillis()).isPositive();
        }
        assertThat(results.get("host").get("cpus").asInt()).isPositive();

        List<ReportRepository.DensityPoint> curve = repository.density(runId);
        for (String backend : run.backends()) {
            boolean emulated = facts.emulated(backend);
            int cap = Depth.QUICK.densityCap(emulated);
            List<ReportRepository.DensityPoint> points = curve.stream().filter(p -> p.backend().equals(backend)).toList();
            assertThat(points).extracting(ReportRepository.DensityPoint::guests)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(0, cap).boxed().toList());
            assertThat(points.getLast().stopReason()).isEqualTo("safety_cap");
            assertThat(points.subList(1, cap + 1)).allSatisfy(p -> {
                assertThat(p.idleCpuPercentPerGuest()).isNotNegative();
                assertThat(p.cpuScore()).isPositive();
                assertThat(p.guestProcesses()).as("host processes of the " + backend + " guests").isPositive();
                assertThat(p.pssMiBPerGuest()).isPositive();
                assertThat(p.kernelMiBPerGuest()).isNotNegative();
            });
            assertThat(computed.density()).filteredOn(d -> d.backend().equals(backend)).singleElement().satisfies(d -> {
                assertThat(d.guests()).isEqualTo(cap);
                assertThat(d.guestsThatFit()).isPositive();
                assertThat(d.guestsThatFitByCpu()).isPositive();
            });
            assertThat(computed.bootTimes()).filteredOn(b -> b.backend().equals(backend)).extracting(ReportResults.BootTimes::concurrency)
                    .containsAll(Depth.QUICK.bootBursts(emulated)).contains(1);
        }

        HttpResponse<String> csv = call(operatorToken, "GET", "/api/reports/" + runId + "/samples.csv", null);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body().lines().count()).isEqualTo(samples.size() + 1);
        assertThat(csv.body()).contains(",oci,", ",bare-metal,", ",cpu_int,", ",fio_rand_read,");

        assertNothingLeft(runId);
    }

    /** The yardstick's figures everywhere, and those of the field tools the target has. */
    private static Set<Metric> expectedMetrics(List<String> tools) {
        return java.util.Arrays.stream(Metric.values()).filter(Metric::comparedWithBareMetal)
                .filter(m -> m.tool().equals(Metric.YARDSTICK) || tools.contains(m.tool()))
                .collect(Collectors.toCollection(() -> java.util.EnumSet.noneOf(Metric.class)));
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
    void aRunWhoseSliceProcessIsKilledMidWayIsFinishedWhenSliceRunsAgainWithNothingLeft() throws Exception {
        ReportRun run = reports.start(operator, new ReportService.StartRequest(nodeId, List.of("oci"), 1, 256L, 1024L, "quick", false, null));
        List<String> argv = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SliceWithReports.class.getName()));
        for (String key : List.of("spring.datasource.url", "spring.datasource.username", "spring.datasource.password",
                "spring.flyway.schemas", "spring.flyway.default-schema", "slice.guest-id-prefix", "slice.reports.bridge",
                "slice.reports.network", "slice.reports.boot-timeout", "slice.bootstrap.operator-password")) {
            argv.add("--" + key + "=" + environment.getRequiredProperty(key));
        }
        Path log = Files.createTempFile("slice-report-crash", ".log");
        Process slice = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(200).toNanos();
            while (!repository.roundDone(run.id(), "oci", 0)) {
                assertThat(slice.isAlive()).as("the child Slice runs; its log:\n%s", tail(log)).isTrue();
                assertThat(System.nanoTime()).as("the child Slice measures within 200 s; its log:\n%s", tail(log)).isLessThan(deadline);
                Thread.sleep(200);
            }
            slice.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up step, its guest stays behind for now
            assertThat(slice.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            slice.destroyForcibly();
        }
        assertThat(repository.guests(run.id())).singleElement().satisfies(g -> assertThat(g.status()).isEqualTo("ready"));
        assertThat(reports.get(operator, run.id()).status()).isEqualTo(ReportStatus.RUNNING);

        Thread.sleep(3500); // the killed Slice's heartbeat goes stale; this Slice is the one that "starts again"
        worker.runDue();

        ReportRun ended = reports.get(operator, run.id());
        assertThat(ended.status()).as(jobs.get(operator, run.jobId()).output()).isEqualTo(ReportStatus.SUCCEEDED);
        assertThat(repository.guests(run.id())).as("the survivor used the guest made before").hasSize(1);
        assertThat(repository.samples(run.id()).stream().filter(s -> s.target().equals("oci") && s.metric() == Metric.CPU_INT).count())
                .isEqualTo(Depth.QUICK.warmUps() + Depth.QUICK.rounds(false));
        assertThat(reconciler.runOnce()).as("nothing of the run is left for the reconciler")
                .noneMatch(f -> f.guestId().startsWith(PREFIX + "-bench" + run.id() + "-"));
        assertNothingLeft(run.id());
        Files.deleteIfExists(log);
    }

    /** Slice with its job worker on, in a JVM of its own, on the test's schema: the process the test SIGKILLs. */
    public static final class SliceWithReports {
        public static void main(String[] args) {
            Thread.ofPlatform().daemon().start(() -> { // ends with the test that started it, should that one die first
                try {
                    while (System.in.read() >= 0) { /* nothing is sent */ }
                } catch (java.io.IOException ignored) {
                    // the parent is gone either way
                }
                Runtime.getRuntime().halt(3);
            });
            org.springframework.boot.SpringApplication application = new org.springframework.boot.SpringApplication(RealDrivers.class);
            application.setWebApplicationType(org.springframework.boot.WebApplicationType.NONE);
            List<String> all = new java.util.ArrayList<>(List.of(args));
            all.addAll(List.of("--slice.jobs.enabled=true", "--slice.reconciler.enabled=false", "--slice.bootstrap.configure-bridge=false",
                    "--slice.jobs.stale-after=3s", "--slice.jobs.heartbeat-interval=500ms", "--spring.flyway.enabled=false"));
            application.run(all.toArray(String[]::new));
            try {
                Thread.currentThread().join(); // the job worker's threads are daemons: this Slice runs until it is killed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
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
        HttpResponse<String> onlyUnmeasurable = call(operatorToken, "POST", "/api/reports", """
                {"nodeId": %d, "backends": ["xen"]}""".formatted(nodeId));
        assertThat(onlyUnmeasurable.statusCode()).as("a run of nothing but backends it cannot measure").isEqualTo(400);
        assertThat(onlyUnmeasurable.body()).contains("backends").contains("xen: ");
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
        for (Driver driver : registry.availableDrivers()) {
            assertThat(driver.list()).as("guests of the run left on " + driver.kind().id()).extracting(GuestInfo::id)
                    .noneMatch(id -> id.value().startsWith(PREFIX + "-bench" + runId + "-"));
        }
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
        for (Driver driver : registry.availableDrivers()) {
            driver.list().stream().filter(g -> g.id().value().startsWith(PREFIX + "-")).forEach(g -> driver.destroy(g.id()));
        }
    }
}
