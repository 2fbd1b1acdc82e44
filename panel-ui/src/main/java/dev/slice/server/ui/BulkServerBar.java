package dev.slice.server.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.slice.account.Actor;
import dev.slice.server.BulkPowerActions;
import dev.slice.server.BulkPowerActions.Power;
import dev.slice.server.BulkPowerActions.Result;
import dev.slice.server.Server;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * An operator's start, stop and reboot of the servers selected in the list, and what happened to each: its job, or why
 * it was refused (one suspended server does not keep the others from stopping).
 */
final class BulkServerBar extends VerticalLayout {
    private final Div results = new Div();
    private final Span selected = new Span("No servers selected");

    BulkServerBar(Grid<Server> grid, BulkPowerActions bulk, Actor actor) {
        setPadding(false);
        setSpacing(false);
        selected.setId("bulk-selected");
        results.setId("bulk-results");
        HorizontalLayout buttons = new HorizontalLayout();
        buttons.setAlignItems(Alignment.BASELINE);
        for (Power power : Power.values()) {
            String verb = power.name().toLowerCase(Locale.ROOT);
            Button button = new Button(verb.substring(0, 1).toUpperCase(Locale.ROOT) + verb.substring(1) + " selected", e -> {
                List<Server> targets = grid.getSelectedItems().stream().sorted(Comparator.comparing(Server::hostname)).toList();
                show(verb, bulk.run(actor, power, targets));
                grid.deselectAll();
                grid.getDataProvider().refreshAll();
            });
            button.setId("bulk-" + verb);
            button.setEnabled(false);
            grid.addSelectionListener(e -> button.setEnabled(!e.getAllSelectedItems().isEmpty()));
            buttons.add(button);
        }
        grid.addSelectionListener(e -> selected.setText(e.getAllSelectedItems().isEmpty() ? "No servers selected"
                : e.getAllSelectedItems().size() + " selected"));
        buttons.add(selected);
        add(buttons, results);
    }

    private void show(String verb, List<Result> outcome) {
        results.removeAll();
        for (Result result : outcome) {
            Div line = new Div(result.queued()
                    ? result.hostname() + ": " + verb + " queued (job " + result.jobId() + ")"
                    : result.hostname() + ": not done — " + result.error());
            line.setId("bulk-result-" + result.serverId());
            line.addClassName(result.queued() ? "slice-bulk-queued" : "slice-bulk-refused");
            results.add(line);
        }
    }
}
