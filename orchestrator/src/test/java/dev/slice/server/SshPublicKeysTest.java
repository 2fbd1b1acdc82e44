package dev.slice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.error.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys generated with ssh-keygen on this machine. */
class SshPublicKeysTest {
    static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJe6e/9G0YrcjOGOSfjUcJJQjKOreRLGnciC1KaxyHVA alice@example";
    static final String RSA = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCaZLrD4xOz7EbXSrUE4frcfLhBI8pV5DvVMYZ3O4u2Xg75qxOk2UAozbCIZmBCX20Qy92tQLqbBvuVfhfQlnFgqzBuvB1iKH6tjTmFYXtMoQNyclMnrbSoPARmWyGGeXmdfrD3czrcTyL/3Tnk8djObwNlTjhT7ubdoD9mbi4EHf9PcPcCcyDQMntvWzf6lwf/AI8451WOAs0BxbTIVaGbupTIwrDmewl2vkiC8IXq9RG7s1o8/O1HOedpyENyVnzqkZG9r/nziDfnWmdngKqruIfdMKvQxjObyrNSgHVW/X3uDzIRzCVrexUN/zamFQ8dpY4t1BsD2ts2NFPqtcaJ";
    static final String ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBNI1z9oFQHqhUZtdqby+IeFNigoXJrGf84YhZaLck8snYovWpuEudAb4XxM2I+3jFh213pz7NdtHYZRd+3/AaKw= e";

    @Test
    void acceptsRealKeysAndDropsBlankLines() {
        assertThat(SshPublicKeys.validate(List.of(ED25519, "", RSA + "\n" + ECDSA))).containsExactly(ED25519, RSA, ECDSA);
    }

    @Test
    void rejectsMalformedKeysWithTheReason() {
        assertThat(SshPublicKeys.problem("ssh-ed25519")).contains("expected");
        assertThat(SshPublicKeys.problem("ssh-dss AAAAB3NzaC1kc3MAAACBAP")).contains("unknown key type");
        assertThat(SshPublicKeys.problem("ssh-ed25519 not*base64")).contains("base64");
        assertThat(SshPublicKeys.problem("ssh-rsa " + ED25519.split(" ")[1])).contains("says 'ssh-ed25519'");
        assertThat(SshPublicKeys.problem("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJe6e")).isNotNull();
        assertThatThrownBy(() -> SshPublicKeys.validate(List.of(ED25519, "hello world")))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("sshKeys"))
                .hasMessageContaining("SSH key 2");
    }

    @Test
    void refusesControlCharactersAndOverlongKeysAndComments() {
        assertThat(SshPublicKeys.problem(ED25519 + " me\u0000@laptop")).contains("control characters");
        assertThat(SshPublicKeys.problem(ED25519 + " me\u001b[31m")).contains("control characters");
        assertThat(SshPublicKeys.problem(ED25519.substring(0, ED25519.lastIndexOf(' ')) + " " + "c".repeat(SshPublicKeys.MAX_COMMENT_LENGTH + 1))).contains("comment is longer");
        assertThat(SshPublicKeys.problem(ED25519.substring(0, ED25519.lastIndexOf(' ')) + " " + "c".repeat(SshPublicKeys.MAX_COMMENT_LENGTH))).isNull();
        assertThat(SshPublicKeys.problem(ED25519 + " " + "c".repeat(100_000))).contains("longer than");
        assertThatThrownBy(() -> SshPublicKeys.validate(java.util.Collections.nCopies(SshPublicKeys.MAX_KEYS + 1, ED25519)))
                .hasMessageContaining("at most " + SshPublicKeys.MAX_KEYS);
    }
}
