package dev.slice.driver.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.InvalidSpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

/**
 * A guest's disk stays tied to the template build it was made from: a repeated create after the
 * template was rebuilt keeps it there, another template is refused, reinstalling switches it. Uses
 * a second data directory whose template builds are links to this host's real Debian 12 build,
 * and the real libvirtd.
 */
class TemplateChangeTest {
    @TempDir
    Path dataDir;

    private LibvirtDriver driver;
    private final GuestId id = GuestId.of("tplchange-" + Long.toString(System.nanoTime() % 1_000_000L, 36));

    @AfterEach
    void cleanUp() {
        if (driver != null) {
            driver.destroy(id);
            driver.close();
        }
    }

    /** Makes {@code templates/<template>/x86_64/<build>} of links to this host's real build and points current at it. */
    private Path build(String template, String build) throws Exception {
        Path real = TestHost.dataDir().resolve("templates/debian-12/x86_64/current").toRealPath();
        Path forms = Files.createDirectories(dataDir.resolve("templates").resolve(template).resolve("x86_64"));
        Path directory = Files.createDirectories(forms.resolve(build));
        for (String file : new String[] {"vmlinuz", "initrd.img", "rootfs.img"}) {
            Files.createSymbolicLink(directory.resolve(file), real.resolve(file));
        }
        Path current = forms.resolve("current");
        Files.deleteIfExists(current);
        Files.createSymbolicLink(current, Path.of(build));
        return directory;
    }

    private String domainXml() throws Exception {
        Connect connect = new Connect(TestHost.QEMU_URI);
        try {
            return connect.domainLookupByName(id.value()).getXMLDesc(0);
        } finally {
            connect.close();
        }
    }

    @Test
    void aRebuiltTemplateKeepsOldGuestsOnTheirBuildAndAnotherTemplateNeedsAReinstall() throws Exception {
        Path first = build("alpha", "build1");
        build("beta", "build1");
        driver = new LibvirtDriver(TestHost.QEMU_URI, dataDir, TestHost.PROCESSES, Clock.systemUTC());
        GuestSpec base = TestHost.debianSpec(id, 202, Credentials.none());
        GuestSpec alpha = new GuestSpec(id, base.hostname(), base.resources(), "alpha", base.network(), base.credentials());
        GuestSpec beta = new GuestSpec(id, base.hostname(), base.resources(), "beta", base.network(), base.credentials());

        driver.create(alpha);
        assertThat(driver.state(id)).isEqualTo(GuestState.STOPPED);

        // "alpha" is rebuilt: a repeated create keeps the guest on the build its disk came from,
        // since the kernel's modules are on that disk.
        Path second = build("alpha", "build2");
        driver.create(alpha);
        assertThat(domainXml()).contains(first.resolve("vmlinuz").toString()).doesNotContain(second.toString());

        assertThatThrownBy(() -> driver.create(beta))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("reinstall");

        driver.reinstall(beta);
        assertThat(driver.state(id)).isEqualTo(GuestState.STOPPED);
        assertThat(domainXml()).contains("<slice:template>beta</slice:template>", "/beta/x86_64/build1/vmlinuz");
    }
}
