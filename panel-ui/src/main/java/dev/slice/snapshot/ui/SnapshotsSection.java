package dev.slice.snapshot.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;
import dev.slice.account.Actor;
import dev.slice.display.FieldErrors;
import dev.slice.display.Times;
import dev.slice.driver.BackendKind;
import dev.slice.error.ConflictException;
import dev.slice.error.ValidationException;
import dev.slice.server.Server;
import dev.slice.server.ServerStatus;
import dev.slice.snapshot.Snapshot;
import dev.slice.snapshot.SnapshotService;
import dev.slice.snapshot.SnapshotStatus;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * A server's snapshots on its page: take one by name, revert to one or delete one (both confirmed), within the plan's
 * limit. Where the server's backend takes no snapshots, it says so instead (the capability is absent).
 */
public class SnapshotsSection extends Div {
    private final SnapshotService snapshots;
    private final Actor actor;
    private final LongConsumer started;

    private final Paragraph summary = new Paragraph();
    private final Grid<Snapshot> grid = new Grid<>(Snapshot.class, false);
    private final TextField name = new TextField("Snapshot name");
    private final Button take = new Button("Take snapshot");
    private final FieldErrors errors = new FieldErrors().bind("name", name);
    private final HorizontalLayout form;
    private Server server;
    private boolean idle;

    /** @param started told the job of an action once it is queued */
    public SnapshotsSection(SnapshotService snapshots, Actor actor, LongConsumer started) {
        this.snapshots = snapshots;
        this.actor = actor;
        this.started = started;
        setId("server-snapshots");
        setWidthFull();
        summary.setId("snapshots-summary");
        name.setId("snapshot-name");
        name.setManualValidation(true);
        name.setMaxLength(SnapshotService.MAX_NAME_LENGTH);
        take.setId("snapshot-take");
        take.addClickListener(e -> take());
        form = new HorizontalLayout(name, take, errors.general());
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        grid.setId("snapshots-grid");
        grid.setAllRowsVisible(true);
        grid.addColumn(Snapshot::name).setHeader("Name");
        grid.addColumn(s -> s.status().id()).setHeader("Status");
        grid.addColumn(s -> Times.utc(s.createdAt())).setHeader("Taken");
        grid.addComponentColumn(this::rowActions).setHeader("");
        add(new H3("Snapshots"), summary, form, grid);
    }

    /** Redraws for the server as it is now; actions only while no job runs on an active server. */
    public void show(Server latest) {
        server = latest;
        idle = latest.activeJobId() == null && latest.status() == ServerStatus.ACTIVE;
        SnapshotService.Listing listing = snapshots.list(actor, latest.id());
        if (!listing.supported()) {
            summary.setText("Snapshots are not supported on " + BackendKind.fromId(latest.backend()).label() + " servers.");
            form.setVisible(false);
            grid.setVisible(false);
            return;
        }
        long held = listing.snapshots().stream().filter(s -> s.status() != SnapshotStatus.FAILED).count();
        summary.setText(listing.limit() == 0 ? "This server's plan includes no snapshots."
                : held + " of " + listing.limit() + " snapshots. A revert brings the disk back as it was; what was written since is lost.");
        form.setVisible(listing.limit() > 0);
        take.setEnabled(idle && held < listing.limit());
        grid.setVisible(!listing.snapshots().isEmpty());
        grid.setItems(listing.snapshots());
    }

    private HorizontalLayout rowActions(Snapshot snapshot) {
        Button revert = new Button("Revert", e -> confirm(snapshot, "Revert " + server.hostname() + " to '" + snapshot.name() + "'?",
                "The server's disk goes back to this snapshot and the server restarts; everything written since is lost.",
                "Revert", () -> snapshots.revert(actor, server.id(), snapshot.id()).jobId()));
        revert.setId("snapshot-revert-" + snapshot.id());
        revert.setEnabled(idle && snapshot.status() == SnapshotStatus.READY);
        Button delete = new Button("Delete", e -> confirm(snapshot, "Delete snapshot '" + snapshot.name() + "'?",
                "The snapshot is removed; the server itself is not changed.", "Delete",
                () -> snapshots.delete(actor, server.id(), snapshot.id()).jobId()));
        delete.setId("snapshot-delete-" + snapshot.id());
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        delete.setEnabled(idle && (snapshot.status() == SnapshotStatus.READY || snapshot.status() == SnapshotStatus.FAILED));
        return new HorizontalLayout(revert, delete);
    }

    private void take() {
        errors.clear();
        try {
            long job = snapshots.take(actor, server.id(), name.getValue()).jobId();
            name.clear();
            started.accept(job);
        } catch (ValidationException ex) {
            errors.show(ex);
        } catch (ConflictException ex) {
            errors.showGeneral(ex.getMessage());
        }
    }

    private void confirm(Snapshot snapshot, String title, String warning, String label, LongSupplier action) {
        ConfirmDialog dialog = new ConfirmDialog(title, warning, label, ok -> {
            try {
                started.accept(action.getAsLong());
            } catch (ConflictException ex) {
                errors.showGeneral(ex.getMessage());
            }
        });
        dialog.setId("confirm-snapshot-" + snapshot.id());
        dialog.setCancelable(true);
        dialog.setConfirmButtonTheme("error primary");
        dialog.open();
    }
}
