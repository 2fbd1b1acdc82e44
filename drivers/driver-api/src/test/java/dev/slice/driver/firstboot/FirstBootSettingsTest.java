package dev.slice.driver.firstboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which values may reach a guest, and that a refusal names the field. */
class FirstBootSettingsTest {
    static final String HASH = "$6$salt$Yk0ZQb8yU0pY3C9x0T1c2pP2.y/1m9qvP4q2kD8Z3n";
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ0ZXN0a2V5 alice@example.test";
    static final FirstBootSettings.Network NETWORK =
            new FirstBootSettings.Network("52:54:00:12:34:56", "10.77.0.12/24", "10.77.0.1", List.of("10.77.0.1", "9.9.9.9"));

    @Test
    void aSpecGivesItsHostnameCredentialsAndInterface() {
        GuestSpec spec = new GuestSpec(GuestId.of("g1"), "web-1.example.test", Resources.of(1, 256, 1024), "debian-12",
                new NetworkConfig("10.77.0.12/24", "10.77.0.1", "52:54:00:12:34:56", "slicebr0", List.of("10.77.0.1", "9.9.9.9")),
                new Credentials(HASH, List.of(KEY)));
        FirstBootSettings settings = FirstBootSettings.of(spec);
        assertThat(settings).isEqualTo(new FirstBootSettings("web-1.example.test", HASH, List.of(KEY), NETWORK));
        assertThat(settings.shortHostname()).isEqualTo("web-1");
        assertThat(settings.network().ip()).isEqualTo("10.77.0.12");
    }

    @Test
    void withoutNetworkOrPasswordThereIsNeither() {
        GuestSpec spec = new GuestSpec(GuestId.of("g1"), "bare", Resources.of(1, 256, 1024), "debian-12", null, Credentials.none());
        assertThat(FirstBootSettings.of(spec)).isEqualTo(new FirstBootSettings("bare", null, List.of(), null));
    }

    @Test
    void keysMayCarryOptionsAndCommentsWithSpaces() {
        String withOptions = "from=\"10.0.0.0/8\",no-pty " + KEY + " and more words";
        assertThat(new FirstBootSettings("h", null, List.of(withOptions), null).sshAuthorizedKeys()).containsExactly(withOptions);
        new FirstBootSettings("h", null, List.of("ecdsa-sha2-nistp256 AAAAE2VjZHNh", "sk-ssh-ed25519@openssh.com AAAA= k"), null);
    }

    @Test
    void controlCharactersAreRefusedNamingTheField() {
        assertRefused(() -> new FirstBootSettings("h", null, List.of(KEY, KEY + "\nssh-rsa AAAA evil"), null),
                "sshAuthorizedKeys[1]", "U+000A");
        assertRefused(() -> new FirstBootSettings("h", null, List.of(KEY.replace(' ', '\t')), null), "sshAuthorizedKeys[0]", "U+0009");
        assertRefused(() -> new FirstBootSettings("h", null, List.of(KEY + "\u001b[2J"), null), "sshAuthorizedKeys[0]", "U+001B");
        assertRefused(() -> new FirstBootSettings("h", null, List.of(KEY + "\u0085"), null), "sshAuthorizedKeys[0]", "U+0085");
        assertRefused(() -> new FirstBootSettings("h", "$6$salt$abc\r", List.of(), null), "rootPasswordHash", "U+000D");
        assertRefused(() -> new FirstBootSettings("h\n", null, List.of(), null), "hostname", "U+000A");
        assertRefused(() -> new FirstBootSettings("h", null, List.of(),
                new FirstBootSettings.Network("52:54:00:12:34:56", "10.77.0.12/24", "10.77.0.1", List.of("9.9.9.9\n"))),
                "network.dns[0]", "U+000A");
    }

    @Test
    void malformedValuesAreRefusedNamingTheField() {
        assertRefused(() -> new FirstBootSettings("Bad_Host;rm", null, List.of(), null), "hostname", "DNS name");
        assertRefused(() -> new FirstBootSettings(null, null, List.of(), null), "hostname", "missing");
        assertRefused(() -> new FirstBootSettings("h", null, List.of("not a key"), null), "sshAuthorizedKeys[0]", "SSH public key");
        assertRefused(() -> new FirstBootSettings("h", null, List.of(" " + KEY), null), "sshAuthorizedKeys[0]", "white space");
        assertRefused(() -> new FirstBootSettings("h", null, List.of(""), null), "sshAuthorizedKeys[0]", "SSH public key");
        assertRefused(() -> new FirstBootSettings.Network("52:54:00:12:34:5G", "10.77.0.12/24", "10.77.0.1", null), "network.mac", "aa:bb");
        assertRefused(() -> new FirstBootSettings.Network("52:54:00:12:34:56", "10.77.0.12", "10.77.0.1", null), "network.address", "prefix");
        assertRefused(() -> new FirstBootSettings.Network("52:54:00:12:34:56", "10.77.0.12/24", "10.77.0.256", null), "network.gateway", "IPv4");
        assertRefused(() -> new FirstBootSettings.Network("52:54:00:12:34:56", "10.77.0.12/24", "10.77.0.1",
                java.util.Collections.nCopies(9, "9.9.9.9")), "network.dns", "at most 8");
        assertRefused(() -> new FirstBootSettings("h", null, java.util.Collections.nCopies(65, KEY), null), "sshAuthorizedKeys", "at most 64");
    }

    @Test
    void aMalformedPasswordHashIsNeverEchoed() {
        assertThatThrownBy(() -> new FirstBootSettings("h", "hunter2-not-a-hash", List.of(), null))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("rootPasswordHash")
                .hasMessageNotContaining("hunter2");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field, String problem) {
        assertThatThrownBy(call).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("first-boot setting " + field + " ").hasMessageContaining(problem);
    }
}
