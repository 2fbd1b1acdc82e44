package dev.slice.plan.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import dev.slice.backup.ScheduleRule;
import dev.slice.display.FieldErrors;
import dev.slice.driver.BackendKind;
import dev.slice.error.ValidationException;
import dev.slice.placement.Demand;
import dev.slice.placement.PlanCapacity;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.report.meaning.PlanFit;
import com.vaadin.flow.component.html.Paragraph;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/** Creates or edits one plan; the service's validation messages appear beside the fields. */
class PlanDialog extends Dialog {

    private final TextField name = new TextField("Name");
    private final Select<BackendKind> backend = new Select<>();
    private final IntegerField vcpus = new IntegerField("vCPUs");
    private final IntegerField memory = new IntegerField("Memory (MiB)");
    private final IntegerField disk = new IntegerField("Disk (MiB)");
    private final IntegerField bandwidth = new IntegerField("Bandwidth (Mbit/s, 0 = unmetered)");
    private final BigDecimalField price = new BigDecimalField("Price per month");
    private final IntegerField traffic = new IntegerField("Outbound traffic (GB a month, 0 = unmetered)");
    private final BigDecimalField overage = new BigDecimalField("Price per GB over it");
    private final Select<String> backupFrequency = new Select<>();
    private final IntegerField backupRetention = new IntegerField("Scheduled backups kept");
    private final FieldErrors errors = new FieldErrors();

    /**
     * @param save   creates or updates the plan; throws {@link ValidationException} on bad input
     * @param saved  called with the stored plan after success
     * @param fits   the guests of a size that fit per node and backend from the latest reports, or null (not shown)
     * @param backups the plan's default backup schedule for servers ordered from it: read, and saved after the plan
     */
    PlanDialog(Plan existing, Function<PlanRequest, Plan> save, Consumer<Plan> saved, Function<PlanFit.Size, String> fits,
               PlanBackups backups) {
        setHeaderTitle(existing == null ? "New plan" : "Edit plan " + existing.name());
        setId("plan-dialog");
        backend.setLabel("Backend");
        PlanCapacity capacity = NodeCapacityHints.capacity();
        // Only what some node offers (and the plan's own backend, so an edit keeps it); the others and why beside the field.
        backend.setItems(NodeCapacityHints.offered(capacity, existing == null ? null : existing.backendKind()));
        backend.setItemLabelGenerator(BackendKind::label);
        backend.setHelperText(NodeCapacityHints.missingText(capacity));
        name.setId("plan-name");
        backend.setId("plan-backend");
        vcpus.setId("plan-vcpus");
        memory.setId("plan-memory");
        disk.setId("plan-disk");
        bandwidth.setId("plan-bandwidth");
        price.setId("plan-price");
        traffic.setId("plan-traffic");
        overage.setId("plan-overage");
        backupFrequency.setLabel("Backups of new servers");
        backupFrequency.setItems("none", "daily", "weekly");
        backupFrequency.setId("plan-backup-frequency");
        backupRetention.setId("plan-backup-retention");
        backupRetention.setMin(1);
        backupRetention.setMax(ScheduleRule.MAX_RETENTION);
        for (HasValidation field : new HasValidation[]{name, backend, vcpus, memory, disk, bandwidth, price, traffic, overage,
                backupFrequency, backupRetention}) {
            field.setManualValidation(true);
        }
        errors.bind("name", name).bind("backend", backend).bind("vcpus", vcpus).bind("memoryMiB", memory)
                .bind("diskMiB", disk).bind("bandwidthMbit", bandwidth).bind("monthlyPriceCents", price)
                .bind("trafficAllowanceGb", traffic).bind("overagePerGbCents", overage)
                .bind("frequency", backupFrequency).bind("retention", backupRetention);
        var schedule = existing == null ? Optional.<ScheduleRule>empty() : backups.current(existing.id());
        backupFrequency.setValue(schedule.map(r -> r.frequency().id()).orElse("none"));
        backupRetention.setValue(schedule.map(ScheduleRule::retention).orElse(7));
        backupRetention.setEnabled(schedule.isPresent());
        backupFrequency.addValueChangeListener(e -> backupRetention.setEnabled(!"none".equals(e.getValue())));

        if (existing != null) {
            name.setValue(existing.name());
            backend.setValue(existing.backendKind());
            vcpus.setValue(existing.vcpus());
            memory.setValue((int) existing.memoryMiB());
            disk.setValue((int) existing.diskMiB());
            bandwidth.setValue(existing.bandwidthMbit());
            price.setValue(BigDecimal.valueOf(existing.monthlyPriceCents(), 2));
            traffic.setValue((int) Math.min(Integer.MAX_VALUE, existing.trafficAllowanceGb()));
            overage.setValue(BigDecimal.valueOf(existing.overagePerGbCents(), 2));
        } else {
            backend.setValue(backend.getListDataView().getItems().findFirst().orElse(null));
            vcpus.setValue(1);
            memory.setValue(512);
            disk.setValue(2048);
            bandwidth.setValue(0);
            price.setValue(new BigDecimal("5.00"));
            traffic.setValue(0);
            overage.setValue(new BigDecimal("0.00"));
        }

        FormLayout form = new FormLayout(name, backend, vcpus, memory, disk, bandwidth, price, traffic, overage, backupFrequency,
                backupRetention, errors.general());
        form.setColspan(errors.general(), 2);
        add(form);
        if (capacity != null) {
            // A plan no node offering its backend could ever hold is allowed (nodes may come), but said plainly.
            Paragraph neverFits = new Paragraph();
            neverFits.setId("plan-capacity");
            neverFits.addClassName("slice-form-error");
            neverFits.setWidth("32em");
            Runnable check = () -> neverFits.setText(backend.getValue() == null || orZero(vcpus.getValue()) < 1
                    || orZero(memory.getValue()) < 1 || orZero(disk.getValue()) < 1 ? ""
                    : capacity.neverPlaceable(backend.getValue().id(), existing == null ? null : existing.nodeGroup(),
                            new Demand(vcpus.getValue(), memory.getValue(), disk.getValue()))
                    .map(why -> "Customers cannot order this plan: " + why + ".").orElse(""));
            backend.addValueChangeListener(e -> check.run());
            vcpus.addValueChangeListener(e -> check.run());
            memory.addValueChangeListener(e -> check.run());
            disk.addValueChangeListener(e -> check.run());
            check.run();
            add(neverFits);
        }
        if (fits != null) {
            Paragraph fit = new Paragraph();
            fit.setId("plan-fits");
            fit.setWidth("32em");
            Runnable update = () -> fit.setText("Guests of this size that fit, per node and backend (latest report): "
                    + (orZero(vcpus.getValue()) < 1 || orZero(memory.getValue()) < 1 || orZero(disk.getValue()) < 1 ? "enter a size"
                    : fits.apply(new PlanFit.Size(vcpus.getValue(), memory.getValue(), disk.getValue()))));
            vcpus.addValueChangeListener(e -> update.run());
            memory.addValueChangeListener(e -> update.run());
            disk.addValueChangeListener(e -> update.run());
            update.run();
            add(fit);
        }

        Button cancel = new Button("Cancel", e -> close());
        cancel.setId("plan-cancel");
        Button ok = new Button(existing == null ? "Create plan" : "Save", e -> {
            try {
                // The schedule's fields are checked first, so a refused one saves nothing of the plan either.
                var backupDefault = ScheduleRule.of(backupFrequency.getValue(), backupRetention.getValue());
                Plan plan = save.apply(request());
                backups.save(plan.id(), backupDefault);
                close();
                saved.accept(plan);
            } catch (ValidationException ex) {
                errors.show(ex);
            }
        });
        ok.setId("plan-save");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(cancel, ok);
    }

    /** The plan's default backup schedule, as the dialog reads and saves it. */
    interface PlanBackups {
        Optional<ScheduleRule> current(long planId);

        void save(long planId, Optional<ScheduleRule> schedule);
    }

    private PlanRequest request() {
        return new PlanRequest(name.getValue(), backend.getValue() == null ? null : backend.getValue().id(),
                orZero(vcpus.getValue()), orZero(memory.getValue()), orZero(disk.getValue()), orZero(bandwidth.getValue()),
                cents(price.getValue()), (long) orZero(traffic.getValue()), cents(overage.getValue()));
    }

    /** An empty amount is -1, which the service refuses beside its field. */
    private static long cents(BigDecimal amount) {
        BigDecimal money = amount == null ? BigDecimal.valueOf(-1) : amount;
        return money.movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
