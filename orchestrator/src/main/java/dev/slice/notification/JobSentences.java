package dev.slice.notification;

import dev.slice.job.Job;
import dev.slice.job.JobKind;
import dev.slice.job.JobStatus;

/** A job's result as people say it: "Order of web-1 finished.", "Backup of web-1 failed: no space left." */
final class JobSentences {
    private static final int MAX_ERROR = 160;

    private JobSentences() {}

    static String of(Job job, String hostname) {
        String what = action(job.kind()) + (hostname == null ? "" : " of " + hostname);
        if (job.status() == JobStatus.SUCCEEDED) return what + " finished.";
        String error = job.error() == null || job.error().isBlank() ? "" : ": " + shorten(job.error().strip());
        return what + " failed" + error + (error.endsWith(".") ? "" : ".");
    }

    static String action(JobKind kind) {
        return switch (kind) {
            case CREATE -> "Order";
            case START -> "Start";
            case STOP -> "Shutdown";
            case REBOOT -> "Reboot";
            case POWER_OFF -> "Power-off";
            case RESET -> "Reset";
            case SUSPEND -> "Suspend";
            case RESUME -> "Resume";
            case REINSTALL -> "Reinstall";
            case RESIZE -> "Resize";
            case RESCUE_ENTER -> "Boot into rescue";
            case RESCUE_LEAVE -> "Leaving rescue";
            case DELETE -> "Deletion";
            case SNAPSHOT_TAKE -> "Snapshot";
            case SNAPSHOT_REVERT -> "Snapshot revert";
            case SNAPSHOT_DELETE -> "Snapshot deletion";
            case BACKUP -> "Backup";
            case RESTORE -> "Restore from backup";
            case BACKUP_DELETE -> "Backup deletion";
            case BACKUP_SCHEDULE -> "Scheduled backups";
            case REPORT -> "Benchmark report";
        };
    }

    private static String shorten(String error) {
        String firstLine = error.lines().findFirst().orElse("");
        return firstLine.length() <= MAX_ERROR ? firstLine : firstLine.substring(0, MAX_ERROR - 1) + "…";
    }
}
