package dev.slice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.testing.MutableClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The throttle's policy with a moved clock (the panel's SignInHardeningTest drives it over real HTTP). */
class SignInThrottleTest {
    private final MutableClock clock = new MutableClock();
    private final SignInThrottle throttle = new SignInThrottle(clock);

    /** One guess as the sign-in does it: refused unchecked while a delay runs, otherwise checked and counted. */
    private boolean guess(String user, String address) {
        if (throttle.waitBefore(user, address).isPresent()) return false;
        throttle.failed(user, address);
        return true;
    }

    @Test
    void fiftyQuickGuessesAreMostlyRefusedAndTheRealPasswordWorksAfterAShortWait() {
        int checked = 0;
        for (int i = 0; i < 50; i++) {
            if (guess("alice", "192.0.2.7")) checked++;
            clock.advance(Duration.ofMillis(120));
        }
        // 5 free, then 1 s, 2 s, 4 s apart: only a handful of the 50 passwords were ever compared.
        assertThat(checked).isBetween(5, 9);
        Optional<Duration> wait = throttle.waitBefore("alice", "192.0.2.7");
        assertThat(wait).isPresent();
        assertThat(wait.get()).isLessThanOrEqualTo(Duration.ofSeconds(8));
        clock.advance(wait.get());
        assertThat(throttle.waitBefore("alice", "192.0.2.7")).isEmpty();
        throttle.succeeded("alice", "192.0.2.7");
        assertThat(throttle.waitBefore("ALICE ", "192.0.2.7")).as("a success resets; names compare like logins").isEmpty();
    }

    @Test
    void theDelayDoublesAndStopsAtFifteenMinutes() {
        for (int i = 0; i < 5; i++) throttle.failed("bob", "192.0.2.8");
        assertThat(throttle.waitBefore("bob", "192.0.2.8")).contains(Duration.ofSeconds(1));
        throttle.failed("bob", "192.0.2.8");
        assertThat(throttle.waitBefore("bob", "192.0.2.8")).contains(Duration.ofSeconds(2));
        for (int i = 0; i < 40; i++) throttle.failed("bob", "192.0.2.8");
        assertThat(throttle.waitBefore("bob", "192.0.2.8")).contains(Duration.ofMinutes(15));
        clock.advance(Duration.ofMinutes(15));
        assertThat(throttle.waitBefore("bob", "192.0.2.8")).isEmpty();
    }

    @Test
    void aGuesserElsewhereDoesNotLockTheRealUserOut() {
        throttle.succeeded("carol", "198.51.100.1");
        for (int i = 0; i < 30; i++) throttle.failed("carol", "203.0.113.9");
        assertThat(throttle.waitBefore("carol", "203.0.113.9")).isPresent();
        assertThat(throttle.waitBefore("carol", "198.51.100.1")).as("her own, known address").isEmpty();
        assertThat(throttle.waitBefore("carol", "198.51.100.2")).as("a new address of hers waits the account's delay")
                .hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMinutes(1)));
    }

    @Test
    void guessesFromManyAddressesSlowTheAccountDownForNewAddressesAtMostAMinute() {
        for (int i = 0; i < 200; i++) guess("dave", "203.0.113." + i);
        Optional<Duration> wait = throttle.waitBefore("dave", "198.51.100.50");
        assertThat(wait).hasValueSatisfying(d -> assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1)));
        assertThat(throttle.waitBefore("erin", "198.51.100.50")).as("other accounts are untouched").isEmpty();
    }

    @Test
    void oneAddressSprayingManyAccountsIsSlowedDown() {
        for (int i = 0; i < 30; i++) throttle.failed("user" + i, "203.0.113.77");
        assertThat(throttle.waitBefore("someone-else", "203.0.113.77")).contains(Duration.ofSeconds(1));
        assertThat(throttle.waitBefore("someone-else", "203.0.113.78")).isEmpty();
    }

    @Test
    void failuresAreForgottenAfterAQuietHour() {
        for (int i = 0; i < 4; i++) throttle.failed("frank", "192.0.2.9");
        clock.advance(Duration.ofMinutes(61));
        throttle.failed("frank", "192.0.2.9");
        assertThat(throttle.waitBefore("frank", "192.0.2.9")).as("one failure after the quiet hour, not five").isEmpty();
    }
}
