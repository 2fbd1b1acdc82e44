package dev.slice.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    @Test
    void doublesFromTheBaseUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(2), Duration.ofSeconds(30));
        assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.delayAfter(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.delayAfter(4)).isEqualTo(Duration.ofSeconds(16));
        assertThat(policy.delayAfter(5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.delayAfter(500)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void everyJobKindIsAnExplicitNonEmptyListOfSteps() {
        for (JobKind kind : JobKind.values()) assertThat(kind.steps()).as(kind.id()).isNotEmpty().doesNotHaveDuplicates();
        assertThat(JobKind.CREATE.steps()).containsExactly(Step.ALLOCATE_IP, Step.CREATE_GUEST, Step.START_GUEST,
                Step.WAIT_RUNNING, Step.MARK_ACTIVE);
    }
}
