package dev.slice.driver.firstboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.InvalidSpecException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one serialised form: what the guest-side script reads. */
class SettingsFileTest {
    private final FirstBootSettings settings = new FirstBootSettings("web-1.example.test", FirstBootSettingsTest.HASH,
            List.of(FirstBootSettingsTest.KEY, "ssh-rsa AAAAB3NzaC1yc2E  two  spaces "
                    .strip()), FirstBootSettingsTest.NETWORK);

    @Test
    void oneSettingPerLineAfterTheVersionAndTheId() {
        assertThat(SettingsFile.write(settings)).isEqualTo("""
                slice-settings 1
                id %s
                hostname web-1.example.test
                root-password-hash %s
                ssh-key %s
                ssh-key ssh-rsa AAAAB3NzaC1yc2E  two  spaces
                mac 52:54:00:12:34:56
                address 10.77.0.12/24
                gateway 10.77.0.1
                dns 10.77.0.1
                dns 9.9.9.9
                """.formatted(SettingsFile.id(settings), FirstBootSettingsTest.HASH, FirstBootSettingsTest.KEY));
    }

    @Test
    void readingGivesBackWhatWasWritten() {
        assertThat(SettingsFile.read(SettingsFile.write(settings))).isEqualTo(settings);
        FirstBootSettings bare = new FirstBootSettings("bare", null, List.of(), null);
        assertThat(SettingsFile.write(bare)).isEqualTo("slice-settings 1\nid " + SettingsFile.id(bare) + "\nhostname bare\n");
        assertThat(SettingsFile.read(SettingsFile.write(bare))).isEqualTo(bare);
    }

    @Test
    void theIdFollowsEveryValueAndNothingElse() {
        assertThat(SettingsFile.id(settings)).hasSize(24).isEqualTo(SettingsFile.id(new FirstBootSettings(settings.hostname(),
                settings.rootPasswordHash(), settings.sshAuthorizedKeys(), settings.network())));
        assertThat(SettingsFile.id(settings)).isNotEqualTo(SettingsFile.id(new FirstBootSettings(settings.hostname(),
                settings.rootPasswordHash(), settings.sshAuthorizedKeys().subList(0, 1), settings.network())));
        assertThat(SettingsFile.id(settings)).isNotEqualTo(SettingsFile.id(new FirstBootSettings(settings.hostname(),
                null, settings.sshAuthorizedKeys(), settings.network())));
    }

    @Test
    void unknownKeysOfALaterWriterAreIgnoredButNotAnotherVersion() {
        String later = SettingsFile.write(settings) + "timezone Europe/Berlin\n";
        assertThat(SettingsFile.read(later.replaceFirst("id \\w+\n", ""))).isEqualTo(settings);
        assertThatThrownBy(() -> SettingsFile.read(later.replaceFirst("slice-settings 1", "slice-settings 2")))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("slice-settings 2");
    }

    @Test
    void aFileWhoseIdDoesNotMatchOrWhoseValuesAreBadIsRefused() {
        String written = SettingsFile.write(settings);
        assertThatThrownBy(() -> SettingsFile.read(written.replace("hostname web-1", "hostname web-2")))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> SettingsFile.read("slice-settings 1\nhostname x\nmac nope\n"))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("network.mac");
    }
}
