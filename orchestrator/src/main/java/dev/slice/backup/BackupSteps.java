package dev.slice.backup;

import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestState;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.Backups;
import dev.slice.job.Job;
import dev.slice.job.JobKind;
import dev.slice.job.PermanentJobFailure;
import dev.slice.job.Step;
import dev.slice.job.StepRunner;
import dev.slice.provisioning.NodeDrivers;
import dev.slice.server.PowerState;
import dev.slice.server.ServerRepository;
import dev.slice.server.ServerRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The backup steps, in front of the snapshot steps (which hand the rest to the guest's). A backup job names its
 * backup by row id in its parameters; a restore job's server is the one restored onto (the backup may be of another,
 * deleted server of the same owner). Each step looks at the row first, so a repeated step converges. Deleting a server
 * leaves its backups (they are in the store, not in the guest's directory) and starts their retention clock.
 */
public class BackupSteps implements StepRunner {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration STOP_FOR_COPY = Duration.ofSeconds(30);

    private final StepRunner next;
    private final BackupRepository backups;
    private final BackupScheduler scheduler;
    private final ServerRepository servers;
    private final NodeDrivers drivers;
    private final BackupProperties properties;
    private final Clock clock;

    public BackupSteps(StepRunner next, BackupRepository backups, BackupScheduler scheduler, ServerRepository servers,
                       NodeDrivers drivers, BackupProperties properties, Clock clock) {
        this.next = next;
        this.backups = backups;
        this.scheduler = scheduler;
        this.servers = servers;
        this.drivers = drivers;
        this.properties = properties;
        this.clock = clock;
    }

    static String params(long backupId) {
        return JSON.createObjectNode().put("backupId", backupId).toString();
    }

    @Override
    public String run(Job job, Step step) throws Exception {
        return switch (step) {
            case WRITE_BACKUP -> write(ofJobsServer(job));
            case VERIFY_BACKUP -> verify(backupOf(job));
            case PRUNE_BACKUPS -> prune(backupOf(job));
            case RESTORE_BACKUP -> restore(job, backupOf(job));
            case DELETE_BACKUP -> {
                Backup backup = backupOf(job);
                if (backup.status() == BackupStatus.DELETED) yield "backup '" + backup.name() + "' already deleted";
                deleteArchive(backup);
                backups.transition(backup, BackupStatus.DELETED, null);
                yield "backup '" + backup.name() + "' deleted";
            }
            case RUN_BACKUP_SCHEDULES -> scheduler.run(clock.instant());
            case MARK_DELETED -> {
                String output = next.run(job, step);
                backups.serverDeleted(job.serverId(), clock.instant().plus(properties.keepAfterDelete()));
                yield output;
            }
            case MARK_ACTIVE -> {
                String output = next.run(job, step);
                if (job.kind() != JobKind.CREATE) yield output;
                String schedule = scheduler.applyPlanDefault(job.serverId());
                yield schedule.isEmpty() ? output : output + "; " + schedule;
            }
            default -> next.run(job, step);
        };
    }

    private String write(Backup backup) throws IOException {
        if (backup.status() != BackupStatus.CREATING) return "backup '" + backup.name() + "' already written";
        Target target = target(backup.serverId());
        Path archive = properties.store().resolve("server-" + backup.serverId()).resolve("backup-" + backup.id() + ".tar");
        // A backend that copies the disk needs it at rest: the guest is shut down for the copy and started again. (A
        // worker that dies in between leaves it stopped; the retry writes the backup and does not start it.)
        boolean pause = target.backups().needsStoppedGuest() && target.driver().state(target.guest()) == GuestState.RUNNING;
        if (pause) target.driver().stop(target.guest(), StopMode.graceful(STOP_FOR_COPY));
        target.backups().exportDisk(target.guest(), archive);
        if (pause) target.driver().start(target.guest());
        long size = Files.size(archive);
        String sha256 = ArchiveChecksum.sha256(archive);
        backups.recordWritten(backup.id(), archive.toString(), size, sha256);
        return "wrote " + size + " bytes to " + archive + ", sha256 " + sha256
                + (pause ? " (the server was stopped for the copy and started again)" : "");
    }

    private String verify(Backup backup) throws IOException {
        if (backup.status() == BackupStatus.READY) return "backup '" + backup.name() + "' already verified";
        if (backup.archive() == null || backup.sha256() == null) {
            throw new PermanentJobFailure("backup " + backup.id() + " was not written");
        }
        requireIntact(backup);
        backups.transition(backup, BackupStatus.READY, null);
        return "read back " + backup.sizeBytes() + " bytes: sha256 matches";
    }

    private String prune(Backup backup) throws IOException {
        if (backup.trigger() != BackupTrigger.SCHEDULED) return "";
        var schedule = backups.schedule(backup.serverId());
        if (schedule.isEmpty()) return "";
        int pruned = 0;
        for (Backup old : backups.scheduledBeyond(backup.serverId(), schedule.get().retention())) {
            deleteArchive(old);
            backups.transition(old, BackupStatus.DELETED, null);
            pruned++;
        }
        return pruned == 0 ? "" : "pruned " + pruned + " scheduled backup(s) beyond the newest " + schedule.get().retention();
    }

    private String restore(Job job, Backup backup) throws IOException {
        if (backup.status() != BackupStatus.READY) {
            throw new PermanentJobFailure("backup '" + backup.name() + "' is " + backup.status().id() + ", not ready");
        }
        Target target = target(job.serverId());
        if (!target.server().backend().equals(backup.backend())) {
            throw new PermanentJobFailure("backup " + backup.id() + " is of a " + backup.backend() + " server, not " + target.server().backend());
        }
        requireIntact(backup);
        if (target.driver().state(target.guest()) == GuestState.RUNNING) {
            target.driver().stop(target.guest(), StopMode.force()); // its disk is about to be replaced anyway
        }
        target.backups().restoreDisk(target.guest(), Path.of(backup.archive()));
        servers.observePower(target.server().id(), PowerState.STOPPED);
        return "disk restored from backup '" + backup.name() + "' (sha256 checked)";
    }

    /** The archive is on this node's store, with the size and checksum recorded when it was written. */
    private static void requireIntact(Backup backup) throws IOException {
        Path archive = Path.of(backup.archive());
        if (!Files.isRegularFile(archive)) {
            throw new PermanentJobFailure("the archive of backup " + backup.id() + " is not at " + archive
                    + " on this node; with many nodes, slice.backups.store must be a file system they all mount");
        }
        long size = Files.size(archive);
        String sha256 = ArchiveChecksum.sha256(archive);
        if (size != backup.sizeBytes() || !sha256.equals(backup.sha256())) {
            throw new PermanentJobFailure("the archive of backup " + backup.id() + " at " + archive + " is damaged: "
                    + size + " bytes, sha256 " + sha256 + ", written as " + backup.sizeBytes() + " bytes, sha256 " + backup.sha256());
        }
    }

    private static void deleteArchive(Backup backup) throws IOException {
        if (backup.archive() == null) return;
        Path archive = Path.of(backup.archive());
        Files.deleteIfExists(archive);
        Files.deleteIfExists(archive.resolveSibling(archive.getFileName() + ".partial"));
    }

    @Override
    public void failed(Job job, String error) {
        if (job.kind() == JobKind.BACKUP || job.kind() == JobKind.BACKUP_DELETE) {
            backups.find(backupId(job)).ifPresent(backup -> {
                BackupStatus to = job.kind() == JobKind.BACKUP ? BackupStatus.FAILED : BackupStatus.READY;
                if (BackupTransitions.allowed(backup.status(), to)) backups.transition(backup, to, error);
            });
        }
        next.failed(job, error);
    }

    private record Target(ServerRow server, Driver driver, Backups backups, GuestId guest) {}

    private Target target(long serverId) {
        ServerRow server = servers.find(serverId)
                .orElseThrow(() -> new PermanentJobFailure("server " + serverId + " does not exist"));
        Driver driver = drivers.driver(server.nodeId(), server.backend());
        Backups capability = driver.capability(Backups.class).orElseThrow(() -> new PermanentJobFailure(
                "the " + server.backend() + " backend cannot back up or restore a disk"));
        return new Target(server, driver, capability, GuestId.of(server.guestId()));
    }

    /** A backup job's backup is of the job's own server (a restore's may be of another). */
    private Backup ofJobsServer(Job job) {
        Backup backup = backupOf(job);
        if (job.serverId() == null || backup.serverId() != job.serverId()) {
            throw new PermanentJobFailure("backup " + backup.id() + " is not of the job's server");
        }
        return backup;
    }

    private Backup backupOf(Job job) {
        long id = backupId(job);
        return backups.find(id).orElseThrow(() -> new PermanentJobFailure("backup " + id + " does not exist"));
    }

    private static long backupId(Job job) {
        JsonNode id = JSON.readTree(job.params()).get("backupId");
        if (id == null || !id.canConvertToLong()) throw new PermanentJobFailure("job " + job.id() + " names no backup");
        return id.asLong();
    }
}
