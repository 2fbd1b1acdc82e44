package dev.slice.account.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.textfield.IntegerField;
import dev.slice.account.Account;
import dev.slice.display.FieldErrors;
import dev.slice.driver.BackendKind;
import dev.slice.error.ValidationException;
import dev.slice.plan.CapacityGrant;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The operator sets what a reseller may sell: the largest plan, how many servers, on which backends. */
class GrantDialog extends Dialog {

    GrantDialog(Account reseller, CapacityGrant current, Function<CapacityGrant, CapacityGrant> save) {
        setHeaderTitle("Capacity for " + reseller.username());
        setId("grant-dialog");
        IntegerField vcpus = new IntegerField("Max vCPUs per plan");
        vcpus.setId("grant-vcpus");
        IntegerField memory = new IntegerField("Max memory per plan (MiB)");
        memory.setId("grant-memory");
        IntegerField disk = new IntegerField("Max disk per plan (MiB)");
        disk.setId("grant-disk");
        IntegerField servers = new IntegerField("Max servers in total");
        servers.setId("grant-servers");
        CheckboxGroup<BackendKind> backends = new CheckboxGroup<>("Backends");
        backends.setId("grant-backends");
        backends.setItems(BackendKind.values());
        backends.setItemLabelGenerator(BackendKind::id);
        if (current != null) {
            vcpus.setValue(current.maxVcpusPerPlan());
            memory.setValue((int) current.maxMemoryMiBPerPlan());
            disk.setValue((int) current.maxDiskMiBPerPlan());
            servers.setValue(current.maxServers());
            backends.setValue(current.backends().stream().map(BackendKind::fromId).collect(Collectors.toSet()));
        } else {
            vcpus.setValue(2);
            memory.setValue(2048);
            disk.setValue(20480);
            servers.setValue(10);
            backends.setValue(Set.of(BackendKind.OCI));
        }
        FieldErrors errors = new FieldErrors().bind("maxVcpusPerPlan", vcpus).bind("maxMemoryMiBPerPlan", memory)
                .bind("maxDiskMiBPerPlan", disk).bind("maxServers", servers).bind("backends", backends);
        for (HasValidation field : new HasValidation[]{vcpus, memory, disk, servers, backends}) field.setManualValidation(true);
        add(new FormLayout(vcpus, memory, disk, servers, backends, errors.general()));

        Button ok = new Button("Save", e -> {
            try {
                save.apply(new CapacityGrant(reseller.id(), orZero(vcpus.getValue()), orZero(memory.getValue()),
                        orZero(disk.getValue()), orZero(servers.getValue()),
                        backends.getValue().stream().map(BackendKind::id).collect(Collectors.toSet())));
                close();
                Notification.show("Capacity for " + reseller.username() + " saved");
            } catch (ValidationException ex) {
                errors.show(ex);
            }
        });
        ok.setId("grant-save");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), ok);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

}
