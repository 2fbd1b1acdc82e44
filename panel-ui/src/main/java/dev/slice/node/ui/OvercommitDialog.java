package dev.slice.node.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.NumberField;
import dev.slice.display.FieldErrors;
import dev.slice.error.ValidationException;
import dev.slice.node.Node;

/** How much a node may promise beyond what it has, per resource; placement uses the new ratios at once. */
class OvercommitDialog extends Dialog {

    interface Save {
        void apply(double cpu, double memory, double disk);
    }

    OvercommitDialog(Node node, Save save, Runnable saved) {
        setHeaderTitle("Overcommit on " + node.name());
        setId("overcommit-dialog");
        NumberField cpu = field("vCPUs per CPU", "overcommit-cpu", node.cpuOvercommit());
        NumberField memory = field("Memory ratio", "overcommit-memory", node.memoryOvercommit());
        NumberField disk = field("Disk ratio", "overcommit-disk", node.diskOvercommit());
        FieldErrors errors = new FieldErrors().bind("cpu", cpu).bind("memory", memory).bind("disk", disk);
        add(new Paragraph("Existing servers keep their place; new orders and resizes see the new capacity."),
                new FormLayout(cpu, memory, disk, errors.general()));

        Button ok = new Button("Save", e -> {
            try {
                save.apply(orZero(cpu.getValue()), orZero(memory.getValue()), orZero(disk.getValue()));
                close();
                saved.run();
            } catch (ValidationException ex) {
                errors.show(ex);
            }
        });
        ok.setId("overcommit-save");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), ok);
    }

    private static NumberField field(String label, String id, double value) {
        NumberField field = new NumberField(label);
        field.setId(id);
        field.setValue(value);
        field.setStep(0.1);
        ((HasValidation) field).setManualValidation(true);
        return field;
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
