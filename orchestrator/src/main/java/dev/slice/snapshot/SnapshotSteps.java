package dev.slice.snapshot;

import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestState;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.Snapshots;
import dev.slice.job.Job;
import dev.slice.job.JobKind;
import dev.slice.job.PermanentJobFailure;
import dev.slice.job.Step;
import dev.slice.job.StepRunner;
import dev.slice.provisioning.NodeDrivers;
import dev.slice.server.PowerState;
import dev.slice.server.ServerRepository;
import dev.slice.server.ServerRow;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The snapshot steps, in front of the guest's steps ({@code GuestSteps}), which carry out every other step. A
 * snapshot job names its snapshot by row id in its parameters. Each step looks at the row first, so a repeated step
 * converges; destroying a guest (delete, reinstall) forgets its snapshots, which went with its disk.
 */
public class SnapshotSteps implements StepRunner {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final java.time.Duration STOP_FOR_COPY = java.time.Duration.ofSeconds(30);

    private final StepRunner guestSteps;
    private final SnapshotRepository snapshots;
    private final ServerRepository servers;
    private final NodeDrivers drivers;

    public SnapshotSteps(StepRunner guestSteps, SnapshotRepository snapshots, ServerRepository servers, NodeDrivers drivers) {
        this.guestSteps = guestSteps;
        this.snapshots = snapshots;
        this.servers = servers;
        this.drivers = drivers;
    }

    static String params(long snapshotId) {
        return JSON.createObjectNode().put("snapshotId", snapshotId).toString();
    }

    @Override
    public String run(Job job, Step step) throws Exception {
        return switch (step) {
            case TAKE_SNAPSHOT -> {
                Snapshot snapshot = snapshotOf(job);
                if (snapshot.status() == SnapshotStatus.READY) yield "snapshot '" + snapshot.name() + "' already taken";
                Target target = target(job, snapshot);
                // A backend that copies the disk needs it quiet: the guest is shut down for the copy and started again.
                // (A worker that dies in between leaves it stopped; the retry takes the snapshot and does not start it.)
                boolean pause = target.snapshots().needsStoppedGuest() && target.driver().state(target.guest()) == GuestState.RUNNING;
                if (pause) target.driver().stop(target.guest(), StopMode.graceful(STOP_FOR_COPY));
                target.snapshots().snapshot(target.guest(), snapshot.driverName());
                if (pause) target.driver().start(target.guest()); // before READY: a start that fails is retried with the step
                snapshots.transition(snapshot, SnapshotStatus.READY, null);
                yield "snapshot '" + snapshot.name() + "' taken" + (pause ? " (the server was stopped for the copy and started again)" : "");
            }
            case REVERT_SNAPSHOT -> {
                Snapshot snapshot = snapshotOf(job);
                if (snapshot.status() != SnapshotStatus.READY) {
                    throw new PermanentJobFailure("snapshot '" + snapshot.name() + "' is " + snapshot.status().id());
                }
                Target target = target(job, snapshot);
                if (target.snapshots().needsStoppedGuest() && target.driver().state(target.guest()) == GuestState.RUNNING) {
                    target.driver().stop(target.guest(), StopMode.force()); // its disk is about to be replaced anyway
                }
                target.snapshots().revert(target.guest(), snapshot.driverName());
                servers.observePower(target.server().id(), switch (target.driver().state(target.guest())) {
                    case RUNNING -> PowerState.RUNNING;
                    case STOPPED -> PowerState.STOPPED;
                    case ABSENT -> PowerState.UNKNOWN;
                });
                yield "disk reverted to snapshot '" + snapshot.name() + "'";
            }
            case DELETE_SNAPSHOT -> {
                Snapshot snapshot = snapshotOf(job);
                if (snapshot.status() == SnapshotStatus.DELETED) yield "snapshot '" + snapshot.name() + "' already deleted";
                Target target = target(job, snapshot);
                target.snapshots().deleteSnapshot(target.guest(), snapshot.driverName());
                snapshots.transition(snapshot, SnapshotStatus.DELETED, null);
                yield "snapshot '" + snapshot.name() + "' deleted";
            }
            case DESTROY_GUEST -> {
                String output = guestSteps.run(job, step);
                int forgotten = snapshots.forgetAll(job.serverId());
                yield forgotten == 0 ? output : output + "; its " + forgotten + " snapshot(s) with it";
            }
            default -> guestSteps.run(job, step);
        };
    }

    @Override
    public void failed(Job job, String error) {
        if (job.kind() == JobKind.SNAPSHOT_TAKE || job.kind() == JobKind.SNAPSHOT_DELETE) {
            snapshots.find(snapshotId(job)).ifPresent(snapshot -> {
                SnapshotStatus to = job.kind() == JobKind.SNAPSHOT_TAKE ? SnapshotStatus.FAILED : SnapshotStatus.READY;
                if (SnapshotTransitions.allowed(snapshot.status(), to)) snapshots.transition(snapshot, to, error);
            });
        }
        guestSteps.failed(job, error);
    }

    private record Target(ServerRow server, Driver driver, Snapshots snapshots, GuestId guest) {}

    private Target target(Job job, Snapshot snapshot) {
        ServerRow server = servers.find(snapshot.serverId())
                .orElseThrow(() -> new PermanentJobFailure("server " + snapshot.serverId() + " does not exist"));
        if (job.serverId() == null || server.id() != job.serverId()) {
            throw new PermanentJobFailure("snapshot " + snapshot.id() + " is not of the job's server");
        }
        Driver driver = drivers.driver(server.nodeId(), server.backend());
        Snapshots capability = driver.capability(Snapshots.class).orElseThrow(() -> new PermanentJobFailure(
                "the " + server.backend() + " backend cannot take snapshots"));
        return new Target(server, driver, capability, GuestId.of(server.guestId()));
    }

    private Snapshot snapshotOf(Job job) {
        long id = snapshotId(job);
        return snapshots.find(id).orElseThrow(() -> new PermanentJobFailure("snapshot " + id + " does not exist"));
    }

    private static long snapshotId(Job job) {
        JsonNode id = JSON.readTree(job.params()).get("snapshotId");
        if (id == null || !id.canConvertToLong()) throw new PermanentJobFailure("job " + job.id() + " names no snapshot");
        return id.asLong();
    }
}
