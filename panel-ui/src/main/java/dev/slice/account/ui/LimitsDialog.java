package dev.slice.account.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import dev.slice.account.Account;
import dev.slice.account.Actor;
import dev.slice.display.FieldErrors;
import dev.slice.error.ForbiddenException;
import dev.slice.error.ValidationException;
import dev.slice.quota.CustomerLimits;

/** A customer's reseller (or the operator) sets the most its live servers may hold in total; empty: unlimited. */
class LimitsDialog extends Dialog {

    LimitsDialog(Actor actor, Account customer, CustomerLimits limits) {
        setHeaderTitle("Limits for " + customer.username());
        setId("limits-dialog");
        setMaxWidth("40rem");
        FieldErrors errors = new FieldErrors();
        QuotaFields fields = new QuotaFields("limits", limits.of(actor, customer.id()), errors);
        FormLayout form = new FormLayout(fields.servers);
        fields.totals().forEach(form::add);
        form.add(errors.general());
        add(new Paragraph("Orders and resizes beyond these are refused; empty fields are unlimited."), form);

        Button save = new Button("Save", e -> {
            try {
                limits.set(actor, customer.id(), fields.value());
                close();
                Notification.show("Limits for " + customer.username() + " saved");
            } catch (ValidationException ex) {
                errors.show(ex);
            } catch (ForbiddenException ex) {
                errors.show(ValidationException.ofRequest(ex.getMessage()));
            }
        });
        save.setId("limits-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), save);
    }
}
