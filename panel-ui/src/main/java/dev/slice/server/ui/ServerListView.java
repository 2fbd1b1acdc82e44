package dev.slice.server.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.Actor;
import dev.slice.display.Sizes;
import dev.slice.job.ui.JobPolling;
import dev.slice.plan.ui.PlanCatalogueView;
import dev.slice.security.SignedInUser;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
import jakarta.annotation.security.PermitAll;

/**
 * The servers the user may see: a customer its own, a reseller its customers', the operator all of them.
 * Loaded page by page from the service, since the operator's list grows with the installation.
 */
@Route("servers")
@PageTitle("Servers · Slice")
@Menu(title = "Servers", order = 1, icon = "vaadin:cubes")
@PermitAll
public class ServerListView extends VerticalLayout {

    private final JobPolling polling;

    public ServerListView(ServerService servers, SignedInUser currentActor) {
        addClassName("slice-page");
        setSizeFull();
        Actor actor = currentActor.actor();

        HorizontalLayout header = new HorizontalLayout(new H2(actor.isOperator() ? "All servers" : "Servers"));
        header.setAlignItems(Alignment.BASELINE);
        if (actor.isCustomer()) {
            Button order = new Button("Order a server", e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(PlanCatalogueView.class)));
            order.setId("order-new");
            order.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            header.add(order);
        }

        Grid<Server> grid = new Grid<>(Server.class, false);
        grid.setId("servers");
        grid.addColumn(Server::hostname).setHeader("Hostname").setAutoWidth(true);
        grid.addComponentColumn(ServerBadges::status).setHeader("Status").setAutoWidth(true);
        grid.addComponentColumn(ServerBadges::power).setHeader("Power").setAutoWidth(true);
        grid.addColumn(s -> s.ipv4() == null ? "" : s.ipv4()).setHeader("Address").setAutoWidth(true);
        grid.addColumn(Server::planName).setHeader("Plan").setAutoWidth(true);
        grid.addColumn(s -> s.vcpus() + " vCPU · " + Sizes.mib(s.memoryMiB()) + " · " + Sizes.mib(s.diskMiB()))
                .setHeader("Resources").setAutoWidth(true);
        if (!actor.isCustomer()) grid.addColumn(Server::ownerUsername).setHeader("Owner").setAutoWidth(true);
        if (actor.isOperator()) grid.addColumn(Server::nodeName).setHeader("Node").setAutoWidth(true);
        grid.setItems(query -> servers.page(actor, query.getOffset(), query.getLimit()).stream(),
                query -> (int) Math.min(Integer.MAX_VALUE, servers.count(actor)));
        grid.addItemClickListener(e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(ServerView.class, e.getItem().id())));
        add(header, grid);
        setFlexGrow(1, grid);
        // Statuses and power states change under the list (jobs, the reconciler): reload the visible rows now and then.
        polling = new JobPolling(this, () -> {
            grid.getDataProvider().refreshAll();
            return true;
        }, 5000);
    }

    @Override
    protected void onAttach(AttachEvent event) {
        polling.start(event.getUI());
    }

    @Override
    protected void onDetach(DetachEvent event) {
        polling.stop();
    }
}
