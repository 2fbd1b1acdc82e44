package dev.slice.backup;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Backups' settings ({@code slice.backups.*}).
 *
 * @param store             where archives are written, on the node that runs the backup job (default
 *                          {@code <slice.data-dir>/backups}); with many nodes, a file system they all mount (NFS, say)
 *                          lets a backup be restored onto a server on another node
 * @param keepAfterDelete   how long a manual backup is kept once its server is deleted (scheduled ones keep their own end)
 * @param schedulerInterval how often the control plane looks for due schedules and ended retentions
 * @param schedulerEnabled  whether it looks at all (tests run the scheduler's job by hand)
 */
@ConfigurationProperties("slice.backups")
public record BackupProperties(Path store, Duration keepAfterDelete, Duration schedulerInterval, boolean schedulerEnabled) {}
