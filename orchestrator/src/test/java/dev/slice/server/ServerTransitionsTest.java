package dev.slice.server;

import static dev.slice.server.ServerStatus.ACTIVE;
import static dev.slice.server.ServerStatus.DELETED;
import static dev.slice.server.ServerStatus.DELETING;
import static dev.slice.server.ServerStatus.FAILED;
import static dev.slice.server.ServerStatus.PROVISIONING;
import static dev.slice.server.ServerStatus.REINSTALLING;
import static dev.slice.server.ServerStatus.RESCUE;
import static dev.slice.server.ServerStatus.RESIZING;
import static dev.slice.server.ServerStatus.SUSPENDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.error.ConflictException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerTransitionsTest {
    /** The specification, written out independently of the production table: every pair not here is refused. */
    private static final Map<ServerStatus, Set<ServerStatus>> EXPECTED = Map.of(
            PROVISIONING, Set.of(ACTIVE, FAILED, DELETING),
            ACTIVE, Set.of(SUSPENDED, REINSTALLING, RESIZING, DELETING, RESCUE),
            RESCUE, Set.of(ACTIVE, DELETING),
            SUSPENDED, Set.of(ACTIVE, DELETING),
            REINSTALLING, Set.of(ACTIVE, FAILED),
            RESIZING, Set.of(ACTIVE, FAILED),
            DELETING, Set.of(DELETED, FAILED),
            FAILED, Set.of(REINSTALLING, DELETING),
            DELETED, Set.of());

    @Test
    void everyPairOfStatusesIsAllowedExactlyAsSpecified() {
        int checked = 0;
        for (ServerStatus from : ServerStatus.values()) {
            for (ServerStatus to : ServerStatus.values()) {
                boolean expected = EXPECTED.get(from).contains(to);
                assertThat(ServerTransitions.allowed(from, to)).as(from + " -> " + to).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(81);
    }

    @Test
    void noStatusMayStayWhereItIsThroughATransition() {
        for (ServerStatus status : ServerStatus.values()) assertThat(ServerTransitions.allowed(status, status)).isFalse();
    }

    @Test
    void deletedIsFinal() {
        assertThat(ServerTransitions.from(DELETED)).isEmpty();
    }

    @Test
    void everyStatusButDeletedCanReachDeleted() {
        for (ServerStatus status : ServerStatus.values()) {
            if (status == DELETED) continue;
            assertThat(reaches(status, DELETED, Set.of())).as(status.id()).isTrue();
        }
    }

    @Test
    void aRefusedTransitionSaysWhatIsAllowedInstead() {
        assertThatThrownBy(() -> ServerTransitions.require(DELETING, ACTIVE))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("deleting cannot become active").hasMessageContaining("deleted");
    }

    private static boolean reaches(ServerStatus from, ServerStatus target, Set<ServerStatus> seen) {
        if (from == target) return true;
        for (ServerStatus next : ServerTransitions.from(from)) {
            if (seen.contains(next)) continue;
            var more = new java.util.HashSet<>(seen);
            more.add(from);
            if (reaches(next, target, more)) return true;
        }
        return false;
    }
}
