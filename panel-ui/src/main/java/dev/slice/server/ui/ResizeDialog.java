package dev.slice.server.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.select.Select;
import dev.slice.display.FieldErrors;
import dev.slice.display.Sizes;
import dev.slice.error.ConflictException;
import dev.slice.error.ValidationException;
import dev.slice.plan.Plan;
import dev.slice.server.Server;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.ToLongFunction;

/** Moves a server to another plan of its seller on the same backend; offered only where the backend can resize. */
class ResizeDialog extends Dialog {

    ResizeDialog(Server server, List<Plan> candidates, ToLongFunction<Plan> resize, LongConsumer started) {
        setHeaderTitle("Resize " + server.hostname());
        setId("resize-dialog");
        Select<Plan> plan = new Select<>();
        plan.setId("resize-plan");
        plan.setLabel("New plan");
        plan.setItems(candidates);
        plan.setItemLabelGenerator(p -> p.name() + " · " + p.vcpus() + " vCPU · " + Sizes.mib(p.memoryMiB()) + " · "
                + Sizes.mib(p.diskMiB()) + " · " + Sizes.perMonth(p.monthlyPriceCents()));
        plan.setManualValidation(true);
        plan.setWidthFull();
        FieldErrors errors = new FieldErrors().bind("planId", plan);
        add(new Paragraph("The server is stopped, resized and started again."), plan, errors.general());
        if (candidates.isEmpty()) {
            // An empty list reads as a fault; say what is missing and who can add it.
            Paragraph none = new Paragraph("There is no other plan on the " + server.backend() + " backend to move this server"
                    + " to; a new plan from its provider will appear here.");
            none.setId("resize-no-plans");
            plan.setVisible(false);
            add(none);
        }

        Button ok = new Button("Resize", e -> {
            if (plan.getValue() == null) {
                errors.show(new ValidationException("planId", "choose the new plan"));
                return;
            }
            try {
                long jobId = resize.applyAsLong(plan.getValue());
                close();
                started.accept(jobId);
            } catch (ValidationException ex) {
                errors.show(ex);
            } catch (ConflictException ex) {
                errors.showGeneral(ex.getMessage());
            }
        });
        ok.setId("resize-confirm");
        ok.setEnabled(!candidates.isEmpty());
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), ok);
    }
}
