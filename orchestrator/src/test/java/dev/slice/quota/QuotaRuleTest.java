package dev.slice.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.error.ValidationException;
import dev.slice.plan.PlanLimits;
import org.junit.jupiter.api.Test;

class QuotaRuleTest {
    private static final Usage HELD = new Usage(3, 6, 3072, 30_720, 3);
    private static final Usage SMALL = Usage.newServer(2, 1024, 10_240);

    @Test
    void anUnlimitedQuotaTakesAnything() {
        assertThat(QuotaRule.firstExceeded(Quota.UNLIMITED, HELD, Usage.newServer(256, 1 << 22, 1 << 26))).isEmpty();
    }

    @Test
    void exactlyReachingALimitFitsAndOneMoreDoesNot() {
        Quota four = new Quota(4, 8, 4096L, 40_960L, 4);
        assertThat(QuotaRule.firstExceeded(four, HELD, SMALL)).isEmpty();
        Usage full = new Usage(4, 8, 4096, 40_960, 4);
        assertThat(QuotaRule.firstExceeded(four, full, SMALL)).get().extracting(QuotaRule.Exceeded::resource).isEqualTo(Resource.SERVERS);
    }

    @Test
    void theMessageNamesTheResourceWhatIsHeldTheLimitAndTheNeed() {
        Quota memory = new Quota(null, null, 4096L, null, null);
        QuotaRule.Exceeded over = QuotaRule.firstExceeded(memory, HELD, Usage.newServer(1, 2048, 256)).orElseThrow();
        assertThat(over).isEqualTo(new QuotaRule.Exceeded(Resource.MEMORY, 3072, 4096, 2048));
        assertThat(over.describe("sold", "this plan needs")).isEqualTo("memory: 3,072 of 4,096 MiB sold, this plan needs 2,048");
        QuotaRule.Exceeded ipv4 = QuotaRule.firstExceeded(new Quota(null, null, null, null, 3), HELD, SMALL).orElseThrow();
        assertThat(ipv4.describe("used", "this plan needs")).isEqualTo("IPv4 addresses: 3 of 3 used, this plan needs 1");
    }

    @Test
    void eachResourceIsChecked() {
        assertThat(QuotaRule.firstExceeded(new Quota(null, 7, null, null, null), HELD, SMALL)).get()
                .extracting(QuotaRule.Exceeded::resource).isEqualTo(Resource.VCPUS);
        assertThat(QuotaRule.firstExceeded(new Quota(null, null, null, 40_000L, null), HELD, SMALL)).get()
                .extracting(QuotaRule.Exceeded::resource).isEqualTo(Resource.DISK);
        assertThat(QuotaRule.firstExceeded(new Quota(0, null, null, null, null), new Usage(0, 0, 0, 0, 0), SMALL)).get()
                .extracting(QuotaRule.Exceeded::resource).isEqualTo(Resource.SERVERS);
    }

    @Test
    void aResizeCountsOnlyGrowthAndShrinkingIsAlwaysAllowed() {
        Quota memory = new Quota(3, null, 3072L, null, null);
        Usage grow = Usage.resize(1, 1024, 10_240, 1, 2048, 10_240);
        assertThat(grow).isEqualTo(new Usage(0, 0, 1024, 0, 0));
        QuotaRule.Exceeded over = QuotaRule.firstExceeded(memory, HELD, grow).orElseThrow();
        assertThat(over.describe("sold", "this resize needs")).isEqualTo("memory: 3,072 of 3,072 MiB sold, this resize needs 1,024");
        // Over the limit already (it was lowered): a smaller plan is still fine, and a resize takes no server slot.
        Usage shrink = Usage.resize(2, 2048, 10_240, 1, 1024, 10_240);
        assertThat(QuotaRule.firstExceeded(new Quota(1, 1, 1024L, 1L, 1), HELD, shrink)).isEmpty();
    }

    @Test
    void boundsNameTheField() {
        new Quota(0, 0, 0L, 0L, 0).validate();
        new Quota(PlanLimits.MAX_SERVERS_PER_GRANT, PlanLimits.MAX_VCPUS_TOTAL, PlanLimits.MAX_MEMORY_MIB_TOTAL,
                PlanLimits.MAX_DISK_MIB_TOTAL, PlanLimits.MAX_IPV4_ADDRESSES_TOTAL).validate();
        Quota.UNLIMITED.validate();
        expectField(new Quota(-1, null, null, null, null), "maxServers");
        expectField(new Quota(null, -1, null, null, null), "maxVcpus");
        expectField(new Quota(null, null, PlanLimits.MAX_MEMORY_MIB_TOTAL + 1, null, null), "maxMemoryMiB");
        expectField(new Quota(null, null, null, -5L, null), "maxDiskMiB");
        expectField(new Quota(null, null, null, null, PlanLimits.MAX_IPV4_ADDRESSES_TOTAL + 1), "maxIpv4Addresses");
    }

    private static void expectField(Quota quota, String field) {
        assertThatThrownBy(quota::validate).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
