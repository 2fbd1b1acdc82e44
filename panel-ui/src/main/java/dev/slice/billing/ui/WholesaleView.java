package dev.slice.billing.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.Account;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.Role;
import dev.slice.billing.BillingRepository.Margin;
import dev.slice.billing.BillingRepository.PlanPrices;
import dev.slice.billing.BillingService;
import dev.slice.display.FieldErrors;
import dev.slice.display.ResponsiveGrid;
import dev.slice.error.ValidationException;
import dev.slice.security.Roles;
import dev.slice.security.SignedInUser;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;

/**
 * Selling through resellers: a reseller's plans with their retail price and the operator's wholesale price (a price per
 * plan, per month, metered hourly like the retail one), and the margin report per month. The operator chooses the
 * reseller and sets the wholesale prices; a reseller sees its own. The billing service decides what each may see and set.
 */
@Route("wholesale")
@PageTitle("Wholesale · Slice")
@Menu(title = "Wholesale", order = 36, icon = "vaadin:handshake")
@RolesAllowed({Roles.OPERATOR, Roles.RESELLER})
public class WholesaleView extends VerticalLayout {
    private final BillingService billing;
    private final Actor actor;
    private final Grid<PlanPrices> prices = new Grid<>(PlanPrices.class, false);
    private final Grid<Margin> margins = new Grid<>(Margin.class, false);
    private final Select<PlanPrices> plan = new Select<>();
    private final VerticalLayout priceForm = new VerticalLayout();
    private Long resellerId;

    public WholesaleView(BillingService billing, AccountService accounts, SignedInUser user) {
        this.billing = billing;
        this.actor = user.actor();
        addClassName("slice-page");
        setId("wholesale-page");
        add(new H2("Wholesale"));
        if (actor.isOperator()) {
            ComboBox<Account> reseller = new ComboBox<>("Reseller");
            reseller.setId("wholesale-reseller");
            reseller.setItems(accounts.page(actor, 0, 1000).stream().filter(a -> a.role() == Role.RESELLER).toList());
            reseller.setItemLabelGenerator(Account::username);
            reseller.setWidth("24em");
            reseller.addValueChangeListener(e -> {
                if (e.getValue() != null) show(e.getValue().id());
            });
            add(reseller);
        }

        prices.setId("wholesale-plans");
        prices.addColumn(PlanPrices::planName).setHeader("Plan").setFlexGrow(1);
        Grid.Column<PlanPrices> retail = prices.addColumn(p -> p.retail().toString()).setHeader("Retail a month").setAutoWidth(true);
        prices.addColumn(p -> p.wholesale() == null ? "not set" : p.wholesale().toString()).setHeader("Wholesale a month").setAutoWidth(true);
        Grid.Column<PlanPrices> margin = prices.addColumn(p -> p.wholesale() == null ? "" : p.retail().minus(p.wholesale()).toString())
                .setHeader("Margin a month").setAutoWidth(true);
        Grid.Column<PlanPrices> perGb = prices.addColumn(p -> p.wholesalePerGb().toString()).setHeader("Wholesale per GB over allowance")
                .setAutoWidth(true);
        ResponsiveGrid.fit(prices).from(ResponsiveGrid.DESKTOP, perGb).from(ResponsiveGrid.TABLET, retail, margin);
        prices.setAllRowsVisible(true);

        margins.setId("margins");
        margins.addColumn(m -> m.month().toString()).setHeader("Month").setAutoWidth(true);
        Grid.Column<Margin> paid = margins.addColumn(m -> m.retail().toString()).setHeader("Customers paid").setAutoWidth(true);
        Grid.Column<Margin> cost = margins.addColumn(m -> m.wholesale().toString()).setHeader("Wholesale cost").setAutoWidth(true);
        ResponsiveGrid.fit(margins).from(ResponsiveGrid.TABLET, paid, cost);
        margins.addColumn(m -> m.margin().toString()).setHeader("Margin").setFlexGrow(1);
        margins.setAllRowsVisible(true);

        add(new H3("Plans"), prices, priceForm(), new H3("Margin per month"),
                new Paragraph("What the reseller's customers were charged, what the operator charged the reseller for the same hours and traffic,"
                        + " and the difference (calendar months, UTC)."), margins);
        priceForm.setVisible(false);
        if (actor.isReseller()) show(actor.accountId());
    }

    /** The operator's: a plan's wholesale price, for its servers from their next order or resize on. */
    private VerticalLayout priceForm() {
        plan.setLabel("Plan");
        plan.setId("wholesale-plan");
        plan.setItemLabelGenerator(PlanPrices::planName);
        TextField amount = new TextField("Wholesale price a month");
        amount.setId("wholesale-amount");
        amount.setPlaceholder("6.00");
        amount.setManualValidation(true);
        TextField traffic = new TextField("Per GB of traffic over allowance");
        traffic.setId("wholesale-traffic");
        traffic.setPlaceholder("0.02");
        traffic.setManualValidation(true);
        FieldErrors errors = new FieldErrors().bind("amount", amount).bind("overagePerGb", traffic);
        Button set = new Button("Set wholesale price", e -> {
            errors.clear();
            if (plan.getValue() == null) {
                errors.showGeneral("choose the plan");
                return;
            }
            if (amount.getValue().isBlank() && traffic.getValue().isBlank()) {
                errors.showGeneral("give a price a month, a price per GB, or both");
                return;
            }
            try {
                if (!amount.getValue().isBlank()) billing.setWholesale(actor, plan.getValue().planId(), amount.getValue());
                if (!traffic.getValue().isBlank()) billing.setWholesaleTraffic(actor, plan.getValue().planId(), traffic.getValue());
                amount.clear();
                traffic.clear();
                show(resellerId);
            } catch (ValidationException ex) {
                errors.show(ex);
            }
        });
        set.setId("wholesale-set");
        set.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout row = new HorizontalLayout(plan, amount, traffic, set);
        row.setWrap(true);
        row.setAlignItems(Alignment.BASELINE);
        priceForm.add(new Paragraph("A new wholesale price a month applies to servers from their next order or resize on; the price"
                + " per GB to the months settled from now on (the reseller pays it for the GB its customers are charged)."), row,
                errors.general());
        priceForm.setPadding(false);
        return priceForm;
    }

    private void show(long reseller) {
        resellerId = reseller;
        List<PlanPrices> rows = billing.planPrices(actor, reseller);
        prices.setItems(rows);
        plan.setItems(rows);
        margins.setItems(billing.margins(actor, reseller));
        priceForm.setVisible(actor.isOperator());
    }
}
