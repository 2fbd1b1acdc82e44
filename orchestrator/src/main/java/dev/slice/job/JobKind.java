package dev.slice.job;

import static dev.slice.job.Step.ALLOCATE_IP;
import static dev.slice.job.Step.RUN_BACKUP_SCHEDULES;
import static dev.slice.job.Step.DELETE_BACKUP;
import static dev.slice.job.Step.RESTORE_BACKUP;
import static dev.slice.job.Step.PRUNE_BACKUPS;
import static dev.slice.job.Step.VERIFY_BACKUP;
import static dev.slice.job.Step.WRITE_BACKUP;
import static dev.slice.job.Step.CREATE_GUEST;
import static dev.slice.job.Step.DELETE_SNAPSHOT;
import static dev.slice.job.Step.DESTROY_GUEST;
import static dev.slice.job.Step.ENTER_RESCUE;
import static dev.slice.job.Step.LEAVE_RESCUE;
import static dev.slice.job.Step.MARK_ACTIVE;
import static dev.slice.job.Step.MARK_DELETED;
import static dev.slice.job.Step.POWER_OFF_GUEST;
import static dev.slice.job.Step.REBOOT_GUEST;
import static dev.slice.job.Step.RELEASE_IP;
import static dev.slice.job.Step.REPORT_CLEAN_UP;
import static dev.slice.job.Step.REPORT_CREATE_GUESTS;
import static dev.slice.job.Step.REPORT_DENSITY;
import static dev.slice.job.Step.REPORT_FINISH;
import static dev.slice.job.Step.REPORT_MEASURE;
import static dev.slice.job.Step.REPORT_PREPARE;
import static dev.slice.job.Step.RESET_GUEST;
import static dev.slice.job.Step.RESIZE_GUEST;
import static dev.slice.job.Step.RESUME_GUEST;
import static dev.slice.job.Step.REVERT_SNAPSHOT;
import static dev.slice.job.Step.START_GUEST;
import static dev.slice.job.Step.STOP_GUEST;
import static dev.slice.job.Step.SUSPEND_GUEST;
import static dev.slice.job.Step.TAKE_SNAPSHOT;
import static dev.slice.job.Step.WAIT_RUNNING;
import static dev.slice.job.Step.WAIT_STOPPED;

import java.util.List;
import java.util.Locale;

/** Every job kind as its explicit list of steps, in order. */
public enum JobKind {
    CREATE(ALLOCATE_IP, CREATE_GUEST, START_GUEST, WAIT_RUNNING, MARK_ACTIVE),
    START(START_GUEST, WAIT_RUNNING),
    STOP(STOP_GUEST, WAIT_STOPPED),
    REBOOT(REBOOT_GUEST, WAIT_RUNNING),
    /** Hard power-off: the plug pulled, unlike {@link #STOP}, which asks the guest to shut down. */
    POWER_OFF(POWER_OFF_GUEST, WAIT_STOPPED),
    /** Hard reset: the reset button, unlike {@link #REBOOT}, which asks the guest to restart. */
    RESET(RESET_GUEST, WAIT_RUNNING),
    /** The owner's suspend of the guest (its machine saved through the driver's Suspend), not the provider's suspension. */
    SUSPEND(SUSPEND_GUEST),
    RESUME(RESUME_GUEST, WAIT_RUNNING),
    // Allocates first: a server whose create failed before it got an address can be reinstalled too.
    REINSTALL(ALLOCATE_IP, DESTROY_GUEST, CREATE_GUEST, START_GUEST, WAIT_RUNNING, MARK_ACTIVE),
    RESIZE(STOP_GUEST, WAIT_STOPPED, RESIZE_GUEST, START_GUEST, WAIT_RUNNING, MARK_ACTIVE),
    DELETE(DESTROY_GUEST, RELEASE_IP, MARK_DELETED),
    /** The rescue system booted (the one-time root password's hash in the parameters); the status is rescue already. */
    RESCUE_ENTER(ENTER_RESCUE, WAIT_RUNNING),
    /** The guest's own system booted again from its disk; the server is active afterwards. */
    RESCUE_LEAVE(LEAVE_RESCUE, WAIT_RUNNING, MARK_ACTIVE),
    SNAPSHOT_TAKE(TAKE_SNAPSHOT),
    /** The disk as it was; the guest runs afterwards (a snapshot with memory resumes, any other boots). */
    SNAPSHOT_REVERT(REVERT_SNAPSHOT, START_GUEST, WAIT_RUNNING),
    SNAPSHOT_DELETE(DELETE_SNAPSHOT),
    /** A backup written to the store (the guest stopped for the copy where the backend needs it), its checksum read back. */
    BACKUP(WRITE_BACKUP, VERIFY_BACKUP, PRUNE_BACKUPS),
    /** The archive's checksum checked, the disk replaced from it, the guest started. */
    RESTORE(RESTORE_BACKUP, START_GUEST, WAIT_RUNNING),
    BACKUP_DELETE(DELETE_BACKUP),
    /** No server: enqueues the backups that are due and ends the backups whose retention ended (one at a time). */
    BACKUP_SCHEDULE(RUN_BACKUP_SCHEDULES),
    /** A benchmark run: no server; clean-up always runs (and on failure, the runner's failed hook). */
    REPORT(REPORT_PREPARE, REPORT_CREATE_GUESTS, REPORT_MEASURE, REPORT_DENSITY, REPORT_CLEAN_UP, REPORT_FINISH);

    /**
     * In a {@link #POWER_OFF} job's parameters: a stop Slice makes on its own account (the provider's suspension), which
     * saves the guest's machine where its backend can (a resume goes on where it was) instead of pulling the plug.
     */
    public static final String SAVE_MACHINE = "\"save\":true";

    private final List<Step> steps;

    JobKind(Step... steps) {
        this.steps = List.of(steps);
    }

    public List<Step> steps() { return steps; }

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static JobKind fromId(String id) { return valueOf(id.toUpperCase(Locale.ROOT)); }
}
