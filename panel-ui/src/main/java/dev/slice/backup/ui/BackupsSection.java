package dev.slice.backup.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import dev.slice.account.Actor;
import dev.slice.backup.Backup;
import dev.slice.backup.BackupSchedule;
import dev.slice.backup.BackupService;
import dev.slice.backup.ScheduleRule;
import dev.slice.backup.BackupStatus;
import dev.slice.display.FieldErrors;
import dev.slice.display.Sizes;
import dev.slice.display.Times;
import dev.slice.driver.BackendKind;
import dev.slice.error.ConflictException;
import dev.slice.error.ValidationException;
import dev.slice.server.Server;
import dev.slice.server.ServerStatus;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * A server's backups on its page: back up now by name, restore one or delete one (both confirmed), the schedule
 * (none, daily, weekly; how many scheduled backups are kept), and a restore from a backup of one of the owner's other
 * (also deleted) servers. Where the backend writes no backups, it says so instead (the capability is absent).
 */
public class BackupsSection extends Div {
    private static final String NONE = "none";

    private final BackupService backups;
    private final Actor actor;
    private final LongConsumer started;

    private final Paragraph summary = new Paragraph();
    private final Grid<Backup> grid = new Grid<>(Backup.class, false);
    private final TextField name = new TextField("Backup name");
    private final Button create = new Button("Back up now");
    private final Select<String> frequency = new Select<>();
    private final IntegerField retention = new IntegerField("Keep");
    private final Button saveSchedule = new Button("Save schedule");
    private final Select<Backup> other = new Select<>();
    private final Button restoreOther = new Button("Restore");
    private final FieldErrors errors = new FieldErrors().bind("name", name).bind("frequency", frequency).bind("retention", retention);
    private final HorizontalLayout form;
    private final HorizontalLayout scheduleForm;
    private final HorizontalLayout otherForm;
    private Server server;
    private boolean idle;

    /** @param started told the job of an action once it is queued */
    public BackupsSection(BackupService backups, Actor actor, LongConsumer started) {
        this.backups = backups;
        this.actor = actor;
        this.started = started;
        setId("server-backups");
        setWidthFull();
        summary.setId("backups-summary");
        name.setId("backup-name");
        name.setManualValidation(true);
        name.setMaxLength(BackupService.MAX_NAME_LENGTH);
        create.setId("backup-create");
        create.addClickListener(e -> create());
        form = new HorizontalLayout(name, create, errors.general());
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        frequency.setId("backup-frequency");
        frequency.setLabel("Scheduled backups");
        frequency.setItems(NONE, "daily", "weekly");
        frequency.setValue(NONE);
        retention.setId("backup-retention");
        retention.setManualValidation(true);
        retention.setMin(1);
        retention.setMax(ScheduleRule.MAX_RETENTION);
        retention.setValue(7);
        saveSchedule.setId("backup-schedule-save");
        saveSchedule.addClickListener(e -> saveSchedule());
        scheduleForm = new HorizontalLayout(frequency, retention, saveSchedule);
        scheduleForm.setAlignItems(FlexComponent.Alignment.BASELINE);
        other.setId("backup-other");
        other.setLabel("Restore from a backup of another server");
        other.setItemLabelGenerator(b -> b.name() + " (server " + b.serverId() + ", " + Times.utc(b.createdAt()) + ")");
        restoreOther.setId("backup-other-restore");
        restoreOther.addClickListener(e -> {
            Backup chosen = other.getValue();
            if (chosen != null) restore(chosen);
        });
        otherForm = new HorizontalLayout(other, restoreOther);
        otherForm.setAlignItems(FlexComponent.Alignment.BASELINE);
        grid.setId("backups-grid");
        grid.setAllRowsVisible(true);
        grid.addColumn(Backup::name).setHeader("Name");
        grid.addColumn(b -> b.status().id()).setHeader("Status");
        grid.addColumn(b -> b.trigger().id()).setHeader("Made");
        grid.addColumn(b -> b.sizeBytes() == null ? "" : Sizes.bytes(b.sizeBytes())).setHeader("Archive");
        grid.addColumn(b -> Times.utc(b.createdAt())).setHeader("Taken");
        grid.addColumn(b -> b.expiresAt() == null ? "until deleted" : Times.utc(b.expiresAt())).setHeader("Kept until");
        grid.addComponentColumn(this::rowActions).setHeader("");
        add(new H3("Backups"), summary, form, scheduleForm, otherForm, grid);
    }

    /** Redraws for the server as it is now; actions only while no job runs on an active server. */
    public void show(Server latest) {
        server = latest;
        idle = latest.activeJobId() == null && latest.status() == ServerStatus.ACTIVE;
        BackupService.Listing listing = backups.list(actor, latest.id());
        if (!listing.supported() && listing.backups().isEmpty()) {
            summary.setText("Backups are not supported on " + BackendKind.fromId(latest.backend()).label() + " servers.");
            form.setVisible(false);
            scheduleForm.setVisible(false);
            otherForm.setVisible(false);
            grid.setVisible(false);
            return;
        }
        boolean deleted = latest.status() == ServerStatus.DELETED;
        BackupSchedule schedule = listing.schedule();
        long ready = listing.backups().stream().filter(b -> b.status() == BackupStatus.READY).count();
        summary.setText(ready + " backup" + (ready == 1 ? "" : "s") + " ready. "
                + (schedule == null ? "No schedule." : "Backed up " + schedule.frequency().id() + ", the newest "
                        + schedule.retention() + " scheduled kept; next at " + Times.utc(schedule.nextRunAt()) + ".")
                + " A restore brings the disk back as it was; what was written since is lost.");
        form.setVisible(!deleted);
        scheduleForm.setVisible(!deleted);
        create.setEnabled(idle);
        if (schedule != null) {
            frequency.setValue(schedule.frequency().id());
            retention.setValue(schedule.retention());
        }
        List<Backup> others = deleted ? List.of()
                : backups.restorable(actor, latest.id()).stream().filter(b -> b.serverId() != latest.id()).toList();
        otherForm.setVisible(!others.isEmpty());
        if (!others.equals(other.getListDataView().getItems().toList())) other.setItems(others);
        restoreOther.setEnabled(idle);
        grid.setVisible(!listing.backups().isEmpty());
        grid.setItems(listing.backups());
    }

    private HorizontalLayout rowActions(Backup backup) {
        Button restore = new Button("Restore", e -> restore(backup));
        restore.setId("backup-restore-" + backup.id());
        restore.setEnabled(idle && backup.status() == BackupStatus.READY);
        restore.setVisible(server.status() != ServerStatus.DELETED);
        Button delete = new Button("Delete", e -> confirm(backup, "Delete backup '" + backup.name() + "'?",
                "The backup's archive is removed; the server itself is not changed.", "Delete",
                () -> backups.delete(actor, server.id(), backup.id()).jobId()));
        delete.setId("backup-delete-" + backup.id());
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        delete.setEnabled((server.activeJobId() == null)
                && (backup.status() == BackupStatus.READY || backup.status() == BackupStatus.FAILED));
        return new HorizontalLayout(restore, delete);
    }

    private void restore(Backup backup) {
        confirm(backup, "Restore " + server.hostname() + " from '" + backup.name() + "'?",
                "The server's disk is replaced by this backup and the server restarts; everything written since is lost.",
                "Restore", () -> backups.restore(actor, server.id(), backup.id()).jobId());
    }

    private void create() {
        errors.clear();
        try {
            long job = backups.create(actor, server.id(), name.getValue()).jobId();
            name.clear();
            started.accept(job);
        } catch (ValidationException ex) {
            errors.show(ex);
        } catch (ConflictException ex) {
            errors.showGeneral(ex.getMessage());
        }
    }

    private void saveSchedule() {
        errors.clear();
        try {
            String chosen = frequency.getValue();
            backups.setSchedule(actor, server.id(), NONE.equals(chosen) ? null : chosen, retention.getValue());
            show(server);
        } catch (ValidationException ex) {
            errors.show(ex);
        } catch (ConflictException ex) {
            errors.showGeneral(ex.getMessage());
        }
    }

    private void confirm(Backup backup, String title, String warning, String label, LongSupplier action) {
        ConfirmDialog dialog = new ConfirmDialog(title, warning, label, ok -> {
            try {
                started.accept(action.getAsLong());
            } catch (ConflictException | ValidationException ex) {
                errors.showGeneral(ex.getMessage());
            }
        });
        dialog.setId("confirm-backup-" + backup.id());
        dialog.setCancelable(true);
        dialog.setConfirmButtonTheme("error primary");
        dialog.open();
    }
}
