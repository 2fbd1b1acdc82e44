package dev.slice.plan.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.display.Sizes;
import dev.slice.order.ui.OrderView;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.security.SignedInUser;
import dev.slice.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;

/** The plans a customer can order (its reseller's active plans); a short list, so no paging. */
@Route("catalogue")
@PageTitle("Plans · Slice")
@Menu(title = "Order a server", order = 2, icon = "vaadin:cart")
@RolesAllowed(Roles.CUSTOMER)
public class PlanCatalogueView extends VerticalLayout {

    public PlanCatalogueView(PlanService plans, SignedInUser actor) {
        addClassName("slice-page");
        add(new H2("Plans"));
        List<Plan> catalogue = plans.catalogue(actor.actor());
        if (catalogue.isEmpty()) {
            add(new Paragraph("Your provider offers no plans at the moment."));
            return;
        }
        Grid<Plan> grid = new Grid<>(Plan.class, false);
        grid.setId("catalogue");
        grid.addColumn(Plan::name).setHeader("Plan").setAutoWidth(true);
        grid.addColumn(p -> p.backendKind().label()).setHeader("Kind").setAutoWidth(true);
        grid.addColumn(Plan::vcpus).setHeader("vCPUs");
        grid.addColumn(p -> Sizes.mib(p.memoryMiB())).setHeader("Memory");
        grid.addColumn(p -> Sizes.mib(p.diskMiB())).setHeader("Disk");
        grid.addColumn(p -> p.bandwidthMbit() == 0 ? "unmetered" : p.bandwidthMbit() + " Mbit/s").setHeader("Bandwidth");
        grid.addColumn(p -> Sizes.perMonth(p.monthlyPriceCents())).setHeader("Price").setAutoWidth(true);
        grid.addComponentColumn(p -> {
            Button order = new Button("Order", e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(OrderView.class, p.id())));
            order.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SMALL);
            order.setId("order-plan-" + p.id());
            return order;
        }).setAutoWidth(true);
        grid.setItems(catalogue);
        grid.setAllRowsVisible(true);
        add(grid);
    }
}
