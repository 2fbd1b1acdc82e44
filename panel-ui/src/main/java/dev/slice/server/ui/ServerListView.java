package dev.slice.server.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.error.NotFoundException;
import dev.slice.display.Sizes;
import dev.slice.job.ui.JobPolling;
import dev.slice.plan.ui.PlanCatalogueView;
import dev.slice.security.SignedInUser;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
import jakarta.annotation.security.PermitAll;

/**
 * The servers the user may see: a customer its own, a reseller its customers', the operator all of them; with
 * {@code ?owner=<account id>} those of one account only. Loaded page by page from the service, since the operator's
 * list grows with the installation.
 */
@Route("servers")
@PageTitle("Servers · Slice")
@Menu(title = "Servers", order = 1, icon = "vaadin:cubes")
@PermitAll
public class ServerListView extends VerticalLayout implements BeforeEnterObserver {
    public static final String OWNER_PARAMETER = "owner";

    private final JobPolling polling;
    private final AccountService accounts;
    private final Actor actor;
    private final H2 title;
    private final Button showAll = new Button("All servers");
    private final Grid<Server> grid = new Grid<>(Server.class, false);
    private Long owner;

    public ServerListView(ServerService servers, AccountService accounts, SignedInUser currentActor) {
        addClassName("slice-page");
        setSizeFull();
        this.accounts = accounts;
        Actor actor = currentActor.actor();
        this.actor = actor;
        title = new H2(actor.isOperator() ? "All servers" : "Servers");
        title.setId("servers-title");
        showAll.setId("servers-all");
        showAll.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        showAll.setVisible(false);
        showAll.addClickListener(e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(ServerListView.class)));

        HorizontalLayout header = new HorizontalLayout(title, showAll);
        header.setAlignItems(Alignment.BASELINE);
        if (actor.isCustomer()) {
            Button order = new Button("Order a server", e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(PlanCatalogueView.class)));
            order.setId("order-new");
            order.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            header.add(order);
        }

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
        grid.setItems(query -> (owner == null ? servers.page(actor, query.getOffset(), query.getLimit())
                        : servers.pageOf(actor, owner, query.getOffset(), query.getLimit())).stream(),
                query -> (int) Math.min(Integer.MAX_VALUE, owner == null ? servers.count(actor) : servers.countOf(actor, owner)));
        grid.addItemClickListener(e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(ServerView.class, e.getItem().id())));
        add(header, grid);
        setFlexGrow(1, grid);
        // Statuses and power states change under the list (jobs, the reconciler): reload the visible rows now and then.
        polling = new JobPolling(this, () -> {
            grid.getDataProvider().refreshAll();
            return true;
        }, 5000);
    }

    /** {@code ?owner=<id>}: one account's servers, named in the title; an account the user may not see is "not found". */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        owner = event.getLocation().getQueryParameters().getSingleParameter(OWNER_PARAMETER).map(value -> {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new NotFoundException("account", value);
            }
        }).orElse(null);
        if (owner != null) title.setText("Servers of " + accounts.get(actor, owner).username());
        else title.setText(actor.isOperator() ? "All servers" : "Servers");
        showAll.setVisible(owner != null);
        grid.getDataProvider().refreshAll();
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
