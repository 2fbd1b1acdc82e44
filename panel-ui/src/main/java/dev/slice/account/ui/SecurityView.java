package dev.slice.account.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinRequest;
import dev.slice.account.Actor;
import dev.slice.display.FieldErrors;
import dev.slice.error.ConflictException;
import dev.slice.error.ValidationException;
import dev.slice.security.SignedInUser;
import dev.slice.signin.TooManyAttemptsException;
import dev.slice.twofactor.TwoFactorPolicy;
import dev.slice.twofactor.TwoFactorService;
import dev.slice.security.FirstStep;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Anchor;
import jakarta.annotation.security.PermitAll;
import java.util.List;

/**
 * Two-factor sign-in for one's own account: enrol an authenticator app (QR code and the secret as text, shown during
 * enrolment only), confirm with a current code, and keep the ten recovery codes shown once; or turn it off with a code
 * or the password. Operators also find the installation's switch that makes it mandatory for operators and resellers; while
 * it holds an account without it, every page leads here.
 */
@Route("security")
@PageTitle("Security · Slice")
@Menu(title = "Security", order = 41, icon = "vaadin:lock")
@PermitAll
public class SecurityView extends VerticalLayout {
    private final TwoFactorService twoFactor;
    private final TwoFactorPolicy policy;
    private final SignedInUser user;
    private final Actor actor;
    private final VerticalLayout body = new VerticalLayout();

    public SecurityView(TwoFactorService twoFactor, TwoFactorPolicy policy, SignedInUser user) {
        this.twoFactor = twoFactor;
        this.policy = policy;
        this.user = user;
        this.actor = user.actor();
        addClassName("slice-page");
        setId("security-page");
        body.setPadding(false);
        add(new H2("Security"), new H3("Two-factor sign-in"), body);
        if (actor.isOperator()) add(installationPolicy());
        showStatus(null);
    }

    /** The operator's switch: two-factor sign-in mandatory for operators and resellers (API tokens stay usable). */
    private com.vaadin.flow.component.Component installationPolicy() {
        Checkbox required = new Checkbox("Require two-factor sign-in for operators and resellers", policy.requiredForStaff());
        required.setId("two-factor-required-for-staff");
        required.addValueChangeListener(e -> {
            if (!e.isFromClient()) return;
            policy.setRequiredForStaff(actor, e.getValue());
            // One's own hold (or its end) shows at once.
            showStatus(null);
        });
        VerticalLayout box = new VerticalLayout(new H3("Installation"), required, new Paragraph("While on, an operator or reseller"
                + " without two-factor sign-in is led here before any other page, and its session's API calls are refused until"
                + " it enrols; API tokens keep working."));
        box.setPadding(false);
        return box;
    }

    /** The current state; {@code recovery} are the codes just made, shown this once. */
    private void showStatus(List<String> recovery) {
        body.removeAll();
        TwoFactorService.Status status = twoFactor.status(actor);
        Paragraph state = new Paragraph(status.enabled()
                ? "On: signing in asks for a code from your authenticator app. Recovery codes left: " + status.recoveryCodesLeft() + "."
                : "Off: signing in asks for your password only.");
        state.setId("two-factor-status");
        body.add(state);
        if (user.firstStep().orElse(null) == FirstStep.ENROL_TWO_FACTOR) {
            Paragraph required = new Paragraph("This installation requires two-factor sign-in for operators and resellers:"
                    + " set it up to go on.");
            required.setId("two-factor-enrolment-required");
            required.addClassName("slice-warning");
            body.add(required);
        } else if (status.enabled() && recovery != null) {
            Anchor next = new Anchor("", "Go on to the panel");
            next.setId("two-factor-continue");
            body.add(next);
        }
        if (recovery != null) {
            Paragraph note = new Paragraph("Your recovery codes, shown only now. Keep them somewhere safe: each one signs you in"
                    + " once in place of a code, if you lose the device.");
            Pre codes = new Pre(String.join("\n", recovery));
            codes.setId("two-factor-recovery-codes");
            codes.addClassName("slice-output");
            body.add(note, codes);
        }
        if (status.enabled()) {
            body.add(regenerateForm(), disableForm());
        } else {
            Button start = new Button("Set up two-factor sign-in", e -> showEnrolment());
            start.setId("two-factor-start");
            start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            body.add(start);
        }
    }

    private void showEnrolment() {
        body.removeAll();
        TwoFactorService.Enrolment enrolment = twoFactor.start(actor);
        Image qr = new Image(enrolment.qrCode(), "QR code of the two-factor secret");
        qr.setId("two-factor-qr");
        qr.setWidth("240px");
        Span secret = new Span(enrolment.secret());
        secret.setId("two-factor-secret");
        secret.getStyle().set("font-family", "var(--lumo-font-family-monospace, monospace)").set("overflow-wrap", "anywhere");
        TextField code = new TextField("Code from the app");
        code.setId("two-factor-confirm-code");
        code.setManualValidation(true);
        FieldErrors errors = new FieldErrors().bind("code", code);
        Button confirm = new Button("Turn on", e -> {
            try {
                showStatus(twoFactor.confirm(actor, code.getValue().strip()));
            } catch (ValidationException ex) {
                errors.show(ex);
            } catch (ConflictException ex) {
                errors.show(new ValidationException("code", ex.getMessage()));
            }
        });
        confirm.setId("two-factor-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button cancel = new Button("Cancel", e -> showStatus(null));
        body.add(new Paragraph("Scan the QR code with an authenticator app (or type the secret into it), then enter the"
                        + " 6-digit code it shows."), qr, new Paragraph("Secret: "), secret,
                new FormLayout(code, errors.general()), confirm, cancel);
    }

    /** New recovery codes for old ones (lost, or mostly used): a current code from the app, or the password. */
    private com.vaadin.flow.component.Component regenerateForm() {
        TextField code = new TextField("Current code from the app");
        code.setId("two-factor-regenerate-code");
        PasswordField password = new PasswordField("or your password");
        password.setId("two-factor-regenerate-password");
        code.setManualValidation(true);
        password.setManualValidation(true);
        FieldErrors errors = new FieldErrors().bind("code", code).bind("password", password);
        Button regenerate = new Button("New recovery codes", e -> {
            try {
                VaadinRequest request = VaadinRequest.getCurrent();
                showStatus(twoFactor.regenerateRecoveryCodes(actor, request == null ? "unknown" : request.getRemoteAddr(),
                        code.getValue().strip(), password.getValue()));
            } catch (ValidationException ex) {
                errors.show(ex);
            } catch (TooManyAttemptsException ex) {
                errors.show(new ValidationException(code.getValue().isBlank() ? "password" : "code", ex.getMessage()));
            }
        });
        regenerate.setId("two-factor-regenerate");
        VerticalLayout box = new VerticalLayout(new Paragraph("New recovery codes replace all the old ones, which stop working."),
                new FormLayout(code, password, errors.general()), regenerate);
        box.setPadding(false);
        return box;
    }

    private com.vaadin.flow.component.Component disableForm() {
        TextField code = new TextField("Current code or recovery code");
        code.setId("two-factor-disable-code");
        PasswordField password = new PasswordField("or your password");
        password.setId("two-factor-disable-password");
        code.setManualValidation(true);
        password.setManualValidation(true);
        FieldErrors errors = new FieldErrors().bind("code", code).bind("password", password);
        Button disable = new Button("Turn off", e -> {
            try {
                VaadinRequest request = VaadinRequest.getCurrent();
                twoFactor.disable(actor, request == null ? "unknown" : request.getRemoteAddr(), code.getValue().strip(),
                        password.getValue());
                showStatus(null);
            } catch (ValidationException ex) {
                errors.show(ex);
            } catch (TooManyAttemptsException ex) {
                errors.show(new ValidationException(code.getValue().isBlank() ? "password" : "code", ex.getMessage()));
            }
        });
        disable.setId("two-factor-disable");
        disable.addThemeVariants(ButtonVariant.LUMO_ERROR);
        VerticalLayout box = new VerticalLayout(new FormLayout(code, password, errors.general()), disable);
        box.setPadding(false);
        return box;
    }
}
