package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Credentials;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirstBootFilesTest {
    private static final List<String> SHADOW = List.of("root:*:20782:0:99999:7:::", "daemon:*:20782:0:99999:7:::");

    @Test
    void onlyRootsPasswordFieldChanges() {
        String shadow = FirstBootFiles.shadow(SHADOW, new Credentials("$6$salt$hash", List.of()));
        assertThat(shadow).isEqualTo("root:$6$salt$hash:20782:0:99999:7:::\ndaemon:*:20782:0:99999:7:::\n");
    }

    @Test
    void withoutAHashRootStaysLocked() {
        assertThat(FirstBootFiles.shadow(SHADOW, Credentials.none())).startsWith("root:*:");
    }
}
