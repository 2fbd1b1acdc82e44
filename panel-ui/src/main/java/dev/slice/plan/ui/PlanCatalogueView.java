package dev.slice.plan.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.display.Sizes;
import dev.slice.order.ui.OrderView;
import dev.slice.placement.Demand;
import dev.slice.placement.PlanCapacity;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.security.SignedInUser;
import dev.slice.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import java.util.Comparator;
import java.util.List;

/**
 * The plans a customer can order (its reseller's active plans), as a storefront: one card per plan with the price first,
 * what it includes and what kind of server it is; a plan no node has room for now shows "Not available right now". A short list, so no paging; the cards flow into as many columns as fit.
 */
@Route("catalogue")
@PageTitle("Plans · Slice")
@Menu(title = "Order a server", order = 2, icon = "vaadin:cart")
@RolesAllowed(Roles.CUSTOMER)
public class PlanCatalogueView extends VerticalLayout {

    public PlanCatalogueView(PlanService plans, PlanCapacity capacity, SignedInUser actor) {
        addClassName("slice-page");
        add(new H2("Order a server"));
        List<Plan> catalogue = plans.catalogue(actor.actor());
        if (catalogue.isEmpty()) {
            add(new Paragraph("Your provider offers no plans at the moment."));
            return;
        }
        add(new Paragraph("Pick a plan; you choose the hostname, operating system and root access on the next page."));
        Div cards = new Div();
        cards.setId("catalogue");
        cards.addClassName("slice-plan-cards");
        catalogue.stream().sorted(Comparator.comparing(Plan::backendKind).thenComparingLong(Plan::monthlyPriceCents))
                .map(plan -> card(plan, capacity.placeableNow(plan.backend(), plan.nodeGroup(),
                        new Demand(plan.vcpus(), plan.memoryMiB(), plan.diskMiB()))))
                .forEach(cards::add);
        add(cards);
    }

    /** {@code orderable}: some node has room for it now; if not, the card stays (the shopper sees the offer) but cannot be ordered. */
    private static Div card(Plan plan, boolean orderable) {
        Span kind = new Span(BackendExplained.title(plan.backendKind()));
        kind.addClassName("slice-plan-kind");
        H3 name = new H3(plan.name());
        Span price = new Span(Sizes.money(plan.monthlyPriceCents()));
        price.addClassName("slice-plan-amount");
        Span perMonth = new Span(" / month");
        Div priceLine = new Div(price, perMonth);
        priceLine.addClassName("slice-plan-price");
        priceLine.setId("plan-price-" + plan.id());

        UnorderedList includes = new UnorderedList(
                new ListItem(plan.vcpus() + (plan.vcpus() == 1 ? " vCPU" : " vCPUs")),
                new ListItem(Sizes.mib(plan.memoryMiB()) + " memory"),
                new ListItem(Sizes.mib(plan.diskMiB()) + " disk"),
                new ListItem(plan.bandwidthMbit() == 0 ? "Unmetered bandwidth" : plan.bandwidthMbit() + " Mbit/s bandwidth"));
        includes.addClassName("slice-plan-includes");
        Paragraph explained = new Paragraph(BackendExplained.sentence(plan.backendKind()));
        explained.addClassName("slice-plan-explained");
        explained.setId("plan-explained-" + plan.id());

        Button order = new Button("Order", e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(OrderView.class, plan.id())));
        order.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        order.setId("order-plan-" + plan.id());
        order.setWidthFull();
        if (!orderable) {
            order.setText("Not available right now");
            order.setEnabled(false);
        }

        Div card = new Div(kind, name, priceLine, includes, explained, order);
        card.addClassName("slice-plan-card");
        card.setId("plan-card-" + plan.id());
        if (!orderable) card.addClassName("slice-plan-unavailable");
        return card;
    }
}
