package dev.slice.driver.uml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the guest's first boot reads from its settings disk. */
class SettingsDiskTest {
    private final GuestSpec spec = TestGuests.spec(GuestId.of("s1"), 1, 128, 7);

    @Test
    void theDiskCarriesHostnameCredentialsAndNetwork() {
        Map<String, String> files = SettingsDisk.files(spec);
        assertThat(files.get("hostname")).isEqualTo("s1.uml.test\n");
        assertThat(files.get("root-password-hash")).isEqualTo(TestGuests.ROOT_PASSWORD_HASH + "\n");
        assertThat(files.get("authorized_keys")).isEqualTo(TestGuests.SSH_KEY + "\n");
        assertThat(files.get("interfaces")).contains("iface eth0 inet static", "address 10.99.0.7/24",
                "gateway 10.99.0.1");
        assertThat(files.get("resolv.conf")).isEqualTo("nameserver 10.99.0.1\n");
        assertThat(files.get("id")).isEqualTo(SettingsDisk.hash(spec) + "\n");
    }

    @Test
    void aGuestWithoutNetworkOrPasswordGetsNeither() {
        GuestSpec bare = new GuestSpec(spec.id(), "bare", spec.resources(), spec.template(), null, Credentials.none());
        assertThat(SettingsDisk.files(bare)).containsOnlyKeys("hostname", "authorized_keys", "id");
    }

    @Test
    void theSettingsIdChangesWithAnySetting() {
        assertThat(SettingsDisk.hash(spec)).isEqualTo(SettingsDisk.hash(TestGuests.spec(GuestId.of("s1"), 1, 128, 7)));
        assertThat(SettingsDisk.hash(spec)).isNotEqualTo(SettingsDisk.hash(spec.withResources(Resources.of(1, 256, 2048))));
        GuestSpec otherKeys = new GuestSpec(spec.id(), spec.hostname(), spec.resources(), spec.template(),
                spec.network(), new Credentials(TestGuests.ROOT_PASSWORD_HASH, List.of()));
        assertThat(SettingsDisk.hash(spec)).isNotEqualTo(SettingsDisk.hash(otherKeys));
    }
}
