package dev.slice.node.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import dev.slice.display.FieldErrors;
import dev.slice.error.ValidationException;
import dev.slice.node.Node;

/** The node's group (a location plans are pinned to) and whether it drains (takes no new servers). */
class PlacementDialog extends Dialog {

    interface Save {
        void apply(String nodeGroup, boolean draining);
    }

    PlacementDialog(Node node, Save save, Runnable saved) {
        setHeaderTitle("Placement on " + node.name());
        setId("placement-dialog");
        TextField group = new TextField("Node group");
        group.setId("placement-group");
        group.setValue(node.nodeGroup());
        group.setHelperText("A location such as fra-1; plans pinned to a group place only there");
        group.setManualValidation(true);
        Checkbox draining = new Checkbox("Draining: no new servers here (its servers keep running)", node.draining());
        draining.setId("placement-draining");
        FieldErrors errors = new FieldErrors().bind("nodeGroup", group);
        add(new Paragraph("New orders see the change at once; servers already here stay."),
                new FormLayout(group, draining, errors.general()));

        Button ok = new Button("Save", e -> {
            try {
                save.apply(group.getValue(), draining.getValue());
                close();
                saved.run();
            } catch (ValidationException ex) {
                errors.show(ex);
            }
        });
        ok.setId("placement-save");
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), ok);
    }
}
