package dev.slice.backup;

import dev.slice.error.ValidationException;
import java.util.Optional;

/**
 * What a backup schedule is, as a server's schedule and a plan's default both take it: daily or weekly, keeping 1 to
 * {@link #MAX_RETENTION} scheduled backups. The one home of that rule, so the panel can check a form before it saves
 * anything else with it.
 */
public record ScheduleRule(BackupFrequency frequency, int retention) {
    public static final int MAX_RETENTION = 100;

    /**
     * The schedule the fields ask for, or empty for none (a missing, empty or "none" frequency).
     *
     * @throws ValidationException naming {@code frequency} or {@code retention}
     */
    public static Optional<ScheduleRule> of(String frequency, Integer retention) {
        if (frequency == null || frequency.isBlank() || frequency.strip().equalsIgnoreCase("none")) return Optional.empty();
        BackupFrequency parsed = BackupFrequency.parse(frequency)
                .orElseThrow(() -> new ValidationException("frequency", "daily or weekly (or none to remove the schedule)"));
        if (retention == null || retention < 1 || retention > MAX_RETENTION) {
            throw new ValidationException("retention", "keep between 1 and " + MAX_RETENTION + " scheduled backups");
        }
        return Optional.of(new ScheduleRule(parsed, retention));
    }
}
