package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.GuestId;
import dev.slice.driver.GuestInfo;
import dev.slice.driver.GuestState;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import dev.slice.driver.tck.ConsoleReader;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A container and its console session live on when the Slice that started them stops: another JVM
 * starts the guest and logs in, exits, and a driver opened here finds the guest running, replays what
 * the console showed, and types into the very same shell.
 */
class OciConsoleSurvivalTest {

    @Test
    void aContainerAndItsConsoleSessionOutliveTheJvmThatStartedThem() {
        GuestId id = OciTestHost.uniqueId("survive");
        try {
            String java = ProcessHandle.current().info().command().orElseThrow();
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            ProcessResult child = new ProcessRunner().run(HostCommand.of(java, "-cp", classpath,
                    ConsoleSurvivalChild.class.getName(), id.value()).withTimeout(Duration.ofSeconds(120)));
            assertThat(child.exitCode()).as("the other JVM: %s %s", child.stdout(), child.stderr()).isZero();

            OciDriver reopened = OciTestHost.openDriver();
            assertThat(reopened.list()).contains(new GuestInfo(id, GuestState.RUNNING));
            try (ConsoleReader console = new ConsoleReader(reopened.open(id))) {
                console.await(Pattern.compile("child-2-done"), Duration.ofSeconds(10));
                console.type("echo mark=$SLICE_MARK\n");
                console.await(Pattern.compile("mark=kept-42"), Duration.ofSeconds(30));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        } finally {
            OciTestHost.openDriver().destroy(id);
        }
    }
}
