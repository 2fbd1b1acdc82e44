package dev.slice.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The suite's safety net: every test has a deadline that also ends a wait that ignores interrupts (as a
 * blocked native call does), so a hang fails in minutes and names the test instead of eating CI's time.
 * The settings come from the parent pom as system properties, which every module's test JVM gets.
 */
class SuiteTimeoutTest {

    @Test
    void everyTestOfTheSuiteHasADeadlineOfAFewMinutesOnASeparateThread() {
        assertThat(System.getProperty("junit.jupiter.execution.timeout.mode")).isEqualTo("enabled");
        assertThat(System.getProperty("junit.jupiter.execution.timeout.thread.mode.default")).isEqualTo("SEPARATE_THREAD");
        String deadline = System.getProperty("junit.jupiter.execution.timeout.default");
        assertThat(deadline).as("junit.jupiter.execution.timeout.default").matches("\\d+ ?m");
        assertThat(Integer.parseInt(deadline.replaceAll("\\D", ""))).isBetween(1, 10);
    }

    @Test
    void aTestStuckInAWaitThatIgnoresInterruptsFailsAtItsDeadlineAndIsNamed() {
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        // The suite's own thread mode, with a deadline short enough for a test.
        var request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(HangingSpecimen.class))
                .configurationParameter("junit.jupiter.execution.timeout.default", "1 s")
                .configurationParameter("junit.jupiter.execution.timeout.thread.mode.default",
                        System.getProperty("junit.jupiter.execution.timeout.thread.mode.default"))
                .build();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest() && result.getStatus() == TestExecutionResult.Status.FAILED) {
                    failures.add(test.getDisplayName() + ": " + result.getThrowable().map(Throwable::getClass)
                            .map(Class::getSimpleName).orElse("?"));
                }
            }
        });
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(failures).containsExactly("waitsForeverIgnoringInterrupts(): " + TimeoutException.class.getSimpleName());
        assertThat(took).isLessThan(Duration.ofSeconds(30));
    }

    /** Not a test of the suite (nested classes are not picked up by Surefire): run only through the launcher above. */
    static class HangingSpecimen {
        @Test
        void waitsForeverIgnoringInterrupts() {
            long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < until) {
                LockSupport.parkNanos(50_000_000L); // an interrupt ends park, and this loop parks again
            }
        }
    }
}
