package dev.slice.driver.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.DriverException;
import dev.slice.driver.HostContext;
import dev.slice.driver.InvalidSpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pure file logic: which riscv64 files an OS template name maps to. */
class GuestTemplatesTest {
    @TempDir Path data;

    private GuestTemplates templates() { return new GuestTemplates(EmulatorSettings.from(HostContext.of(data))); }

    private static void touch(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x");
    }

    @Test
    void debian12IsTheBusyboxGuestUntilARiscvBuildOfItExists() throws Exception {
        assertThatThrownBy(() -> templates().resolve("debian-12")).isInstanceOf(DriverException.class)
                .isNotInstanceOf(InvalidSpecException.class).hasMessageContaining("deploy/emulator/build.sh");
        touch(data.resolve("emulator/kernel/Image"));
        touch(data.resolve("emulator/initramfs.cpio"));
        touch(data.resolve("emulator/disk.img"));
        GuestTemplates.Template busybox = templates().resolve("debian-12");
        assertThat(busybox.kernel()).isEqualTo(data.resolve("emulator/kernel/Image"));
        assertThat(busybox.append()).contains("slice.power=hvc0");
        assertThat(busybox.rootDisk()).as("told its hostname on the command line").isFalse();

        touch(data.resolve("templates/debian-12/emulator/Image"));
        touch(data.resolve("templates/debian-12/emulator/disk.img"));
        GuestTemplates.Template own = templates().resolve("debian-12");
        assertThat(own.kernel()).isEqualTo(data.resolve("templates/debian-12/emulator/Image"));
        assertThat(own.initrd()).isNull();
    }

    @Test
    void aRecipeBuiltByTheDebianTemplateScriptIsFoundThroughCurrent() throws Exception {
        Path recipe = data.resolve("emulator/debian-13/abc123");
        touch(recipe.resolve("Image"));
        touch(recipe.resolve("initrd.img"));
        touch(recipe.resolve("disk.img"));
        Files.writeString(data.resolve("emulator/debian-13/current"), "abc123\n");
        GuestTemplates.Template debian = templates().resolve("debian-13");
        assertThat(debian.kernel()).isEqualTo(recipe.resolve("Image"));
        assertThat(debian.initrd()).isEqualTo(recipe.resolve("initrd.img"));
        assertThat(debian.append()).contains("root=LABEL=slice-root");
        assertThat(debian.rootDisk()).as("its settings go into /etc/slice/settings on the disk").isTrue();
        assertThat(templates().base(debian)).as("a recipe's image never changes: the overlay reads it directly")
                .isEqualTo(recipe.resolve("disk.img"));
    }

    @Test
    void anUnknownTemplateIsAnInvalidSpecNamingIt() {
        assertThatThrownBy(() -> templates().resolve("centos-9")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("centos-9");
    }
}
