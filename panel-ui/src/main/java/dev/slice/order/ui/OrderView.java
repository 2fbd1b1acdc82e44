package dev.slice.order.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.Actor;
import dev.slice.account.PasswordPolicy;
import dev.slice.display.FieldErrors;
import dev.slice.display.Sizes;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderResult;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.security.SignedInUser;
import dev.slice.security.Roles;
import dev.slice.server.ui.ServerView;
import dev.slice.template.OsTemplate;
import dev.slice.template.TemplateService;
import jakarta.annotation.security.RolesAllowed;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Ordering a server on one plan: hostname, OS template, and a root password and/or SSH keys. The order
 * service checks everything (and places the server) in one transaction; its messages appear beside the
 * fields, and on success the server page shows the provisioning job's progress.
 */
@Route("order")
@PageTitle("Order · Slice")
@RolesAllowed(Roles.CUSTOMER)
public class OrderView extends VerticalLayout implements HasUrlParameter<Long> {

    private final PlanService plans;
    private final OrderService orders;
    private final TemplateService templates;
    private final Actor actor;

    private final H2 title = new H2("Order a server");
    private final Paragraph planSummary = new Paragraph();
    private final TextField hostname = new TextField("Hostname");
    private final Select<OsTemplate> template = new Select<>();
    private final PasswordField password = new PasswordField("Root password");
    private final TextArea sshKeys = new TextArea("SSH public keys (one per line)");
    private final FieldErrors errors = new FieldErrors();
    private long planId;

    public OrderView(PlanService plans, OrderService orders, TemplateService templates, SignedInUser currentActor) {
        this.plans = plans;
        this.orders = orders;
        this.templates = templates;
        this.actor = currentActor.actor();
        addClassName("slice-page");
        planSummary.setId("order-plan");

        hostname.setId("order-hostname");
        hostname.setPlaceholder("web1.example.com");
        hostname.setRequiredIndicatorVisible(true);
        template.setId("order-template");
        template.setLabel("Operating system");
        template.setItemLabelGenerator(OsTemplate::label);
        password.setId("order-password");
        password.setHelperText(PasswordPolicy.rule("root") + "; or leave it empty and give an SSH key.");
        sshKeys.setId("order-ssh-keys");
        sshKeys.setPlaceholder("ssh-ed25519 AAAA... you@laptop");
        for (HasValidation field : new HasValidation[]{hostname, template, password, sshKeys}) {
            field.setManualValidation(true);
        }
        errors.bind("hostname", hostname).bind("template", template).bind("rootPassword", password).bind("sshKeys", sshKeys);

        Button submit = new Button("Order", e -> submit());
        submit.setId("order-submit");
        submit.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        submit.setDisableOnClick(true);
        submit.addClickListener(e -> submit.setEnabled(true));
        // Enter orders from the one-line fields; in the key list it stays a new line.
        submit.addClickShortcut(Key.ENTER).listenOn(hostname, template, password);

        FormLayout form = new FormLayout(hostname, template, password, sshKeys);
        form.setColspan(sshKeys, 2);
        form.setMaxWidth("800px");
        add(title, planSummary, form, errors.general(), submit);
    }

    @Override
    public void setParameter(BeforeEvent event, Long id) {
        planId = id;
        Plan plan = plans.catalogue(actor).stream().filter(p -> p.id() == id).findFirst()
                .orElseThrow(() -> new NotFoundException("plan", id));
        title.setText("Order " + plan.name());
        planSummary.setText(plan.backendKind().label() + " · " + plan.vcpus() + " vCPU · " + Sizes.mib(plan.memoryMiB())
                + " memory · " + Sizes.mib(plan.diskMiB()) + " disk · " + Sizes.perMonth(plan.monthlyPriceCents()));
        // Only what this plan's backend installs; one made for this backend alone (debian-13 on the emulator) first.
        List<OsTemplate> available = templates.availableFor(plan.backend()).stream()
                .sorted(Comparator.comparing((OsTemplate t) -> t.backends().isEmpty())).toList();
        template.setItems(available);
        if (!available.isEmpty()) template.setValue(available.getFirst());
    }

    private void submit() {
        errors.clear();
        String rootPassword = password.getValue().isEmpty() ? null : password.getValue();
        List<String> keys = Arrays.stream(sshKeys.getValue().split("\\R")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        String templateName = template.getValue() == null ? null : template.getValue().name();
        try {
            OrderResult result = orders.order(actor, new OrderRequest(planId, hostname.getValue(), templateName, rootPassword, keys, null));
            getUI().ifPresent(ui -> ui.navigate(ServerView.class, result.serverId()));
        } catch (ValidationException e) {
            errors.show(e);
        }
    }
}
