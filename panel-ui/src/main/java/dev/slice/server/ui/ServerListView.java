package dev.slice.server.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.data.provider.Query;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.display.EmptyState;
import dev.slice.display.GridSorts;
import dev.slice.display.ListSearch;
import dev.slice.driver.BackendKind;
import dev.slice.error.NotFoundException;
import dev.slice.display.ResponsiveGrid;
import dev.slice.display.Sizes;
import dev.slice.job.ui.JobPolling;
import dev.slice.plan.ui.PlanCatalogueView;
import dev.slice.security.SignedInUser;
import dev.slice.server.BulkPowerActions;
import dev.slice.server.Server;
import dev.slice.server.ServerQuery;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import jakarta.annotation.security.PermitAll;
import java.util.Arrays;

/**
 * The servers the user may see: a customer its own, a reseller its customers', the operator all of them; with
 * {@code ?owner=<account id>} those of one account only. Searched, filtered, sorted and loaded page by page by the
 * service ({@link ServerQuery}), since the operator's list grows with the installation. Operators select servers and
 * start, stop or reboot them together ({@link BulkServerBar}).
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
    private final ListSearch search = new ListSearch("servers-search", "Hostname, address or owner");
    private final Select<ServerStatus> status = new Select<>();
    private final Select<BackendKind> backend = new Select<>();
    private final EmptyState empty;
    private Long owner;

    public ServerListView(ServerService servers, AccountService accounts, BulkPowerActions bulk, SignedInUser currentActor) {
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
        empty = actor.isCustomer()
                ? new EmptyState("servers-empty", "No servers yet — order one from the catalogue.", "Open the catalogue", PlanCatalogueView.class)
                : new EmptyState("servers-empty", "No servers yet — your customers' servers appear here once they order.", null, null);

        status.setId("servers-status");
        status.setAriaLabel("Status");
        status.setEmptySelectionAllowed(true);
        status.setEmptySelectionCaption("Any status");
        status.setItems(Arrays.stream(ServerStatus.values()).filter(s -> s != ServerStatus.DELETED).toList());
        status.setItemLabelGenerator(s -> s == null ? "Any status" : s.id());
        backend.setId("servers-backend");
        backend.setAriaLabel("Backend");
        backend.setEmptySelectionAllowed(true);
        backend.setEmptySelectionCaption("Any backend");
        backend.setItems(BackendKind.values());
        backend.setItemLabelGenerator(b -> b == null ? "Any backend" : b.id());
        search.onChange(this::reload);
        status.addValueChangeListener(e -> reload());
        backend.addValueChangeListener(e -> reload());
        HorizontalLayout filters = new HorizontalLayout(search, status, backend);
        filters.setId("servers-filters");

        grid.setId("servers");
        // Not sized to the longest hostname: on a phone a long one (a customer's FQDN) pushed Status out of the window.
        sortable(grid.addColumn(Server::hostname).setHeader("Hostname").setWidth("7rem").setFlexGrow(1), ServerQuery.Sort.HOSTNAME);
        sortable(grid.addComponentColumn(ServerBadges::status).setHeader("Status").setAutoWidth(true), ServerQuery.Sort.STATUS);
        Grid.Column<Server> power = grid.addComponentColumn(ServerBadges::power).setHeader("Power").setAutoWidth(true);
        Grid.Column<Server> address = grid.addColumn(s -> s.ipv4() == null ? "" : s.ipv4()).setHeader("Address").setAutoWidth(true);
        sortable(address, ServerQuery.Sort.ADDRESS);
        Grid.Column<Server> plan = grid.addColumn(Server::planName).setHeader("Plan").setAutoWidth(true);
        sortable(plan, ServerQuery.Sort.PLAN);
        Grid.Column<Server> backendColumn = grid.addColumn(Server::backend).setHeader("Backend").setAutoWidth(true);
        sortable(backendColumn, ServerQuery.Sort.BACKEND);
        Grid.Column<Server> resources = grid.addColumn(s -> s.vcpus() + " vCPU · " + Sizes.mib(s.memoryMiB()) + " · " + Sizes.mib(s.diskMiB()))
                .setHeader("Resources").setAutoWidth(true);
        // Hostname and status always; the rest as the window allows (a phone shows what to tap, a wide screen all).
        ResponsiveGrid<Server> fit = ResponsiveGrid.fit(grid).from(ResponsiveGrid.WIDE, resources)
                .from(ResponsiveGrid.DESKTOP, plan, backendColumn).from(ResponsiveGrid.TABLET, power, address);
        if (!actor.isCustomer()) {
            Grid.Column<Server> owner = grid.addColumn(Server::ownerUsername).setHeader("Owner").setAutoWidth(true);
            sortable(owner, ServerQuery.Sort.OWNER);
            fit.from(ResponsiveGrid.DESKTOP, owner);
        }
        if (actor.isOperator()) {
            Grid.Column<Server> node = grid.addColumn(Server::nodeName).setHeader("Node").setAutoWidth(true);
            sortable(node, ServerQuery.Sort.NODE);
            fit.from(ResponsiveGrid.WIDE, node);
        }
        empty.on(grid);
        grid.setItems(query -> servers.page(actor, query(query), query.getOffset(), query.getLimit()).stream(),
                query -> (int) Math.min(Integer.MAX_VALUE, servers.count(actor, query(query))));
        grid.addItemClickListener(e -> {
            // A click on an operator's selection checkbox selects; anywhere else on the row opens the server.
            if (actor.isOperator() && e.getColumn() == null) return;
            e.getSource().getUI().ifPresent(ui -> ui.navigate(ServerView.class, e.getItem().id()));
        });
        add(header, filters);
        if (actor.isOperator()) {
            grid.setSelectionMode(Grid.SelectionMode.MULTI);
            add(new BulkServerBar(grid, bulk, actor));
        }
        add(grid);
        setFlexGrow(1, grid);
        // Statuses and power states change under the list (jobs, the reconciler): reload the visible rows now and then.
        polling = new JobPolling(this, () -> {
            grid.getDataProvider().refreshAll();
            return true;
        }, 5000);
    }

    private static void sortable(Grid.Column<Server> column, ServerQuery.Sort key) {
        column.setSortProperty(GridSorts.key(key));
        column.setKey(GridSorts.key(key));
    }

    private ServerQuery query(Query<Server, ?> query) {
        return new ServerQuery(search.text(), status.getValue(), backend.getValue(), owner,
                GridSorts.of(query, ServerQuery.Sort.class, ServerQuery.DEFAULT_SORT));
    }

    private void reload() {
        empty.searching(search.isSearching() || status.getValue() != null || backend.getValue() != null);
        grid.getDataProvider().refreshAll();
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
