package dev.slice.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets at rest: sealed with the key file, bound to their account, opened by another instance sharing the file. */
class SecretSealTest {
    @TempDir Path dir;

    @Test
    void aSealedSecretOpensWithTheSameKeyFileAndForItsOwnAccountOnly() throws Exception {
        Path keyFile = dir.resolve("sub/two-factor.key");
        SecretSeal seal = new SecretSeal(keyFile);
        String sealed = seal.seal(7, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
        assertThat(sealed).startsWith("aes-gcm:").doesNotContain("JBSWY3DP");
        assertThat(seal.seal(7, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")).as("a fresh IV each time").isNotEqualTo(sealed);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(new SecretSeal(keyFile).open(7, sealed)).isEqualTo("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
        assertThatThrownBy(() -> seal.open(8, sealed)).isInstanceOf(IllegalStateException.class).hasMessageContaining("account 8");
        assertThatThrownBy(() -> new SecretSeal(dir.resolve("other.key")).open(7, sealed)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> seal.open(7, "JBSWY3DPEHPK3PXP")).isInstanceOf(IllegalStateException.class);
    }
}
