package dev.slice.account.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.Account;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.Role;
import dev.slice.display.Times;
import dev.slice.plan.PlanService;
import dev.slice.security.Roles;
import dev.slice.security.SignedInUser;
import dev.slice.server.ui.ServerListView;
import jakarta.annotation.security.RolesAllowed;

/**
 * A reseller's customers (and the operator's resellers and customers), page by page. Resellers add
 * customers here; the operator also adds resellers and sets what each may sell (its capacity grant).
 * Their servers are in the server list, which shows each server's owner.
 */
@Route("accounts")
@PageTitle("Customers · Slice")
@Menu(title = "Customers", order = 11, icon = "vaadin:users")
@RolesAllowed({Roles.RESELLER, Roles.OPERATOR})
public class AccountsView extends VerticalLayout {

    private final AccountService accounts;
    private final PlanService plans;
    private final Actor actor;
    private final Grid<Account> grid = new Grid<>(Account.class, false);

    public AccountsView(AccountService accounts, PlanService plans, SignedInUser user) {
        this.accounts = accounts;
        this.plans = plans;
        this.actor = user.actor();
        addClassName("slice-page");
        setSizeFull();

        Button newCustomer = new Button("New customer", e -> new NewAccountDialog(Role.CUSTOMER,
                request -> accounts.create(actor, request), a -> grid.getDataProvider().refreshAll()).open());
        newCustomer.setId("new-customer");
        newCustomer.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button servers = new Button("Their servers", e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(ServerListView.class)));
        HorizontalLayout header = new HorizontalLayout(new H2(actor.isOperator() ? "Accounts" : "Customers"), newCustomer);
        header.setAlignItems(Alignment.BASELINE);
        if (actor.isOperator()) {
            Button newReseller = new Button("New reseller", e -> new NewAccountDialog(Role.RESELLER,
                    request -> accounts.create(actor, request), a -> grid.getDataProvider().refreshAll()).open());
            newReseller.setId("new-reseller");
            header.add(newReseller);
        }
        header.add(servers);

        grid.setId("accounts");
        grid.addColumn(Account::username).setHeader("User name").setAutoWidth(true);
        grid.addColumn(a -> a.role().id()).setHeader("Role").setAutoWidth(true);
        grid.addColumn(Account::displayName).setHeader("Name").setAutoWidth(true);
        grid.addColumn(a -> a.email() == null ? "" : a.email()).setHeader("E-mail").setAutoWidth(true);
        if (actor.isOperator()) grid.addColumn(a -> a.parentUsername() == null ? "" : a.parentUsername()).setHeader("Seller");
        grid.addColumn(a -> a.enabled() ? "yes" : "no").setHeader("Enabled");
        grid.addColumn(a -> Times.utc(a.createdAt())).setHeader("Created").setAutoWidth(true);
        if (actor.isOperator()) {
            grid.addComponentColumn(a -> {
                if (a.role() != Role.RESELLER) return new HorizontalLayout();
                Button grant = new Button("Grant", e -> new GrantDialog(a, plans.grantOf(actor, a.id()).orElse(null),
                        g -> plans.grant(actor, g)).open());
                grant.setId("grant-" + a.username());
                grant.addThemeVariants(ButtonVariant.LUMO_SMALL);
                return grant;
            }).setAutoWidth(true);
        }
        grid.setItems(query -> accounts.page(actor, query.getOffset(), query.getLimit()).stream(),
                query -> (int) Math.min(Integer.MAX_VALUE, accounts.count(actor)));
        add(header, grid);
        setFlexGrow(1, grid);
    }
}
