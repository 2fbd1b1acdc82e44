package dev.slice.api;

import static dev.slice.testing.ApiHttp.body;
import static dev.slice.testing.ApiHttp.fields;
import static dev.slice.testing.ApiHttp.isApiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.testing.ApiHttp;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.job.JobKind;
import dev.slice.job.JobQueue;
import dev.slice.node.NodeService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.report.Depth;
import dev.slice.report.HostFacts;
import dev.slice.report.HostLoad;
import dev.slice.report.Metric;
import dev.slice.report.ReportRepository;
import dev.slice.report.ReportRun;
import dev.slice.report.ReportStatus;
import dev.slice.report.Sample;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The reading side of reports over real HTTP on real PostgreSQL, from runs written through the repository as a run
 * would write them: what a run means, two runs compared, boot times, the JSON export, plan fits; operators only;
 * bad ids are 400 naming the field and unknown ones 404, never 500.
 */
@SliceSpringTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportReadingApiTest {
    private static final HostLoad LOAD = new HostLoad(0.4, 1.0, 0.0, 20_000);

    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired ApiTokenService tokens;
    @Autowired NodeService nodes;
    @Autowired PlanService plans;
    @Autowired ReportRepository reports;
    @Autowired JobQueue jobs;

    ApiHttp api;
    String operator;
    String customer;
    long first;
    long second;
    Plan plan;

    @BeforeAll
    void twoFinishedRuns() {
        api = new ApiHttp(port);
        Actor op = Tenants.operator(accounts);
        operator = tokens.create(op, "readings").token();
        customer = tokens.create(Tenants.customer(accounts, op, "reading-nosy"), "nosy").token();
        plan = Tenants.plan(plans, op, "reading-oci", 1, 256, 1024);
        long node = nodes.findByName("local").orElseThrow().id();
        first = finishedRun(op, node, 100, 3.0);
        second = finishedRun(op, node, 80, 4.0);
    }

    /** A run of the container backend whose cpu_int is {@code ociScore} against bare metal's 100, with density. */
    private long finishedRun(Actor op, long node, double ociScore, double chargedMiB) {
        Instant now = Instant.now();
        long job = jobs.enqueue(JobKind.REPORT, null, op.accountId(), "{}", 3, now);
        long id = reports.insert(node, job, List.of("oci"), 1, 256, 1024, Depth.QUICK, true, 2048, op.accountId(), now);
        ReportRun run = reports.transition(reports.find(id).orElseThrow(), ReportStatus.RUNNING, null, now);
        reports.saveHostFacts(id, new HostFacts("Test CPU", 2, 24_000, "6.1.0", "cgroup v1", false, "off", "performance",
                Map.of("oci", "oci:runc 1.1.5")));
        for (int round = 0; round < 4; round++) {
            List<Sample> samples = new ArrayList<>();
            for (String target : List.of(Sample.BARE_METAL, "oci")) {
                double value = (target.equals("oci") ? ociScore : 100) + round % 2;
                samples.add(new Sample(target, round, round == 0, Metric.CPU_INT, value, false, LOAD, now));
                samples.add(new Sample(target, round, round == 0, Metric.SYSCALL_NULL, 50 + round % 2, false, LOAD, now));
            }
            reports.saveRound(id, samples);
        }
        reports.saveDensity(id, new ReportRepository.DensityPoint("oci", 0, 20_000, null, null, null, null, null, now));
        reports.saveDensity(id, new ReportRepository.DensityPoint("oci", 1, 19_990, 10.0, chargedMiB, 1.0, ociScore, null, now));
        reports.saveDensity(id, new ReportRepository.DensityPoint("oci", 2, 19_980, 10.0, chargedMiB, 1.0, ociScore, "safety_cap", now));
        reports.planGuest(id, "oci", "readings-" + id + "-a", "measure", 1);
        reports.guestReady("readings-" + id + "-a", 120.0);
        reports.planGuest(id, "oci", "readings-" + id + "-b", "density", 4);
        reports.guestReady("readings-" + id + "-b", 300.0);
        for (String failed : List.of("-c", "-d")) {
            reports.planGuest(id, "oci", "readings-" + id + failed, "density", 4);
            reports.guestFailed("readings-" + id + failed, "runc create failed: no space left on device");
        }
        reports.transition(run, ReportStatus.SUCCEEDED, null, now);
        return id;
    }

    @Test
    void aRunsMeaningNamesTheDensestBackendItsRevenueAndTheClaims() {
        var response = api.json(operator, "GET", "/api/reports/" + first + "/meaning", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode meaning = body(response).get("meaning");
        assertThat(meaning.get("sentences").toString()).contains("the densest backend on local is OCI container")
                .contains("One host yields").contains("plan reading-oci");
        assertThat(meaning.get("claims").findValuesAsString("verdict")).contains("HOLDS", "NOT_MEASURED");
        assertThat(meaning.get("economics").get(0).get("monthlyRevenueCents").asLong()).isPositive();
        assertThat(body(response).get("results").get("overheads").size()).isEqualTo(2);
    }

    @Test
    void twoRunsSideBySide() {
        var response = api.json(operator, "GET", "/api/reports/" + first + "/compare/" + second, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode cpu = body(response).get("ratios").get(0);
        assertThat(cpu.get("metric").asString()).isEqualTo("cpu_int");
        assertThat(cpu.get("first").get("ratio").asDouble()).isEqualTo(1.0);
        assertThat(cpu.get("second").get("ratio").asDouble()).isCloseTo(81.0 / 101, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(cpu.get("changed").asBoolean()).isTrue();
    }

    @Test
    void bootTimesAndTheJsonExport() {
        var boots = api.json(operator, "GET", "/api/reports/" + first + "/boot-times", null);
        assertThat(boots.statusCode()).isEqualTo(200);
        assertThat(body(boots).findValuesAsString("purpose")).containsExactly("measure", "density");
        var json = api.json(operator, "GET", "/api/reports/" + first + "/samples.json", null);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Disposition").orElse("")).contains("report-" + first + "-samples.json");
        assertThat(body(json).size()).isEqualTo(16);
    }

    @Test
    void theResultsCountEachBurstsFailedBootsWithTheirReason() {
        var response = api.json(operator, "GET", "/api/reports/" + first + "/results", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode burst = body(response).get("bursts").get(0);
        assertThat(burst.get("backend").asString()).isEqualTo("oci");
        assertThat(burst.get("concurrency").asInt()).isEqualTo(4);
        assertThat(burst.get("started").asInt()).isEqualTo(3);
        assertThat(burst.get("booted").asInt()).isEqualTo(1);
        assertThat(burst.get("failed").asInt()).isEqualTo(2);
        assertThat(burst.get("reasons").get(0).get("reason").asString()).isEqualTo("runc create failed: no space left on device");
        assertThat(burst.get("summary").asString()).isEqualTo("3 started, 1 booted, 2 failed: runc create failed: no space left on device");
    }

    @Test
    void aRequestWithoutAReserveFitsWithTheNodesAndTheReportSaysWhichReserveItKept() {
        long node = nodes.findByName("local").orElseThrow().id();
        Actor op = Tenants.operator(accounts);
        for (String reserve : List.of("", ", \"reserveMiB\": 4096")) {
            var started = api.json(operator, "POST", "/api/reports", "{\"nodeId\": " + node + reserve + "}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            JsonNode run = body(started).get("run");
            assertThat(run.get("reserveRequested").asBoolean()).isEqualTo(!reserve.isEmpty());
            assertThat(run.get("reserveMiB").asLong()).isEqualTo(reserve.isEmpty() ? 2048 : 4096);
            // Jobs do not run here: end the run, so the node may start another.
            ReportRun queued = reports.find(run.get("id").asLong()).orElseThrow();
            reports.transition(reports.transition(queued, ReportStatus.CANCELLING, null, Instant.now()), ReportStatus.CANCELLED, null,
                    Instant.now());
        }

        // A finished UML run whose request named no reserve: its fit keeps the node's (overcommit 1: nothing back).
        Instant now = Instant.now();
        long id = reports.insert(node, jobs.enqueue(JobKind.REPORT, null, op.accountId(), "{}", 3, now), List.of("uml"), 1, 256, 1024,
                Depth.QUICK, true, 2048, false, op.accountId(), now);
        ReportRun run = reports.transition(reports.find(id).orElseThrow(), ReportStatus.RUNNING, null, now);
        reports.saveHostFacts(id, new HostFacts("Test CPU", 2, 24_000, "6.1.0", "cgroup v1", false, "off", "performance",
                Map.of("uml", "uml:linux 6.1")));
        reports.saveDensity(id, new ReportRepository.DensityPoint("uml", 0, 20_000, null, null, null, null, null, now));
        reports.saveDensity(id, new ReportRepository.DensityPoint("uml", 1, 19_700, 300.0, 256.0, 1.0, 500.0, "safety_cap", now));
        reports.transition(run, ReportStatus.SUCCEEDED, null, now);

        var results = api.json(operator, "GET", "/api/reports/" + id + "/results", null);
        assertThat(results.statusCode()).as(results.body()).isEqualTo(200);
        JsonNode density = body(results).get("density").get(0);
        assertThat(density.get("reserve").get("source").asString()).isEqualTo("node");
        double overcommit = density.get("memoryOvercommit").asDouble();
        assertThat(density.get("guestsThatFitByMemory").asLong()).isEqualTo((long) Math.floor(24_000 * overcommit) / 300);
        assertThat(density.get("reserve").get("description").asString()).startsWith("the node's: ");

        var fits = api.json(operator, "GET", "/api/reports/plan-fits/" + plan.id(), null);
        assertThat(fits.statusCode()).as(fits.body()).isEqualTo(200);
        JsonNode uml = null;
        for (JsonNode fit : body(fits).get("nodes").get(0).get("fits")) if (fit.get("backend").asString().equals("uml")) uml = fit;
        assertThat(uml).as(fits.body()).isNotNull();
        assertThat(uml.get("reserve").get("source").asString()).isEqualTo("node");
    }

    @Test
    void planFitsPerNodeFromTheLatestReport() {
        var response = api.json(operator, "GET", "/api/reports/plan-fits/" + plan.id(), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode local = body(response).get("nodes").get(0);
        assertThat(local.get("nodeName").asString()).isEqualTo("local");
        JsonNode fit = local.get("fits").get(0);
        assertThat(fit.get("backend").asString()).isEqualTo("oci");
        assertThat(fit.get("runId").asLong()).as("the newest run").isEqualTo(second);
        assertThat(fit.get("guests").asLong()).isPositive();
    }

    @Test
    void badAndUnknownIdsAreClearRefusalsAndCustomersAreForbidden() {
        expect(api.json(operator, "GET", "/api/reports/abc/meaning", null), 400, "id");
        expect(api.json(operator, "GET", "/api/reports/" + first + "/compare/x1", null), 400, "otherId");
        expect(api.json(operator, "GET", "/api/reports/" + first + "/compare/" + first, null), 400, "otherId");
        expect(api.json(operator, "GET", "/api/reports/plan-fits/-", null), 400, "planId");
        expect(api.json(operator, "GET", "/api/reports/99999999999999999999/boot-times", null), 400, "id");
        for (String path : List.of("/api/reports/987654/meaning", "/api/reports/987654/compare/" + first, "/api/reports/987654/boot-times",
                "/api/reports/987654/samples.json", "/api/reports/plan-fits/987654")) {
            expect(api.json(operator, "GET", path, null), 404, null);
        }
        var unknownOther = api.json(operator, "GET", "/api/reports/" + first + "/compare/987654", null);
        expect(unknownOther, 404, null);
        assertThat(body(unknownOther).get("message").asString()).contains("otherId").contains("987654");
        for (String path : List.of("/api/reports/" + first + "/meaning", "/api/reports/" + first + "/compare/" + second,
                "/api/reports/" + first + "/boot-times", "/api/reports/" + first + "/samples.json", "/api/reports/plan-fits/" + plan.id())) {
            expect(api.json(customer, "GET", path, null), 403, null);
        }
    }

    private static void expect(java.net.http.HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(isApiError(response)).as(response.body()).isTrue();
        if (field != null) assertThat(fields(response)).containsExactly(field);
    }
}
