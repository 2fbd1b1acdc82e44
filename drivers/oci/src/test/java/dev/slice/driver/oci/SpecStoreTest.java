package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class SpecStoreTest {
    @Test
    void aStoredSpecReadsBackEqual(@TempDir Path dir) throws Exception {
        SpecStore store = new SpecStore(JsonMapper.builder().build());
        GuestSpec spec = OciTestHost.spec(GuestId.of("store-1"), 60, new Resources(2, 512, 1024, 100, 50),
                new Credentials("$6$salt$hash", List.of("ssh-ed25519 AAAA key@test")));
        Path file = dir.resolve("spec.json");
        store.write(file, spec);
        assertThat(store.read(file)).isEqualTo(spec);
        assertThat(Files.list(dir)).containsExactly(file);
    }
}
