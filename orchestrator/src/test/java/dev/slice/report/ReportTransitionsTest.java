package dev.slice.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.error.ConflictException;
import org.junit.jupiter.api.Test;

class ReportTransitionsTest {

    @Test
    void aRunGoesQueuedRunningSucceededOrThroughCancellingToCancelled() {
        assertThat(ReportTransitions.allowed(ReportStatus.QUEUED, ReportStatus.RUNNING)).isTrue();
        assertThat(ReportTransitions.allowed(ReportStatus.RUNNING, ReportStatus.SUCCEEDED)).isTrue();
        assertThat(ReportTransitions.allowed(ReportStatus.RUNNING, ReportStatus.CANCELLING)).isTrue();
        assertThat(ReportTransitions.allowed(ReportStatus.CANCELLING, ReportStatus.CANCELLED)).isTrue();
        assertThat(ReportTransitions.allowed(ReportStatus.CANCELLING, ReportStatus.FAILED)).isTrue();
    }

    @Test
    void aCancelledRunNeverSkipsItsCleanUpAndAnEndedRunStaysEnded() {
        assertThat(ReportTransitions.allowed(ReportStatus.RUNNING, ReportStatus.CANCELLED)).as("only through cancelling").isFalse();
        for (ReportStatus end : new ReportStatus[] {ReportStatus.SUCCEEDED, ReportStatus.FAILED, ReportStatus.CANCELLED}) {
            for (ReportStatus to : ReportStatus.values()) assertThat(ReportTransitions.allowed(end, to)).isFalse();
            assertThat(end.active()).isFalse();
        }
        assertThatThrownBy(() -> ReportTransitions.require(ReportStatus.SUCCEEDED, ReportStatus.CANCELLING))
                .isInstanceOf(ConflictException.class).hasMessageContaining("succeeded");
    }
}
