package dev.slice.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.error.ValidationException;
import org.junit.jupiter.api.Test;

/** Every refusal says what is wrong and then the same rule the fields show, naming the user name. */
class PasswordPolicyTest {

    private static final String ROOT_RULE = "at least 10 characters mixing three of lower case, upper case, digits and symbols"
            + " (or 16 and more of any), without the user name (root)";

    @Test
    void theRuleUnderAFieldNamesTheUserName() {
        assertThat(PasswordPolicy.rule("root")).isEqualTo("A" + ROOT_RULE.substring(1));
        assertThat(PasswordPolicy.DESCRIPTION).endsWith("without the user name");
    }

    @Test
    void eachRefusalSaysWhatIsWrongAndThenTheWholeRule() {
        assertThatThrownBy(() -> PasswordPolicy.check("rootPassword", "Root-Access-Pass-1", "root"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("rootPassword: the password contains the user name (root); it needs " + ROOT_RULE);
        assertThatThrownBy(() -> PasswordPolicy.check("rootPassword", "short", "root"))
                .hasMessage("rootPassword: the password has only 5 characters; it needs " + ROOT_RULE);
        assertThatThrownBy(() -> PasswordPolicy.check("rootPassword", "alllowercase", "root"))
                .hasMessage("rootPassword: the password is too weak: it mixes only 1 of the four kinds; it needs " + ROOT_RULE);
        assertThatCode(() -> PasswordPolicy.check("rootPassword", "Good-Server-Pass-8", "root")).doesNotThrowAnyException();
        assertThatCode(() -> PasswordPolicy.check("password", "a passphrase of plain words", "carol")).doesNotThrowAnyException();
    }
}
