package dev.slice.driver.uml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.GuestId;
import dev.slice.driver.GuestState;
import dev.slice.driver.StopMode;
import dev.slice.driver.tck.ConsoleReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's alternative process mode (uml.process-mode=seccomp) boots a working guest too. */
class UmlSeccompModeTest {
    private final UmlDriver driver = TestGuests.driver(Map.of("uml.process-mode", "seccomp"));

    @Test
    void aGuestInSeccompModeBootsRunsProgramsAndStopsCleanly() throws Exception {
        GuestId id = TestGuests.id("uml-seccomp");
        try {
            driver.create(TestGuests.spec(id, 1, 128, 40));
            driver.start(id);
            assertThat(driver.probe().detail()).contains("guest processes under seccomp");
            try (ConsoleReader console = new ConsoleReader(driver.open(id))) {
                GuestShell shell = GuestShell.login(console);
                // The guest's user processes are host processes under a seccomp filter (mode 2) instead of traced.
                GuestProcess kernel = GuestProcess.find(driver.guest(id)).orElseThrow();
                List<String> modes = new ArrayList<>();
                for (long pid : kernel.tree()) {
                    Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                            .filter(line -> line.startsWith("Seccomp:")).forEach(line -> modes.add(line.substring(8).strip()));
                }
                assertThat(modes).as("seccomp modes of the guest's host processes").contains("2");
                // Forks, execs, pipes and page faults of ordinary programs, all under the seccomp stub.
                assertThat(shell.run("seq 1 2000 | sort -rn | head -1 | sha256sum | cut -c1-8"))
                        .isEqualTo(shell.run("echo 2000 | sha256sum | cut -c1-8"));
                assertThat(shell.run("hostname")).isEqualTo(id.value() + ".uml.test");
                shell.close();
            }
            driver.stop(id, StopMode.graceful(Duration.ofSeconds(60)));
            assertThat(driver.state(id)).isEqualTo(GuestState.STOPPED);
        } finally {
            driver.destroy(id);
        }
    }
}
