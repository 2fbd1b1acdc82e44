package dev.slice.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.error.ConflictException;
import org.junit.jupiter.api.Test;

class SnapshotTransitionsTest {

    @Test
    void aSnapshotIsTakenThenDeletedAndAFailedDeleteLeavesItReady() {
        assertThat(SnapshotTransitions.allowed(SnapshotStatus.CREATING, SnapshotStatus.READY)).isTrue();
        assertThat(SnapshotTransitions.allowed(SnapshotStatus.READY, SnapshotStatus.DELETING)).isTrue();
        assertThat(SnapshotTransitions.allowed(SnapshotStatus.DELETING, SnapshotStatus.DELETED)).isTrue();
        assertThat(SnapshotTransitions.allowed(SnapshotStatus.DELETING, SnapshotStatus.READY)).isTrue();
        assertThat(SnapshotTransitions.allowed(SnapshotStatus.FAILED, SnapshotStatus.DELETING)).isTrue();
    }

    @Test
    void nothingComesBackFromDeletedAndACreatingOneIsNotDeletedByTheCustomer() {
        for (SnapshotStatus to : SnapshotStatus.values()) {
            assertThat(SnapshotTransitions.allowed(SnapshotStatus.DELETED, to)).isFalse();
        }
        assertThatThrownBy(() -> SnapshotTransitions.require(SnapshotStatus.CREATING, SnapshotStatus.DELETING))
                .isInstanceOf(ConflictException.class).hasMessageContaining("creating");
        assertThat(SnapshotTransitions.allowed(SnapshotStatus.READY, SnapshotStatus.CREATING)).isFalse();
    }

    @Test
    void everyLivingStatusMayBeForgottenWithItsGuest() {
        assertThat(SnapshotTransitions.into(SnapshotStatus.DELETED)).containsExactlyInAnyOrder(
                SnapshotStatus.CREATING, SnapshotStatus.READY, SnapshotStatus.DELETING, SnapshotStatus.FAILED);
    }
}
