package dev.slice.account.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import dev.slice.account.Account;
import dev.slice.account.NewAccount;
import dev.slice.account.PasswordPolicy;
import dev.slice.account.Role;
import dev.slice.display.FieldErrors;
import dev.slice.error.ValidationException;
import java.util.function.Consumer;
import java.util.function.Function;

/** A new customer (or, for the operator, reseller); the account service checks names and passwords. */
class NewAccountDialog extends Dialog {

    NewAccountDialog(Role role, Function<NewAccount, Account> create, Consumer<Account> created) {
        setHeaderTitle(role == Role.RESELLER ? "New reseller" : "New customer");
        setId("account-dialog");
        TextField username = new TextField("User name");
        username.setId("account-username");
        TextField displayName = new TextField("Name");
        displayName.setId("account-name");
        EmailField email = new EmailField("E-mail");
        email.setId("account-email");
        PasswordField password = new PasswordField("Password");
        password.setId("account-password");
        password.setHelperText(PasswordPolicy.DESCRIPTION);
        username.addValueChangeListener(e -> password.setHelperText(PasswordPolicy.rule(e.getValue().strip())));
        FieldErrors errors = new FieldErrors().bind("username", username).bind("displayName", displayName)
                .bind("email", email).bind("password", password);
        for (HasValidation field : new HasValidation[]{username, displayName, email, password}) field.setManualValidation(true);
        add(new FormLayout(username, displayName, email, password, errors.general()));

        Button ok = new Button("Create", e -> {
            try {
                Account account = create.apply(new NewAccount(role, username.getValue(), displayName.getValue(),
                        email.getValue(), password.getValue(), null));
                close();
                created.accept(account);
            } catch (ValidationException ex) {
                errors.show(ex);
            }
        });
        ok.setId("account-save");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), ok);
    }
}
