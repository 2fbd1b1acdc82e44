package dev.slice.firewall.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import dev.slice.account.Actor;
import dev.slice.display.FieldErrors;
import dev.slice.driver.firewall.FirewallPolicy;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.firewall.FirewallInput;
import dev.slice.firewall.FirewallLimits;
import dev.slice.firewall.FirewallService;
import dev.slice.server.Server;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A server's inbound firewall on its page: what meets traffic no rule matches, the rules in the order they are tried
 * (each can be deleted), and a form that adds one at the end. Bad input is shown beside its field.
 */
public class FirewallSection extends Div {
    private record Row(int position, FirewallInput.Rule rule) {}

    private final FirewallService firewalls;
    private final Actor actor;
    private final Paragraph summary = new Paragraph();
    private final Select<String> defaultAction = new Select<>();
    private final Grid<Row> grid = new Grid<>();
    private final Select<String> action = new Select<>();
    private final Select<String> protocol = new Select<>();
    private final TextField ports = new TextField("Ports");
    private final TextField source = new TextField("Source (CIDR)");
    private final Button add = new Button("Add rule");
    private final FieldErrors errors;
    private Server server;
    private FirewallPolicy policy = FirewallPolicy.OPEN;
    private boolean showing;

    public FirewallSection(FirewallService firewalls, Actor actor) {
        this.firewalls = firewalls;
        this.actor = actor;
        setId("server-firewall");
        setWidthFull();
        summary.setId("firewall-summary");
        defaultAction.setId("firewall-default");
        defaultAction.setLabel("Traffic no rule matches");
        defaultAction.setItems("allow", "deny");
        defaultAction.addValueChangeListener(e -> {
            if (e.isFromClient()) setDefault(e.getValue());
        });
        action.setId("firewall-action");
        action.setLabel("Action");
        action.setItems("allow", "deny");
        action.setValue("allow");
        protocol.setId("firewall-protocol");
        protocol.setLabel("Protocol");
        protocol.setItems("tcp", "udp", "icmp", "any");
        protocol.setValue("tcp");
        ports.setId("firewall-ports");
        ports.setPlaceholder("22 or 8000-8080");
        ports.setManualValidation(true);
        source.setId("firewall-source");
        source.setPlaceholder("anywhere");
        source.setManualValidation(true);
        add.setId("firewall-add");
        add.addClickListener(e -> addRule());
        errors = new FieldErrors().bind("ports", ports).bind("source", source);
        HorizontalLayout form = new HorizontalLayout(action, protocol, ports, source, add, errors.general());
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        form.setWrap(true);
        grid.setId("firewall-grid");
        grid.setAllRowsVisible(true);
        grid.addColumn(r -> r.position() + 1).setHeader("#").setAutoWidth(true);
        grid.addColumn(r -> r.rule().action()).setHeader("Action");
        grid.addColumn(r -> r.rule().protocol()).setHeader("Protocol");
        grid.addColumn(r -> r.rule().ports() == null ? "all" : r.rule().ports()).setHeader("Ports");
        grid.addColumn(r -> r.rule().source() == null ? "anywhere" : r.rule().source()).setHeader("Source");
        grid.addComponentColumn(this::deleteButton).setHeader("");
        add(new H3("Firewall"), summary, defaultAction, grid, form);
    }

    /** Loads the server's firewall the first time, and again when another server is shown. */
    public void show(Server latest) {
        boolean other = server == null || server.id() != latest.id();
        server = latest;
        if (other || !showing) {
            showing = true;
            draw(firewalls.get(actor, latest.id()));
        }
    }

    private void draw(FirewallPolicy latest) {
        policy = latest;
        FirewallInput.Firewall f = FirewallInput.Firewall.of(latest);
        defaultAction.setValue(f.defaultAction());
        summary.setText(f.rules().size() + " of " + FirewallLimits.MAX_RULES + " inbound rules, tried in order; the first that"
                + " matches decides. Replies to the server's own TCP connections always pass.");
        grid.setItems(IntStream.range(0, f.rules().size()).mapToObj(i -> new Row(i, f.rules().get(i))).toList());
        grid.setVisible(!f.rules().isEmpty());
        add.setEnabled(f.rules().size() < FirewallLimits.MAX_RULES);
    }

    private Button deleteButton(Row row) {
        Button delete = new Button("Delete", e -> {
            try {
                draw(firewalls.delete(actor, server.id(), row.position()));
            } catch (NotFoundException gone) {
                draw(firewalls.get(actor, server.id())); // changed meanwhile elsewhere
            }
        });
        delete.setId("firewall-delete-" + row.position());
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
        return delete;
    }

    private void addRule() {
        errors.clear();
        try {
            draw(firewalls.add(actor, server.id(), new FirewallInput.Rule(action.getValue(), protocol.getValue(),
                    ports.getValue(), source.getValue())));
            ports.clear();
            source.clear();
        } catch (ValidationException ex) {
            errors.show(ex);
        }
    }

    private void setDefault(String value) {
        List<FirewallInput.Rule> rules = new ArrayList<>(FirewallInput.Firewall.of(policy).rules());
        try {
            draw(firewalls.replace(actor, server.id(), new FirewallInput.Firewall(value, rules)));
        } catch (ValidationException ex) {
            errors.show(ex);
        }
    }
}
