package dev.slice.billing.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.Account;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.billing.BillingRepository;
import dev.slice.billing.BillingService;
import dev.slice.billing.CreditNote;
import dev.slice.billing.CreditNotes;
import dev.slice.billing.Invoice;
import dev.slice.billing.LedgerEntry;
import dev.slice.billing.Money;
import dev.slice.display.ResponsiveGrid;
import dev.slice.display.FieldErrors;
import dev.slice.display.Times;
import dev.slice.error.ConflictException;
import dev.slice.error.ValidationException;
import dev.slice.security.SignedInUser;
import jakarta.annotation.security.PermitAll;

/**
 * An account's balance, ledger, invoices and credit notes (PDF download); for the account's provider also the forms that
 * record a payment, issue an invoice now and refund part of an invoice (a credit note); the account's invoice details. Customers see their own account; resellers and operators choose among the accounts they may see. What is
 * shown and allowed is decided by the billing service (AccessRules.canSeeBilling / canRecordPayment), not here.
 */
@Route("billing")
@PageTitle("Billing · Slice")
@Menu(title = "Billing", order = 35, icon = "vaadin:wallet")
@PermitAll
public class BillingView extends VerticalLayout {
    private final BillingService billing;
    private final Actor actor;
    private final Span balance = new Span();
    private final Grid<LedgerEntry> ledger = new Grid<>(LedgerEntry.class, false);
    private final Grid<Invoice> invoices = new Grid<>(Invoice.class, false);
    private final Grid<CreditNote> creditNoteGrid = new Grid<>(CreditNote.class, false);
    private final CreditNotes creditNotes;
    private final VerticalLayout paymentForm = new VerticalLayout();
    private final VerticalLayout providerInvoicing = new VerticalLayout();
    private final Select<Invoice> refundInvoice = new Select<>();
    private final TextField legalName = new TextField("Name on invoices");
    private final TextArea address = new TextArea("Address");
    private final TextField taxId = new TextField("Tax id");
    private final IntegerField taxRate = new IntegerField("Tax rate (basis points, 1900 = 19%)");
    private final Select<String> terms = new Select<>();
    private long accountId;

    public BillingView(BillingService billing, CreditNotes creditNotes, AccountService accounts, SignedInUser user) {
        this.billing = billing;
        this.creditNotes = creditNotes;
        this.actor = user.actor();
        this.accountId = actor.accountId();
        addClassName("slice-page");
        add(new H2("Billing"));

        if (!actor.isCustomer()) {
            ComboBox<Account> account = new ComboBox<>("Account");
            account.setId("billing-account");
            account.setItems(accounts.page(actor, 0, 1000));
            account.setItemLabelGenerator(a -> a.username() + " (" + a.role().id() + ")");
            account.setWidth("24em");
            account.addValueChangeListener(e -> {
                if (e.getValue() != null) show(e.getValue().id());
            });
            add(account);
        }

        balance.setId("billing-balance");
        balance.getStyle().set("font-size", "var(--lumo-font-size-xl)");
        add(new HorizontalLayout(new Span("Balance:"), balance));
        add(paymentForm());

        ledger.setId("ledger");
        ledger.addColumn(e -> Times.utc(e.createdAt())).setHeader("When").setWidth("8rem");
        var kind = ledger.addColumn(e -> e.kind().id()).setHeader("Kind").setAutoWidth(true);
        ledger.addColumn(e -> e.amount().toString()).setHeader("Amount").setAutoWidth(true);
        var balanceAfter = ledger.addColumn(e -> e.balanceAfter().toString()).setHeader("Balance after").setAutoWidth(true);
        ledger.addColumn(LedgerEntry::reason).setHeader("What for").setFlexGrow(1);
        var by = ledger.addColumn(LedgerEntry::actorName).setHeader("By").setAutoWidth(true);
        ledger.setHeight("22em");
        ResponsiveGrid.fit(ledger).from(ResponsiveGrid.DESKTOP, by).from(ResponsiveGrid.TABLET, kind, balanceAfter);

        invoices.setId("invoices");
        invoices.addColumn(Invoice::numberText).setHeader("Number").setAutoWidth(true);
        var period = invoices.addColumn(i -> i.periodStart() + " to " + i.periodEnd().minusDays(1)).setHeader("Period").setAutoWidth(true);
        invoices.addColumn(i -> i.total().toString()).setHeader("Total").setAutoWidth(true);
        var tax = invoices.addColumn(i -> i.tax().toString()).setHeader("Tax included").setAutoWidth(true);
        var from = invoices.addColumn(i -> i.issuer().name()).setHeader("From").setAutoWidth(true);
        invoices.addComponentColumn(i -> {
            Anchor pdf = new Anchor("/api/billing/invoices/" + i.id() + "/pdf", "PDF");
            pdf.setId("invoice-pdf-" + i.id());
            pdf.getElement().setAttribute("download", true);
            return pdf;
        }).setHeader("Download").setAutoWidth(true);
        invoices.setAllRowsVisible(true);
        ResponsiveGrid.fit(invoices).from(ResponsiveGrid.DESKTOP, from).from(ResponsiveGrid.TABLET, period, tax);

        creditNoteGrid.setId("credit-notes");
        creditNoteGrid.addColumn(CreditNote::numberText).setHeader("Number").setAutoWidth(true);
        var issued = creditNoteGrid.addColumn(c -> Times.utc(c.issuedAt())).setHeader("Issued").setAutoWidth(true);
        creditNoteGrid.addColumn(c -> c.amount().toString()).setHeader("Credited").setAutoWidth(true);
        var why = creditNoteGrid.addColumn(CreditNote::reason).setHeader("Why").setFlexGrow(1);
        creditNoteGrid.addComponentColumn(c -> {
            Anchor pdf = new Anchor("/api/billing/credit-notes/" + c.id() + "/pdf", "PDF");
            pdf.setId("credit-note-pdf-" + c.id());
            pdf.getElement().setAttribute("download", true);
            return pdf;
        }).setHeader("Download").setAutoWidth(true);
        creditNoteGrid.setAllRowsVisible(true);
        ResponsiveGrid.fit(creditNoteGrid).from(ResponsiveGrid.TABLET, issued, why);

        add(new H3("Ledger"), ledger, new H3("Invoices"), invoices, providerInvoicing(), new H3("Credit notes"), creditNoteGrid,
                profileForm());
        show(accountId);
    }

    private VerticalLayout paymentForm() {
        TextField amount = new TextField("Amount");
        amount.setId("payment-amount");
        amount.setPlaceholder("25.00");
        TextField reason = new TextField("What for");
        reason.setId("payment-reason");
        reason.setPlaceholder("bank transfer");
        TextField reference = new TextField("Reference");
        reference.setId("payment-reference");
        for (TextField field : new TextField[] {amount, reason, reference}) field.setManualValidation(true);
        FieldErrors errors = new FieldErrors().bind("amount", amount).bind("reason", reason).bind("reference", reference);
        Button record = new Button("Record payment", e -> {
            errors.clear();
            try {
                billing.record(actor, accountId, new BillingService.EntryRequest("payment", amount.getValue(), reason.getValue(),
                        reference.getValue()));
                amount.clear();
                reason.clear();
                reference.clear();
                show(accountId);
            } catch (ValidationException ex) {
                errors.show(ex);
            }
        });
        record.setId("payment-record");
        record.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout row = new HorizontalLayout(amount, reason, reference, record);
        row.setAlignItems(Alignment.BASELINE);
        paymentForm.add(new H3("Record a payment"), row, errors.general());
        paymentForm.setPadding(false);
        return paymentForm;
    }

    /** The provider's: an invoice now of the unbilled charges, and a refund against an invoice (issuing a credit note). */
    private VerticalLayout providerInvoicing() {
        FieldErrors nowErrors = new FieldErrors();
        Button now = new Button("Invoice unbilled charges now", e -> {
            nowErrors.clear();
            try {
                creditNotes.invoiceNow(actor, accountId);
                show(accountId);
            } catch (ConflictException ex) {
                nowErrors.showGeneral(ex.getMessage());
            }
        });
        now.setId("invoice-now");
        refundInvoice.setLabel("Invoice");
        refundInvoice.setId("refund-invoice");
        refundInvoice.setItemLabelGenerator(i -> i.numberText() + " (" + i.total() + ")");
        TextField amount = new TextField("Amount to refund");
        amount.setId("refund-amount");
        TextField reason = new TextField("Why (printed on the credit note)");
        reason.setId("refund-reason");
        amount.setManualValidation(true);
        reason.setManualValidation(true);
        FieldErrors errors = new FieldErrors().bind("amount", amount).bind("reason", reason);
        Button refund = new Button("Refund and issue credit note", e -> {
            errors.clear();
            if (refundInvoice.getValue() == null) {
                errors.showGeneral("choose the invoice to refund against");
                return;
            }
            try {
                creditNotes.refund(actor, refundInvoice.getValue().id(), amount.getValue(), reason.getValue());
                amount.clear();
                reason.clear();
                show(accountId);
            } catch (ValidationException ex) {
                errors.show(ex);
            }
        });
        refund.setId("refund-record");
        HorizontalLayout row = new HorizontalLayout(refundInvoice, amount, reason, refund);
        row.setAlignItems(Alignment.BASELINE);
        providerInvoicing.add(now, nowErrors.general(), row, errors.general());
        providerInvoicing.setPadding(false);
        return providerInvoicing;
    }

    /** Who the account is on invoices; its tax rate and payment terms are its provider's to set. */
    private VerticalLayout profileForm() {
        legalName.setId("profile-legal-name");
        address.setId("profile-address");
        taxId.setId("profile-tax-id");
        taxRate.setId("profile-tax-rate");
        terms.setId("profile-terms");
        terms.setLabel("Payment terms");
        terms.setItems("inherit", "prepaid", "postpaid");
        FieldErrors errors = new FieldErrors().bind("legalName", legalName).bind("address", address).bind("taxId", taxId)
                .bind("taxRateBp", taxRate).bind("terms", terms);
        Button save = new Button("Save invoice details", e -> {
            errors.clear();
            try {
                billing.saveProfile(actor, accountId, new BillingService.ProfileRequest(legalName.getValue(), address.getValue(),
                        taxId.getValue(), taxRate.getValue(), terms.getValue()));
                show(accountId);
            } catch (ValidationException ex) {
                errors.show(ex);
            } catch (dev.slice.error.ForbiddenException ex) {
                errors.showGeneral(ex.getMessage());
            }
        });
        save.setId("profile-save");
        HorizontalLayout names = new HorizontalLayout(legalName, taxId, taxRate, terms);
        names.setAlignItems(Alignment.BASELINE);
        address.setWidth("36em");
        VerticalLayout form = new VerticalLayout(new H3("Invoice details"), names, address, save, errors.general());
        form.setPadding(false);
        return form;
    }

    private void show(long account) {
        accountId = account;
        Money money = billing.balance(actor, account);
        balance.setText(money.toString());
        paymentForm.setVisible(billing.canRecordPayment(actor, account));
        ledger.setItems(query -> billing.ledger(actor, accountId, query.getOffset(), query.getLimit()).stream(),
                query -> (int) Math.min(Integer.MAX_VALUE, billing.countLedger(actor, accountId)));
        invoices.setItems(billing.invoices(actor, account, 0, 120));
        refundInvoice.setItems(billing.invoices(actor, account, 0, 120));
        creditNoteGrid.setItems(creditNotes.creditNotes(actor, account, 0, 120));
        providerInvoicing.setVisible(creditNotes.isProvider(actor, account));
        BillingRepository.Profile profile = billing.profile(actor, account);
        legalName.setValue(profile.legalName());
        address.setValue(profile.address());
        taxId.setValue(profile.taxId());
        taxRate.setValue(profile.taxRateBp());
        terms.setValue(profile.prepaid() == null ? "inherit" : profile.prepaid() ? "prepaid" : "postpaid");
        boolean provider = billing.canRecordPayment(actor, account) || actor.isOperator();
        taxRate.setVisible(provider);
        terms.setVisible(provider);
    }
}
