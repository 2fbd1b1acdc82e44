package dev.slice.display;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import dev.slice.error.ValidationException;
import dev.slice.error.ValidationException.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the service layer's field errors land on a form. */
class FieldErrorsTest {

    private final TextField hostname = new TextField();
    private final PasswordField password = new PasswordField();
    private final FieldErrors errors = new FieldErrors().bind("hostname", hostname).bind("password", password);

    @Test
    void eachErrorGoesBesideItsFieldAndTheRestAboveTheButton() {
        errors.show(new ValidationException(List.of(
                new FieldError("hostname", "use a DNS name"),
                new FieldError("plan", "no capacity left for this plan"))));

        assertThat(hostname.isInvalid()).isTrue();
        assertThat(hostname.getErrorMessage()).isEqualTo("Use a DNS name");
        assertThat(password.isInvalid()).isFalse();
        assertThat(errors.general().isVisible()).isTrue();
        assertThat(errors.general().getText()).isEqualTo("No capacity left for this plan.");
    }

    @Test
    void aNewAttemptClearsTheMessagesOfTheLastOne() {
        errors.show(new ValidationException("hostname", "taken"));
        errors.show(new ValidationException("password", "too weak"));

        assertThat(hostname.isInvalid()).isFalse();
        assertThat(hostname.getErrorMessage()).isNullOrEmpty();
        assertThat(password.getErrorMessage()).isEqualTo("Too weak");
        assertThat(errors.general().isVisible()).isFalse();
    }
}
