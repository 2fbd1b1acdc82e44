package dev.slice.report.meaning;

import static dev.slice.report.meaning.MeaningFixtures.KVM_HOST;
import static dev.slice.report.meaning.MeaningFixtures.NODE;
import static dev.slice.report.meaning.MeaningFixtures.TCG_HOST;
import static dev.slice.report.meaning.MeaningFixtures.results;
import static dev.slice.report.meaning.MeaningFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.plan.Plan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The words a report says about its figures: densest, cheapest, revenue, the classic claims, published figures beside. */
class ReportMeaningTest {
    private static final Map<String, PlanPrice> PRICES = Map.of(
            "oci", new PlanPrice(1, "oci-xs", "oci", 300),
            "qemu", new PlanPrice(2, "qemu-s", "qemu", 400));

    private static Meaning.Claim claim(Meaning meaning, String startsWith) {
        return meaning.claims().stream().filter(c -> c.claim().startsWith(startsWith)).findFirst().orElseThrow();
    }

    @Test
    void theDensestAndCheapestBackendAndEachHostsMonthlyRevenue() {
        var run = run(1, List.of("oci", "qemu", "uml"));
        // oci: no overhead; qemu: 144 MiB beyond its 256; uml: 64 MiB beyond, no plan of its size.
        var results = results(run, KVM_HOST, Map.of("oci", 0.99, "qemu", 0.90, "uml", 0.95),
                Map.of("oci", 3.0, "qemu", 400.0, "uml", 320.0));
        Meaning meaning = ReportMeaning.of(results, new dev.slice.node.Node(1, "local", 64, 24_000, 1_000_000, 16, 1.5, 4, null, true), PRICES);

        long ociFit = (long) Math.floor((24_000 - 2048) * 1.5) / 256;
        long qemuFit = (long) Math.floor((24_000 - 2048) * 1.5) / (256 + 144);
        assertThat(meaning.economics()).extracting(e -> e.backend() + "=" + e.fit().guests())
                .containsExactly("oci=" + ociFit, "qemu=" + qemuFit, "uml=" + (long) Math.floor((24_000 - 2048) * 1.5) / 320);
        var oci = meaning.economics().getFirst();
        assertThat(oci.monthlyRevenueCents()).isEqualTo(ociFit * 300);
        assertThat(meaning.economics().get(2).monthlyRevenueCents()).as("no uml plan of 1 vCPU, 256 MiB").isNull();
        assertThat(meaning.sentences()).anyMatch(s -> s.startsWith("At 1 vCPU, 256 MiB and 1024 MiB of disk, the densest backend on local is "
                + "OCI container: " + ociFit + " guests fit (limited by memory"));
        assertThat(meaning.sentences()).contains("The cheapest per guest in host memory is OCI container: its 256 MiB of RAM plus 0 MiB "
                + "measured beyond it.");
        assertThat(meaning.sentences()).contains("One host yields " + ReportMeaning.money(ociFit * 300) + " per month with OCI container ("
                + ociFit + " guests of plan oci-xs at 3.00).");
        assertThat(meaning.sentences()).anyMatch(s -> s.startsWith("User-Mode Linux: ") && s.contains("no revenue is computed"));
    }

    @Test
    void theClassicClaimsHoldWhenTheOrderIsOsLevelParavirtualFullEmulated() {
        var run = run(2, List.of("oci", "uml", "qemu", "emulator"));
        Meaning meaning = ReportMeaning.of(results(run, KVM_HOST, Map.of("oci", 0.98, "uml", 0.80, "qemu", 0.70, "emulator", 0.02), Map.of()),
                NODE, PRICES);
        assertThat(meaning.claims()).extracting(Meaning.Claim::verdict).containsOnly(Meaning.Verdict.HOLDS);
        assertThat(claim(meaning, "OS-level").sentence()).contains("OCI container 0.98");
        assertThat(claim(meaning, "Emulation").sentence()).contains("RISC-V emulator 0.02").contains("QEMU with KVM 0.70");
        assertThat(meaning.sentences()).anyMatch(s -> s.contains("Density was not measured"));
    }

    @Test
    void claimsThatFailOrCannotBeCheckedSaySo() {
        var run = run(3, List.of("oci", "qemu"));
        // On a TCG host QEMU is emulation: slower than the container, so "emulation is slowest" holds, and full
        // virtualization was not measured at all; a container 20 % faster than bare metal is not "within a few percent".
        Meaning meaning = ReportMeaning.of(results(run, TCG_HOST, Map.of("oci", 1.26, "qemu", 0.05), Map.of()), NODE, PRICES);
        assertThat(claim(meaning, "OS-level").verdict()).isEqualTo(Meaning.Verdict.DOES_NOT_HOLD);
        assertThat(claim(meaning, "OS-level").sentence()).contains("cpu_int 1.26");
        assertThat(claim(meaning, "Full virtualization").verdict()).isEqualTo(Meaning.Verdict.NOT_MEASURED);
        assertThat(claim(meaning, "Paravirtualization").verdict()).isEqualTo(Meaning.Verdict.NOT_MEASURED);
        assertThat(claim(meaning, "Emulation").verdict()).isEqualTo(Meaning.Verdict.HOLDS);
        assertThat(claim(meaning, "Emulation").sentence()).contains("QEMU, TCG emulation (no KVM) 0.05").doesNotContain("KVM 0.05");
        assertThat(meaning.sentences()).anyMatch(s -> s.startsWith("QEMU, TCG emulation (no KVM) runs at 0.05") && s.contains("emulation, not virtualization"));

        Meaning slowContainer = ReportMeaning.of(results(run, KVM_HOST, Map.of("oci", 0.60, "qemu", 0.90), Map.of()), NODE, PRICES);
        assertThat(claim(slowContainer, "Full virtualization").verdict()).isEqualTo(Meaning.Verdict.DOES_NOT_HOLD);
    }

    @Test
    void publishedFiguresStandBesideMeasuredOnesOfTheSameApproachOnly() {
        var run = run(4, List.of("oci", "qemu"));
        Meaning kvm = ReportMeaning.of(results(run, KVM_HOST, Map.of("oci", 0.99, "qemu", 0.9), Map.of("qemu", 400.0)), NODE, PRICES);
        assertThat(kvm.references()).filteredOn(r -> r.backend().equals("qemu") && r.what().equals("cpu_int"))
                .extracting(r -> r.published().system()).contains("KVM, untuned", "KVM, tuned", "Firecracker microVM");
        assertThat(kvm.references()).filteredOn(r -> r.what().equals("memory_per_guest"))
                .extracting(r -> r.published().system() + "=" + r.measured()).contains("QEMU=144.0");
        assertThat(kvm.references()).filteredOn(r -> r.backend().equals("oci")).extracting(r -> r.published().source())
                .containsOnly(PublishedFigures.FELTER);
        assertThat(kvm.references()).allSatisfy(r -> assertThat(r.published().describe()).contains("published"));

        Meaning tcg = ReportMeaning.of(results(run, TCG_HOST, Map.of("oci", 0.99, "qemu", 0.05), Map.of("qemu", 400.0)), NODE, PRICES);
        assertThat(tcg.references()).as("nothing published about KVM stands beside TCG").noneMatch(r -> r.backend().equals("qemu"));
    }

    @Test
    void everyPublishedFigureNamesItsSourceAndUncheckedOnesSaySo() {
        assertThat(PublishedFigures.ALL).allSatisfy(f -> {
            assertThat(f.source()).isNotBlank();
            assertThat(f.document()).isNotBlank();
            assertThat(f.approach()).isNotEqualTo(Approach.EMULATION);
        });
        assertThat(PublishedFigures.ALL).filteredOn(f -> !f.checked()).allSatisfy(f -> assertThat(f.describe()).contains("unchecked"));
        assertThat(PublishedFigures.ratios(Approach.FULL_VIRTUALIZATION, "tcp_rr")).singleElement()
                .satisfies(f -> assertThat(f.value()).isCloseTo(0.556, org.assertj.core.data.Offset.offset(0.001)));
    }

    @Test
    void pricesComeFromTheCheapestActivePlanOfTheMeasuredSize() {
        var run = run(5, List.of("oci", "qemu"));
        List<Plan> plans = List.of(plan(1, "oci-a", "oci", 1, 256, 500, true), plan(2, "oci-b", "oci", 1, 256, 300, true),
                plan(3, "oci-old", "oci", 1, 256, 100, false), plan(4, "qemu-m", "qemu", 1, 512, 800, true));
        Map<String, PlanPrice> prices = ReportMeaning.pricesForRun(run, plans);
        assertThat(prices).containsOnlyKeys("oci");
        assertThat(prices.get("oci").name()).isEqualTo("oci-b");
    }

    @Test
    void qemuIsLabelledTcgWithoutKvmAndNeverKvm() {
        assertThat(Approach.label("qemu", TCG_HOST)).isEqualTo("QEMU, TCG emulation (no KVM)");
        assertThat(Approach.of("qemu", TCG_HOST)).isEqualTo(Approach.EMULATION);
        assertThat(Approach.label("qemu", KVM_HOST)).isEqualTo("QEMU with KVM");
        assertThat(Approach.of("qemu", null)).as("no host facts: no claim of KVM").isEqualTo(Approach.EMULATION);
        assertThat(Approach.of("uml", KVM_HOST)).isEqualTo(Approach.PARAVIRTUALIZATION);
        assertThat(Approach.of("oci", KVM_HOST)).isEqualTo(Approach.OS_LEVEL);
    }

    private static Plan plan(long id, String name, String backend, int vcpus, long memory, long price, boolean active) {
        return new Plan(id, 1, "operator", name, backend, vcpus, memory, 1024, 0, price, active, Instant.EPOCH, null, 0, 0);
    }
}
