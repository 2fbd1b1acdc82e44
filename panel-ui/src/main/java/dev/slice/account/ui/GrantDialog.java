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
import dev.slice.placement.PlanCapacity;
import dev.slice.plan.CapacityGrant;
import dev.slice.plan.ui.NodeCapacityHints;
import dev.slice.quota.Quota;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operator sets what a reseller may sell: the largest plan, on which backends, and the totals across its live servers
 * (servers, and vCPUs, memory, disk and IPv4 addresses, empty: unlimited).
 */
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
        CheckboxGroup<BackendKind> backends = new CheckboxGroup<>("Backends");
        backends.setId("grant-backends");
        PlanCapacity capacity = NodeCapacityHints.capacity();
        // Only backends some node offers (and those already granted), with the others' reasons beside the field.
        List<BackendKind> offered = NodeCapacityHints.offered(capacity, current == null ? new BackendKind[0]
                : current.backends().stream().map(BackendKind::fromId).toArray(BackendKind[]::new));
        backends.setItems(offered);
        backends.setItemLabelGenerator(BackendKind::id);
        backends.setHelperText(NodeCapacityHints.missingText(capacity));
        FieldErrors errors = new FieldErrors().bind("maxVcpusPerPlan", vcpus).bind("maxMemoryMiBPerPlan", memory)
                .bind("maxDiskMiBPerPlan", disk).bind("backends", backends);
        // Totals across the reseller's live servers; empty: unlimited (servers always have a number).
        QuotaFields totals = new QuotaFields("grant", current == null ? new Quota(10, null, null, null, null) : current.totals(), errors);
        totals.servers.setPlaceholder(null);
        totals.servers.setClearButtonVisible(false);
        if (current != null) {
            vcpus.setValue(current.maxVcpusPerPlan());
            memory.setValue((int) current.maxMemoryMiBPerPlan());
            disk.setValue((int) current.maxDiskMiBPerPlan());
            backends.setValue(current.backends().stream().map(BackendKind::fromId).collect(Collectors.toSet()));
        } else {
            vcpus.setValue(2);
            memory.setValue(2048);
            disk.setValue(20480);
            backends.setValue(offered.contains(BackendKind.OCI) ? Set.of(BackendKind.OCI) : Set.of());
        }
        for (HasValidation field : new HasValidation[]{vcpus, memory, disk, backends}) field.setManualValidation(true);
        FormLayout form = new FormLayout(vcpus, memory, disk, totals.servers);
        totals.totals().forEach(form::add);
        form.add(backends, errors.general());
        add(form);

        Button ok = new Button("Save", e -> {
            try {
                Quota sold = totals.value();
                save.apply(new CapacityGrant(reseller.id(), orZero(vcpus.getValue()), orZero(memory.getValue()),
                        orZero(disk.getValue()), orZero(sold.maxServers()),
                        backends.getValue().stream().map(BackendKind::id).collect(Collectors.toSet()), sold.maxVcpus(),
                        sold.maxMemoryMiB(), sold.maxDiskMiB(), sold.maxIpv4Addresses()));
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
