package dev.slice.driver.uml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.GuestId;
import dev.slice.driver.HostContext;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Host user ids for guests: stable for an id, inside the range, never one another guest has. */
class GuestUsersTest {
    private final UmlSettings settings = UmlSettings.from(HostContext.of(Path.of("/data")));
    private final GuestUsers users = new GuestUsers(settings);

    @Test
    void aGuestsUserIsDerivedFromItsIdWithinTheRange() {
        long uid = users.free(GuestId.of("g1"), Set.of());
        assertThat(uid).isBetween(settings.firstUid(), settings.firstUid() + GuestUsers.RANGE - 1);
        assertThat(users.free(GuestId.of("g1"), Set.of())).isEqualTo(uid);
        assertThat(users.free(GuestId.of("g2"), Set.of())).isNotEqualTo(uid);
    }

    @Test
    void aTakenIdIsPassedOverAndTheRangeWrapsAround() {
        long uid = users.free(GuestId.of("g1"), Set.of());
        assertThat(users.free(GuestId.of("g1"), Set.of(uid))).isEqualTo(
                uid + 1 == settings.firstUid() + GuestUsers.RANGE ? settings.firstUid() : uid + 1);
        // Ids stay below 2^31: some tools read user ids as signed 32-bit numbers.
        assertThat(settings.firstUid() + GuestUsers.RANGE).isLessThan(Integer.MAX_VALUE);
    }
}
