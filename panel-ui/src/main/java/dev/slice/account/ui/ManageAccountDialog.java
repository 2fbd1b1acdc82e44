package dev.slice.account.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.VaadinServletResponse;
import dev.slice.account.Account;
import dev.slice.account.AccountManagement;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.display.FieldErrors;
import dev.slice.error.ConflictException;
import dev.slice.error.ForbiddenException;
import dev.slice.error.ValidationException;
import dev.slice.security.AccessRules;
import dev.slice.security.SignInAs;
import dev.slice.twofactor.TwoFactorService;

/**
 * One account, for whoever manages it: name and e-mail, a one-time password, a two-factor reset, disable or enable, sign in as it for
 * support, delete. The services check every action again; this dialog only leaves out what the rules would refuse.
 */
class ManageAccountDialog extends Dialog {

    private final Span error = new Span();

    ManageAccountDialog(Actor actor, Account account, AccountService accounts, AccountManagement management,
                        TwoFactorService twoFactor, SignInAs signInAs, Runnable changed) {
        setHeaderTitle(account.username() + " (" + account.role().id()
                + (account.parentUsername() == null ? "" : " of " + account.parentUsername()) + ")");
        setId("manage-dialog");
        setMaxWidth("40rem");
        error.setId("manage-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        error.setVisible(false);

        TextField name = new TextField("Name", account.displayName(), "");
        name.setId("manage-name");
        EmailField email = new EmailField("E-mail");
        email.setValue(account.email() == null ? "" : account.email());
        email.setId("manage-email");
        FieldErrors errors = new FieldErrors().bind("displayName", name).bind("email", email);
        for (HasValidation field : new HasValidation[]{name, email}) field.setManualValidation(true);
        Button save = new Button("Save", e -> {
            try {
                management.edit(actor, account.id(), new AccountManagement.ProfileChange(name.getValue(), email.getValue()));
                errors.clear();
                Notification.show("Account " + account.username() + " saved");
                changed.run();
            } catch (ValidationException ex) {
                errors.show(ex);
            }
        });
        save.setId("manage-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        FormLayout form = new FormLayout(name, email, errors.general());

        Span oneTime = new Span();
        oneTime.setId("one-time-password");
        oneTime.getStyle().set("font-family", "var(--lumo-font-family-monospace, monospace)").set("font-size", "var(--lumo-font-size-l)");
        Paragraph oneTimeNote = new Paragraph("Shown only once. Give it to " + account.username() + " by a safe way; at the next"
                + " sign-in they must replace it with a password of their own. Their open consoles have been closed.");
        VerticalLayout oneTimeBox = new VerticalLayout(oneTime, oneTimeNote);
        oneTimeBox.setPadding(false);
        oneTimeBox.setVisible(false);
        Button reset = new Button("Reset password", e -> act(() -> {
            oneTime.setText(management.resetPassword(actor, account.id()));
            oneTimeBox.setVisible(true);
        }));
        reset.setId("manage-reset");
        // For an owner who lost both the device and the recovery codes; they sign in with the password alone again.
        Button resetTwoFactor = new Button("Reset two-factor", e -> act(() -> {
            twoFactor.reset(actor, account.id());
            Notification.show("Two-factor sign-in of " + account.username() + " turned off");
        }));
        resetTwoFactor.setId("manage-two-factor-reset");

        Button enabled = new Button(account.enabled() ? "Disable" : "Enable", e -> act(() -> {
            accounts.setEnabled(actor, account.id(), !account.enabled());
            Notification.show("Account " + account.username() + (account.enabled() ? " disabled" : " enabled"));
            changed.run();
            close();
        }));
        enabled.setId("manage-enabled");

        Button delete = new Button("Delete", e -> {
            ConfirmDialog confirm = new ConfirmDialog("Delete " + account.username() + "?",
                    "The account can no longer sign in and its API tokens stop working. This cannot be undone.",
                    "Delete", ok -> act(() -> {
                        management.delete(actor, account.id());
                        Notification.show("Account " + account.username() + " deleted");
                        changed.run();
                        close();
                    }));
            confirm.setCancelable(true);
            confirm.setConfirmButtonTheme("error primary");
            confirm.open();
        });
        delete.setId("manage-delete");
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);

        FlexLayout actions = new FlexLayout(reset, resetTwoFactor, enabled);
        if (AccessRules.canImpersonate(actor, account.id(), account.role(), account.parentId()) && account.enabled()) {
            Button signIn = new Button("Sign in as " + account.username(), e -> act(() -> {
                signInAs.start(actor, account.id(), VaadinServletRequest.getCurrent().getHttpServletRequest(),
                        VaadinServletResponse.getCurrent().getHttpServletResponse());
                // A new page, so that the menu and every view are built for the account signed in as.
                getUI().ifPresent(ui -> ui.getPage().setLocation("."));
            }));
            signIn.setId("manage-sign-in-as");
            actions.add(signIn);
        }
        actions.add(delete);
        actions.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        actions.getStyle().set("gap", "var(--lumo-space-s)");

        add(form, save, actions, oneTimeBox, error);
        Button closeButton = new Button("Close", e -> close());
        closeButton.setId("manage-close");
        getFooter().add(closeButton);
    }

    /** Runs an action; a refusal (still has servers, not allowed any more) is shown in the dialog. */
    private void act(Runnable action) {
        try {
            error.setVisible(false);
            action.run();
        } catch (ConflictException | ForbiddenException | ValidationException e) {
            error.setText(e.getMessage());
            error.setVisible(true);
        }
    }
}
