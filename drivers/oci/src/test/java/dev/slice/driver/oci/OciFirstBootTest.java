package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.Resources;
import dev.slice.driver.capability.Console;
import dev.slice.driver.tck.ConsoleReader;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The spec's first-boot settings are what the guest has: hostname, root's password and keys, network files. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OciFirstBootTest {
    /** crypt(3) SHA-512 of "slice-test-password" (openssl passwd -6 -salt slicetestsalt slice-test-password). */
    static final String PASSWORD = "slice-test-password";
    static final String PASSWORD_HASH =
            "$6$slicetestsalt$c7FCrpt/GvkoeNVCRT3./qX2L0XtDkKwmxaANU1ntNq7rqhvHdvkLwNSV19z6FWZ0vNIiXsgsxvJkuTypSMxE0";
    private static final List<String> KEYS = List.of(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ0ZXN0a2V5Zm9yc2xpY2VvY2lkcml2ZXJ0ZXN0cw alice@example.test",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHNlY29uZGtleWZvcnNsaWNlb2NpZHJpdmVydGVzdA bob@example.test");

    private final OciDriver driver = OciTestHost.openDriver();
    private final GuestId id = OciTestHost.uniqueId("boot");
    private final GuestSpec spec = withHostname(
            OciTestHost.spec(id, 30, new Resources(1, 256, 512, 0, 0), new Credentials(PASSWORD_HASH, KEYS)),
            "web-1.example.test");

    private static GuestSpec withHostname(GuestSpec spec, String hostname) {
        NetworkConfig network = new NetworkConfig(spec.network().address(), spec.network().gateway(),
                spec.network().mac(), spec.network().bridge(), List.of("10.79.1.1", "10.79.1.2"));
        return new GuestSpec(spec.id(), hostname, spec.resources(), spec.template(), network, spec.credentials());
    }

    @BeforeAll
    void startGuest() throws InterruptedException {
        driver.create(spec);
        driver.start(id);
        // The container's init applies the settings as it boots, before the login and sshd, as a VM's boot does.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (driver.exec(id, Duration.ofSeconds(10), "test", "-f", "/var/lib/slice-firstboot/applied").exitCode() != 0) {
            assertThat(System.nanoTime()).as("the first-boot settings were not applied within 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @AfterAll
    void destroyGuest() {
        driver.destroy(id);
    }

    @Test
    void hostnameIsTheSpecs() {
        assertThat(OciTestHost.run(driver, id, "hostname")).isEqualTo("web-1.example.test");
        assertThat(OciTestHost.run(driver, id, "cat", "/etc/hostname")).isEqualTo("web-1.example.test");
        assertThat(OciTestHost.run(driver, id, "getent", "hosts", "web-1")).contains(spec.network().ip());
    }

    @Test
    void rootsPasswordHashIsInShadow() {
        String root = OciTestHost.run(driver, id, "grep", "^root:", "/etc/shadow");
        assertThat(root.split(":")[1]).isEqualTo(PASSWORD_HASH);
        assertThat(OciTestHost.run(driver, id, "stat", "-c", "%a %U %G", "/etc/shadow")).isEqualTo("640 root shadow");
        assertThat(OciTestHost.run(driver, id, "stat", "-c", "%a %U", "/root", "/etc")).isEqualTo("700 root\n755 root");
    }

    @Test
    void rootLogsInOnTheConsoleWithThePassword() throws Exception {
        try (ConsoleReader console = new ConsoleReader(driver.capability(Console.class).orElseThrow().open(id))) {
            console.type("\n");
            console.await(Pattern.compile("web-1 login: ?"), Duration.ofSeconds(30));
            console.type("root\n");
            console.await(Pattern.compile("Password: ?"), Duration.ofSeconds(30));
            console.type(PASSWORD + "\n");
            console.await(Pattern.compile("root@web-1:~# ?"), Duration.ofSeconds(30));
            console.type("echo answer-$((6*7))\n");
            console.await(Pattern.compile("answer-42"), Duration.ofSeconds(30));
            console.type("exit\n");
        }
    }

    @Test
    void rootsSshKeysAreAuthorized() {
        assertThat(OciTestHost.run(driver, id, "cat", "/root/.ssh/authorized_keys").lines()).containsExactlyElementsOf(KEYS);
        assertThat(OciTestHost.run(driver, id, "stat", "-c", "%a", "/root/.ssh", "/root/.ssh/authorized_keys"))
                .isEqualTo("700\n600");
    }

    @Test
    void sshdRunsWithHostKeysOfItsOwn() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (driver.exec(id, Duration.ofSeconds(10), "pgrep", "-x", "sshd").exitCode() != 0) {
            assertThat(System.nanoTime()).as("sshd did not start within 60 s").isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(OciTestHost.run(driver, id, "ls", "/etc/ssh")).contains("ssh_host_ed25519_key");
    }

    @Test
    void networkConfigurationFilesMatchTheSpec() {
        assertThat(OciTestHost.run(driver, id, "cat", "/etc/network/interfaces.d/eth0"))
                .contains("address " + spec.network().address())
                .contains("gateway " + spec.network().gateway());
        assertThat(OciTestHost.run(driver, id, "cat", "/etc/resolv.conf"))
                .contains("nameserver 10.79.1.1").contains("nameserver 10.79.1.2");
        assertThat(OciTestHost.run(driver, id, "ip", "-4", "-o", "address", "show", "dev", "eth0"))
                .contains("inet " + spec.network().address());
    }

    @Test
    void theSettingsAreReadOnlyAndForRootAlone() {
        assertThat(OciTestHost.run(driver, id, "stat", "-c", "%a %U", "/run/slice/first-boot/settings")).isEqualTo("600 root");
        assertThat(driver.exec(id, Duration.ofSeconds(10), "sh", "-c", "echo x >> /run/slice/first-boot/settings").exitCode())
                .isNotZero();
        assertThat(OciTestHost.run(driver, id, "cat", "/var/lib/slice-firstboot/applied")).hasSize(24);
    }

    /** Applied once per settings id: what root changes afterwards survives a restart. */
    @Test
    void theCustomersOwnChangesSurviveARestart() throws Exception {
        try {
            OciTestHost.run(driver, id, "sh", "-c", "sed -i s/web-1/web-one/ /etc/hosts");
            driver.stop(id, dev.slice.driver.StopMode.graceful(Duration.ofSeconds(20)));
            driver.start(id);
            assertThat(OciTestHost.run(driver, id, "grep", "-c", "web-one", "/etc/hosts")).isEqualTo("1");
        } finally {
            OciTestHost.run(driver, id, "sh", "-c", "sed -i s/web-one/web-1/ /etc/hosts");
        }
    }
}
