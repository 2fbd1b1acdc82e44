package dev.slice.account.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinRequest;
import dev.slice.account.AccountManagement;
import dev.slice.account.PasswordPolicy;
import dev.slice.display.FieldErrors;
import dev.slice.error.ValidationException;
import dev.slice.home.HomeView;
import dev.slice.security.SignedInUser;
import dev.slice.signin.TooManyAttemptsException;
import jakarta.annotation.security.PermitAll;

/**
 * One's own password, with the current one. After a reset the main layout sends every page here until the one-time
 * password is replaced, and then goes on to the user's home page.
 */
@Route("password")
@PageTitle("Change password · Slice")
@PermitAll
public class ChangePasswordView extends VerticalLayout {

    public ChangePasswordView(AccountManagement accounts, SignedInUser user) {
        addClassName("slice-page");
        setId("change-password-page");
        boolean forced = user.mustChangePassword();
        add(new H2("Change password"));
        if (forced) {
            Paragraph why = new Paragraph("Your password was reset. Choose a password of your own to go on: enter the one-time"
                    + " password you were given as the current one.");
            why.setId("password-forced");
            add(why);
        }
        PasswordField current = new PasswordField(forced ? "One-time password" : "Current password");
        current.setId("password-current");
        PasswordField next = new PasswordField("New password");
        next.setId("password-new");
        next.setHelperText(PasswordPolicy.rule(user.actor().username()));
        PasswordField repeat = new PasswordField("New password again");
        repeat.setId("password-repeat");
        FieldErrors errors = new FieldErrors().bind("currentPassword", current).bind("newPassword", next).bind("repeat", repeat);
        for (HasValidation field : new HasValidation[]{current, next, repeat}) field.setManualValidation(true);

        Button save = new Button("Change password", e -> {
            try {
                if (!next.getValue().equals(repeat.getValue())) throw new ValidationException("repeat", "the two new passwords differ");
                VaadinRequest request = VaadinRequest.getCurrent();
                accounts.changeOwnPassword(user.actor(), request == null ? "unknown" : request.getRemoteAddr(), current.getValue(),
                        next.getValue());
                Notification.show("Password changed");
                if (forced) {
                    getUI().ifPresent(ui -> ui.navigate(HomeView.class));
                } else {
                    current.clear();
                    next.clear();
                    repeat.clear();
                    errors.clear();
                }
            } catch (ValidationException ex) {
                errors.show(ex);
            } catch (TooManyAttemptsException ex) {
                errors.show(new ValidationException("currentPassword", ex.getMessage()));
            }
        });
        save.setId("password-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickShortcut(Key.ENTER);
        FormLayout form = new FormLayout(current, next, repeat, errors.general());
        form.setMaxWidth("32rem");
        add(form, save);
    }
}
