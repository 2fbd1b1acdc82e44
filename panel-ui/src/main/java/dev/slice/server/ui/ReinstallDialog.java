package dev.slice.server.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextArea;
import dev.slice.account.PasswordPolicy;
import dev.slice.display.FieldErrors;
import dev.slice.error.ConflictException;
import dev.slice.error.ValidationException;
import dev.slice.server.Server;
import dev.slice.template.OsTemplate;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/** Reinstalling wipes the server: the user picks the OS and new root credentials and confirms. */
class ReinstallDialog extends Dialog {

    interface Reinstall {
        long apply(String template, String rootPassword, List<String> sshKeys);
    }

    ReinstallDialog(Server server, List<OsTemplate> available, Reinstall reinstall, LongConsumer started) {
        setHeaderTitle("Reinstall " + server.hostname());
        setId("reinstall-dialog");
        Select<OsTemplate> template = new Select<>();
        template.setLabel("Operating system");
        template.setItems(available);
        template.setItemLabelGenerator(OsTemplate::label);
        available.stream().filter(t -> t.name().equals(server.template())).findFirst()
                .or(() -> available.stream().findFirst()).ifPresent(template::setValue);
        PasswordField password = new PasswordField("New root password");
        password.setId("reinstall-password");
        password.setHelperText(PasswordPolicy.rule("root"));
        TextArea keys = new TextArea("SSH public keys (one per line)");
        keys.setId("reinstall-ssh-keys");
        FieldErrors errors = new FieldErrors().bind("template", template).bind("rootPassword", password).bind("sshKeys", keys);
        for (HasValidation field : new HasValidation[]{template, password, keys}) field.setManualValidation(true);

        Paragraph warning = new Paragraph("All data on " + server.hostname() + " is erased. The address stays the same.");
        FormLayout form = new FormLayout(template, password, keys, errors.general());
        form.setColspan(keys, 2);
        add(warning, form);

        Button ok = new Button("Erase and reinstall", e -> {
            List<String> keyLines = Arrays.stream(keys.getValue().split("\\R")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            try {
                long jobId = reinstall.apply(template.getValue() == null ? null : template.getValue().name(),
                        password.getValue().isEmpty() ? null : password.getValue(), keyLines);
                close();
                started.accept(jobId);
            } catch (ValidationException ex) {
                errors.show(ex);
            } catch (ConflictException ex) {
                errors.showGeneral(ex.getMessage());
            }
        });
        ok.setId("reinstall-confirm");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        getFooter().add(new Button("Cancel", e -> close()), ok);
    }
}
