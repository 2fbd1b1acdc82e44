package dev.slice.job.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.job.JobStep;
import dev.slice.job.Step;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a job's step says of its time: how long it took, or how long it has run and how long it usually takes. */
class JobProgressTest {
    private static final Instant NOW = Instant.parse("2026-12-04T19:30:00Z");

    @Test
    void aRunningStepSaysHowLongItHasRunAndHowLongItUsuallyTakes() {
        JobStep creating = new JobStep(1, Step.CREATE_GUEST, "running", NOW.minusSeconds(23), null, "");
        assertThat(JobProgress.timing(creating, Duration.ofSeconds(55), NOW)).isEqualTo(" for 23 s, usually about 55 s");
        assertThat(JobProgress.timing(creating, null, NOW)).as("no history yet").isEqualTo(" for 23 s");
        assertThat(JobProgress.timing(creating, Duration.ofSeconds(185), NOW)).endsWith("usually about 3 min 5 s");
    }

    @Test
    void aFinishedStepSaysHowLongItTookAndAPendingOneNothing() {
        JobStep done = new JobStep(0, Step.ALLOCATE_IP, "done", NOW.minusMillis(1600), NOW.minusMillis(400), "");
        assertThat(JobProgress.timing(done, Duration.ofSeconds(9), NOW)).isEqualTo(" (1 s)");
        assertThat(JobProgress.timing(new JobStep(2, Step.START_GUEST, "pending", null, null, ""), Duration.ofSeconds(9), NOW)).isEmpty();
    }
}
