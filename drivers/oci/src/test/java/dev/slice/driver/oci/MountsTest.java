package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MountsTest {
    @Test
    void parsesAMountinfoLineWithOptionalFieldsAndEscapes() {
        Mounts.Mount mount = Mounts.parse("36 35 98:0 /mnt1 /var/lib/slice/my\\040disk rw,noatime master:1 shared:2 - ext4 /dev/loop3 rw,errors=continue");
        assertThat(mount.mountPoint()).isEqualTo(Path.of("/var/lib/slice/my disk"));
        assertThat(mount.type()).isEqualTo("ext4");
        assertThat(mount.source()).isEqualTo("/dev/loop3");
    }

    @Test
    void theHostsRootIsMounted() {
        assertThat(Mounts.isMounted(Path.of("/"))).isTrue();
        assertThat(Mounts.isMounted(Path.of("/no/such/mount/point"))).isFalse();
    }
}
