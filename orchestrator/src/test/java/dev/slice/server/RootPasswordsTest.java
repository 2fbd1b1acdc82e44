package dev.slice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.error.ValidationException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.junit.jupiter.api.Test;

class RootPasswordsTest {
    /** Produced on this machine with {@code openssl passwd -6 -salt <salt> <password>}. */
    @Test
    void sha512CryptMatchesOpenssl() {
        assertThat(crypt("Correct-Horse-42", "$6$saltsalt"))
                .isEqualTo("$6$saltsalt$uzUPqNc1uWdXEMYCJGSF9flilmLyiieMgVM80uyCMMRGZRnEvHKnN48yNfIWWEShnyrNuTu5sc3vpAZqkB6ET1");
        assertThat(crypt("hunter2", "$6$abcdefghijklmnop"))
                .isEqualTo("$6$abcdefghijklmnop$EC.xeLW9zNWcX0r23FSpQaV7PG.Ibd4QnLe3w6UC47i3/vkPQouEDwvUpGtqFiad5mzQG96cD/LywQiXv9WfH/");
        assertThat(crypt("pässwörd with spaces", "$6$x./Y"))
                .isEqualTo("$6$x./Y$TZEQZMSM/Wzctzgq08mWOqDP4tan2eH3dCSQ8rHLINaMRZs8xJd3XIKYdhUk5E/W7lqpDKFh0YD7XtHhVtSDV1");
    }

    @Test
    void aOneTimePasswordIsFreshEachTimeTypableAndOnlyItsHashIsPrinted() {
        RootPasswords.OneTime first = RootPasswords.oneTime();
        assertThat(first.password()).hasSize(20).matches("[a-km-zA-HJ-NP-Z2-9]+");
        assertThat(crypt(first.password(), first.hash().substring(0, first.hash().lastIndexOf('$')))).isEqualTo(first.hash());
        assertThat(first.toString()).doesNotContain(first.password());
        assertThat(RootPasswords.oneTime().password()).isNotEqualTo(first.password());
    }

    @Test
    void hashesWithAFreshSaltAndVerifiesLikeCrypt() {
        String hash = RootPasswords.hash("Correct-Horse-42");
        assertThat(hash).startsWith("$6$").matches("\\$6\\$[./A-Za-z0-9]{16}\\$[./A-Za-z0-9]{86}");
        String salt = hash.substring(0, hash.lastIndexOf('$'));
        assertThat(crypt("Correct-Horse-42", salt)).isEqualTo(hash);
        assertThat(RootPasswords.hash("Correct-Horse-42")).isNotEqualTo(hash);
        new dev.slice.driver.Credentials(hash, java.util.List.of());
    }

    @Test
    void weakPasswordsAreRefusedOnTheRootPasswordField() {
        assertThatThrownBy(() -> RootPasswords.hash("short1A")).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("rootPassword"));
        assertThatThrownBy(() -> RootPasswords.hash("lowercase123")).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(e.getMessage()).as("what is wrong, then the one rule, naming root")
                        .contains("only 2 of the four kinds").containsIgnoringCase("it needs " + dev.slice.account.PasswordPolicy.rule("root")));
        assertThat(RootPasswords.hash(null)).isNull();
    }

    private static String crypt(String password, String salt) {
        return Sha2Crypt.sha512Crypt(password.getBytes(StandardCharsets.UTF_8), salt);
    }
}
