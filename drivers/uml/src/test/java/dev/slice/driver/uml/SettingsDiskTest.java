package dev.slice.driver.uml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.Resources;
import dev.slice.driver.firstboot.FirstBootSettings;
import dev.slice.driver.firstboot.SettingsFile;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the guest's first boot reads from its settings disk: the one settings file, on ext4 labelled slice-settings. */
class SettingsDiskTest {
    private final ProcessRunner processes = new ProcessRunner();
    private final GuestSpec spec = TestGuests.spec(GuestId.of("s1"), 1, 128, 7);

    @Test
    void theDiskCarriesTheSettingsFile(@TempDir Path dir) {
        Path image = dir.resolve("settings.img");
        new SettingsDisk(processes).write(spec, image);
        String settings = processes.runChecked(HostCommand.of("debugfs", "-R", "cat /" + SettingsFile.NAME, image.toString())).stdout();
        assertThat(settings).isEqualTo(SettingsFile.write(FirstBootSettings.of(spec)));
        assertThat(SettingsFile.read(settings).network().mac()).isEqualTo(spec.network().mac());
        assertThat(processes.runChecked(HostCommand.of("blkid", "-o", "value", "-s", "LABEL", image.toString())).stdout().strip())
                .isEqualTo("slice-settings");
        assertThat(dir.resolve("settings.img.d")).doesNotExist();
    }

    @Test
    void aKeyThatCannotReachTheGuestIsRefusedBeforeAnyDiskIsMade(@TempDir Path dir) {
        GuestSpec bad = new GuestSpec(spec.id(), spec.hostname(), spec.resources(), spec.template(), spec.network(),
                new Credentials(TestGuests.ROOT_PASSWORD_HASH, List.of(TestGuests.SSH_KEY + "\u001b]0;owned\u0007")));
        assertThatThrownBy(() -> new SettingsDisk(processes).write(bad, dir.resolve("settings.img")))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("sshAuthorizedKeys[0]");
        assertThat(Files.exists(dir.resolve("settings.img"))).isFalse();
    }

    @Test
    void theSpecHashChangesWithAnySetting() {
        assertThat(GuestRecord.specHash(spec)).isEqualTo(GuestRecord.specHash(TestGuests.spec(GuestId.of("s1"), 1, 128, 7)));
        assertThat(GuestRecord.specHash(spec)).isNotEqualTo(GuestRecord.specHash(spec.withResources(Resources.of(1, 256, 2048))));
        GuestSpec otherKeys = new GuestSpec(spec.id(), spec.hostname(), spec.resources(), spec.template(),
                spec.network(), new Credentials(TestGuests.ROOT_PASSWORD_HASH, List.of()));
        assertThat(GuestRecord.specHash(spec)).isNotEqualTo(GuestRecord.specHash(otherKeys));
    }
}
