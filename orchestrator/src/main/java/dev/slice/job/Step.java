package dev.slice.job;

import java.util.Locale;

/** One idempotent unit of work on a guest; running a step twice must end in the same place as once. */
public enum Step {
    ALLOCATE_IP, CREATE_GUEST, START_GUEST, WAIT_RUNNING, STOP_GUEST, WAIT_STOPPED, REBOOT_GUEST, DESTROY_GUEST,
    RESIZE_GUEST, RELEASE_IP, MARK_ACTIVE, MARK_DELETED,
    /** Pulls the plug (the driver's forced stop), never asking the guest. */
    POWER_OFF_GUEST,
    /** The reset button (the driver's reset), never asking the guest. */
    RESET_GUEST,
    /** The driver's Suspend capability: the machine saved (or paused) and stopped; resume goes on from there. */
    SUSPEND_GUEST, RESUME_GUEST,
    /** The driver's Rescue capability: the rescue system booted with the guest's disk attached; the guest's own booted again. */
    ENTER_RESCUE, LEAVE_RESCUE,
    /** A server's disk snapshots (dev.slice.snapshot.SnapshotSteps). */
    TAKE_SNAPSHOT, REVERT_SNAPSHOT, DELETE_SNAPSHOT,
    /** A server's backups (dev.slice.backup.BackupSteps): written, verified, pruned, restored, deleted; the schedule run. */
    WRITE_BACKUP, VERIFY_BACKUP, PRUNE_BACKUPS, RESTORE_BACKUP, DELETE_BACKUP, RUN_BACKUP_SCHEDULES,
    /** A benchmark run's steps (dev.slice.report.ReportSteps). */
    REPORT_PREPARE, REPORT_CREATE_GUESTS, REPORT_MEASURE, REPORT_DENSITY, REPORT_CLEAN_UP, REPORT_FINISH;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static Step fromId(String id) { return valueOf(id.toUpperCase(Locale.ROOT)); }
}
