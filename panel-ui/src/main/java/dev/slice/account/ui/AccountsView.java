package dev.slice.account.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import dev.slice.account.Account;
import dev.slice.account.AccountManagement;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.Role;
import dev.slice.display.EmptyState;
import dev.slice.display.GridSorts;
import dev.slice.display.ListSearch;
import dev.slice.display.ResponsiveGrid;
import dev.slice.display.Times;
import dev.slice.plan.PlanService;
import dev.slice.quota.CustomerLimits;
import dev.slice.security.AccessRules;
import dev.slice.security.SignInAs;
import dev.slice.security.Roles;
import dev.slice.security.SignedInUser;
import dev.slice.twofactor.TwoFactorService;
import dev.slice.server.ui.ServerListView;
import jakarta.annotation.security.RolesAllowed;
import java.util.Map;

/**
 * A reseller's customers (and the operator's resellers and customers), page by page, the viewer itself left out.
 * Resellers add customers here and set each one's limits; the operator also adds resellers and sets what each may sell
 * (its capacity grant, with its totals).
 * Each row leads to that account's servers and, for whoever manages it, to {@link ManageAccountDialog}.
 */
@Route("accounts")
@PageTitle("Customers · Slice")
@Menu(title = "Customers", order = 11, icon = "vaadin:users")
@RolesAllowed({Roles.RESELLER, Roles.OPERATOR})
public class AccountsView extends VerticalLayout {

    private final AccountService accounts;
    private final PlanService plans;
    private final AccountManagement management;
    private final SignInAs signInAs;
    private final TwoFactorService twoFactor;
    private final CustomerLimits limits;
    private final Actor actor;
    private final Grid<Account> grid = new Grid<>(Account.class, false);

    public AccountsView(AccountService accounts, AccountManagement management, SignInAs signInAs, PlanService plans,
                        TwoFactorService twoFactor, CustomerLimits limits, SignedInUser user) {
        this.accounts = accounts;
        this.plans = plans;
        this.management = management;
        this.signInAs = signInAs;
        this.twoFactor = twoFactor;
        this.limits = limits;
        this.actor = user.actor();
        addClassName("slice-page");
        setSizeFull();

        Button newCustomer = new Button("New customer", e -> new NewAccountDialog(Role.CUSTOMER,
                request -> accounts.create(actor, request), this::created).open());
        newCustomer.setId("new-customer");
        newCustomer.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout header = new HorizontalLayout(new H2(actor.isOperator() ? "Customers and resellers" : "Customers"), newCustomer);
        header.setAlignItems(Alignment.BASELINE);
        if (actor.isOperator()) {
            Button newReseller = new Button("New reseller", e -> new NewAccountDialog(Role.RESELLER,
                    request -> accounts.create(actor, request), this::created).open());
            newReseller.setId("new-reseller");
            header.add(newReseller);
        }

        grid.setId("accounts");
        grid.addColumn(Account::username).setHeader("User name").setWidth("6rem").setFlexGrow(1);
        Grid.Column<Account> role = grid.addColumn(a -> a.role().id()).setHeader("Role").setAutoWidth(true);
        Grid.Column<Account> name = grid.addColumn(Account::displayName).setHeader("Name").setAutoWidth(true);
        Grid.Column<Account> email = grid.addColumn(a -> a.email() == null ? "" : a.email()).setHeader("E-mail").setAutoWidth(true);
        Grid.Column<Account> seller = actor.isOperator()
                ? grid.addColumn(a -> a.parentUsername() == null ? "" : a.parentUsername()).setHeader("Seller").setAutoWidth(true) : null;
        Grid.Column<Account> enabled = grid.addComponentColumn(a -> {
            // Its own flag is on, but AccessRules.canSignIn refuses it while its reseller is disabled.
            Span state = new Span(!a.enabled() ? "no" : a.disabledWithItsSeller() ? "disabled with its reseller" : "yes");
            state.setId("enabled-" + a.username());
            return state;
        }).setHeader("Enabled").setAutoWidth(true);
        Grid.Column<Account> created = grid.addColumn(a -> Times.shown(a.createdAt())).setHeader("Created").setAutoWidth(true);
        // One column of actions, so that they stay together at the row's end on every width.
        grid.addComponentColumn(this::actions).setAutoWidth(true).setFlexGrow(0);
        ResponsiveGrid<Account> fit = ResponsiveGrid.fit(grid).from(ResponsiveGrid.WIDE, email, created)
                .from(ResponsiveGrid.DESKTOP, name).from(ResponsiveGrid.TABLET, role, enabled);
        if (seller != null) fit.from(ResponsiveGrid.DESKTOP, seller);
        GridSorts.byHeader(grid, AccountService.Sort.class, Map.of("User name", AccountService.Sort.USERNAME, "Role", AccountService.Sort.ROLE,
                "Name", AccountService.Sort.NAME, "E-mail", AccountService.Sort.EMAIL, "Seller", AccountService.Sort.SELLER,
                "Created", AccountService.Sort.CREATED));
        ListSearch search = new ListSearch("accounts-search", "User name, name or e-mail");
        grid.setItems(query -> accounts.othersPage(actor, search.text(), GridSorts.of(query, AccountService.Sort.class, AccountService.BY_ID),
                        query.getOffset(), query.getLimit()).stream(),
                query -> (int) Math.min(Integer.MAX_VALUE, accounts.othersCount(actor, search.text())));
        search.reloads(grid, new EmptyState("accounts-empty", "No customers yet — create one with New customer.", null, null).on(grid));
        add(header, search, grid);
        setFlexGrow(1, grid);
    }

    private Div actions(Account a) {
        Div actions = new Div();
        actions.addClassName("slice-row-actions");
        if (actor.isOperator() && a.role() == Role.RESELLER) {
            Button grant = new Button("Grant", e -> new GrantDialog(a, plans.grantOf(actor, a.id()).orElse(null),
                    g -> plans.grant(actor, g)).open());
            grant.setId("grant-" + a.username());
            grant.addThemeVariants(ButtonVariant.LUMO_SMALL);
            actions.add(grant);
        }
        // Only the servers of this account (a reseller's: those it sells to its customers are under each customer).
        Button servers = new Button("Servers", e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(ServerListView.class,
                new QueryParameters(java.util.Map.of(ServerListView.OWNER_PARAMETER, java.util.List.of(Long.toString(a.id())))))));
        servers.setId("servers-" + a.username());
        servers.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        actions.add(servers);
        if (a.role() == Role.CUSTOMER && AccessRules.canManageAccount(actor, a.id(), a.parentId())) {
            Button limitsButton = new Button("Limits", e -> new LimitsDialog(actor, a, limits).open());
            limitsButton.setId("limits-" + a.username());
            limitsButton.addThemeVariants(ButtonVariant.LUMO_SMALL);
            actions.add(limitsButton);
        }
        if (a.id() != actor.accountId() && AccessRules.canManageAccount(actor, a.id(), a.parentId())) {
            Button manage = new Button("Manage", e -> new ManageAccountDialog(actor, a, accounts, management, twoFactor, signInAs,
                    () -> grid.getDataProvider().refreshAll()).open());
            manage.setId("manage-" + a.username());
            manage.addThemeVariants(ButtonVariant.LUMO_SMALL);
            actions.add(manage);
        }
        return actions;
    }

    private void created(Account account) {
        grid.getDataProvider().refreshAll();
        Notification.show("Account " + account.username() + " created (" + account.role().id() + ")");
    }
}
