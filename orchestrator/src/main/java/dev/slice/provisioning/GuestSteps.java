package dev.slice.provisioning;

import dev.slice.audit.AuditLog;
import dev.slice.driver.Credentials;
import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.Resources;
import dev.slice.driver.StopMode;
import dev.slice.driver.DriverException;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.capability.Rescue;
import dev.slice.driver.capability.Resize;
import dev.slice.driver.capability.Suspend;
import dev.slice.firewall.FirewallEnforcement;
import dev.slice.ipam.Allocation;
import dev.slice.ipam.IpamService;
import dev.slice.job.Job;
import dev.slice.job.JobKind;
import dev.slice.job.JobQueue;
import dev.slice.job.PermanentJobFailure;
import dev.slice.job.Step;
import dev.slice.job.StepRunner;
import dev.slice.server.PowerState;
import dev.slice.server.ServerRepository;
import dev.slice.server.ServerRow;
import dev.slice.server.ServerStatus;
import dev.slice.server.ServerTransitions;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * What each {@link Step} does to a server's guest, as one explicit switch. Every step is idempotent:
 * it looks at what exists (the driver's state, the server row) before it acts, so a job continued by
 * another worker after a crash converges instead of creating a second guest.
 */
public class GuestSteps implements StepRunner {
    private static final Duration POLL = Duration.ofMillis(200);
    /** Writing a machine's memory out: the emulator takes about 0.2 s for 128 MiB, QEMU's managed save some seconds. */
    private static final Duration SUSPEND_TIMEOUT = Duration.ofMinutes(3);
    /** How long a guest is given to shut down before it is booted into or out of rescue (then it is stopped by force). */
    private static final Duration RESCUE_SHUTDOWN = Duration.ofSeconds(30);
    private static final Set<JobKind> FAIL_SERVER_ON = Set.of(JobKind.CREATE, JobKind.REINSTALL, JobKind.RESIZE, JobKind.DELETE);

    private final ServerRepository servers;
    private final IpamService ipam;
    private final NodeDrivers drivers;
    private final AuditLog audit;
    private final FirewallEnforcement firewalls;
    private final Duration runningTimeout;
    private final JobQueue jobs;
    private final Clock clock;

    public GuestSteps(ServerRepository servers, IpamService ipam, NodeDrivers drivers, AuditLog audit, FirewallEnforcement firewalls,
                      Duration runningTimeout, JobQueue jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
        this.servers = servers;
        this.ipam = ipam;
        this.drivers = drivers;
        this.audit = audit;
        this.firewalls = firewalls;
        this.runningTimeout = runningTimeout;
    }

    @Override
    public String run(Job job, Step step) throws InterruptedException {
        ServerRow server = servers.find(job.serverId())
                .orElseThrow(() -> new PermanentJobFailure("server " + job.serverId() + " does not exist"));
        GuestId guest = GuestId.of(server.guestId());
        // The order was withdrawn (OrderCancellation): stop here, at a step boundary; failed() hands over to a delete job.
        if (job.kind() == JobKind.CREATE && server.status() == ServerStatus.DELETING) throw new ProvisioningCancelled();
        return switch (step) {
            case ALLOCATE_IP -> {
                Allocation allocation = ipam.allocate(server.id(), server.nodeId());
                servers.setAddress(server.id(), allocation.address());
                yield "address " + allocation.cidr() + " via " + allocation.pool().gateway();
            }
            case CREATE_GUEST -> {
                Driver driver = drivers.driver(server.nodeId(), server.backend());
                driver.create(spec(server));
                // Before the guest first starts, so a re-created guest is never reachable past its rules.
                yield "guest " + guest + " created on " + server.backend() + "; " + firewalls.apply(driver, server);
            }
            case START_GUEST -> {
                Driver driver = drivers.driver(server.nodeId(), server.backend());
                if (driver.state(guest) == GuestState.RUNNING) yield "guest already running";
                driver.start(guest);
                yield "guest started";
            }
            case WAIT_RUNNING -> {
                waitFor(server, GuestState.RUNNING);
                servers.observePower(server.id(), PowerState.RUNNING);
                yield "guest is running";
            }
            case STOP_GUEST -> {
                Driver driver = drivers.driver(server.nodeId(), server.backend());
                if (driver.state(guest) != GuestState.RUNNING) yield "guest already stopped";
                driver.stop(guest, job.params().contains("\"force\":true") ? StopMode.force() : StopMode.graceful(Duration.ofSeconds(30)));
                yield "guest stopping";
            }
            case WAIT_STOPPED -> {
                waitFor(server, GuestState.STOPPED);
                // A provider's suspension powers off a guest its owner had suspended: its saved machine stays.
                Driver driver = drivers.driver(server.nodeId(), server.backend());
                PowerState power = PowerState.observed(driver, guest, GuestState.STOPPED);
                servers.observePower(server.id(), power);
                yield "guest is " + power.id();
            }
            case SUSPEND_GUEST -> {
                Driver driver = drivers.driver(server.nodeId(), server.backend());
                Suspend suspend = suspendOf(driver, server);
                if (suspend.isSuspended(guest)) {
                    servers.observePower(server.id(), PowerState.SUSPENDED);
                    yield "guest already suspended"; // a retry after the save
                }
                if (driver.state(guest) != GuestState.RUNNING) {
                    throw new PermanentJobFailure("guest " + guest + " is not running; only a running guest can be suspended");
                }
                try {
                    suspend.suspend(guest, SUSPEND_TIMEOUT);
                } catch (DriverException e) {
                    // The guest keeps running when it could not be saved; the reason is the backend's, retrying will not help.
                    throw new PermanentJobFailure(e.getMessage(), e);
                }
                servers.observePower(server.id(), PowerState.SUSPENDED);
                yield "guest suspended: its machine is saved";
            }
            case RESUME_GUEST -> {
                Driver driver = drivers.driver(server.nodeId(), server.backend());
                Suspend suspend = suspendOf(driver, server);
                if (driver.state(guest) == GuestState.RUNNING) yield "guest already running"; // a retry after the resume
                if (!suspend.isSuspended(guest)) {
                    throw new PermanentJobFailure("guest " + guest + " has no saved machine to resume; start it instead");
                }
                suspend.resume(guest);
                yield "guest resumed from its saved machine";
            }
            case POWER_OFF_GUEST -> {
                Driver driver = drivers.driver(server.nodeId(), server.backend());
                if (driver.state(guest) != GuestState.RUNNING) yield "guest already off";
                if (job.params().contains(JobKind.SAVE_MACHINE)) {
                    String saved = saveInsteadOfPowerOff(driver, guest);
                    if (saved != null) yield saved;
                }
                driver.stop(guest, StopMode.force());
                yield "guest powered off";
            }
            case ENTER_RESCUE -> {
                Driver driver = drivers.driver(server.nodeId(), server.backend());
                Rescue.RescueSpec rescue = RescueParams.read(job.params(), server.template());
                try {
                    // Idempotent in the driver: a retry after the boot finds the guest in rescue with the same spec.
                    rescueOf(driver, server).enter(guest, rescue, RESCUE_SHUTDOWN);
                } catch (InvalidSpecException e) {
                    throw new PermanentJobFailure(e.getMessage(), e);
                }
                yield "guest booted its rescue system (" + server.template() + ")";
            }
            case LEAVE_RESCUE -> {
                Driver driver = drivers.driver(server.nodeId(), server.backend());
                Rescue rescue = rescueOf(driver, server);
                if (!rescue.inRescue(guest)) {
                    // Entering failed before the mark, or a retry after the leave: the guest's own system, running.
                    if (driver.state(guest) != GuestState.RUNNING) driver.start(guest);
                    yield "guest not in rescue; its own system runs";
                }
                rescue.leave(guest, RESCUE_SHUTDOWN);
                yield "guest left rescue and booted its own system";
            }
            case RESET_GUEST -> {
                // A retry after the reset's power-off half finds the guest stopped: the driver's reset then starts it.
                drivers.driver(server.nodeId(), server.backend()).reset(guest);
                yield "guest reset";
            }
            case REBOOT_GUEST -> {
                Driver driver = drivers.driver(server.nodeId(), server.backend());
                if (driver.state(guest) == GuestState.RUNNING) {
                    driver.reboot(guest);
                    yield "guest rebooted";
                }
                driver.start(guest);
                yield "guest was not running; started it";
            }
            case DESTROY_GUEST -> {
                Driver driver = drivers.driver(server.nodeId(), server.backend());
                driver.destroy(guest);
                firewalls.remove(driver, server);
                servers.observePower(server.id(), PowerState.STOPPED);
                yield "guest destroyed";
            }
            case RESIZE_GUEST -> {
                Driver driver = drivers.driver(server.nodeId(), server.backend());
                Resize resize = driver.capability(Resize.class).orElseThrow(() -> new PermanentJobFailure(
                        "the " + server.backend() + " backend cannot resize guests"));
                resize.resize(guest, resources(server));
                yield "guest resized to " + server.vcpus() + " vCPUs, " + server.memoryMiB() + " MiB, " + server.diskMiB() + " MiB disk";
            }
            case RELEASE_IP -> {
                ipam.release(server.id());
                yield "address released";
            }
            case MARK_ACTIVE -> {
                if (server.status() != ServerStatus.ACTIVE) servers.transition(server, ServerStatus.ACTIVE);
                yield "server is active";
            }
            case TAKE_SNAPSHOT, REVERT_SNAPSHOT, DELETE_SNAPSHOT ->
                    throw new PermanentJobFailure("step " + step.id() + " belongs to the snapshot steps, not to the guest's");
            case WRITE_BACKUP, VERIFY_BACKUP, PRUNE_BACKUPS, RESTORE_BACKUP, DELETE_BACKUP, RUN_BACKUP_SCHEDULES ->
                    throw new PermanentJobFailure("step " + step.id() + " belongs to the backup steps, not to the guest's");
            case REPORT_PREPARE, REPORT_CREATE_GUESTS, REPORT_MEASURE, REPORT_DENSITY, REPORT_CLEAN_UP, REPORT_FINISH ->
                    throw new PermanentJobFailure("step " + step.id() + " belongs to a report run, not to a server");
            case MARK_DELETED -> {
                if (server.status() != ServerStatus.DELETED) servers.transition(server, ServerStatus.DELETED);
                yield "server deleted";
            }
        };
    }

    @Override
    public void failed(Job job, String error) {
        if (job.serverId() == null) return;
        servers.find(job.serverId()).ifPresent(server -> {
            if (job.kind() == JobKind.CREATE && server.status() == ServerStatus.DELETING) {
                // Withdrawn while being set up (or failed after that): a delete job removes what was made.
                long delete = jobs.enqueue(JobKind.DELETE, server.id(), job.createdBy(), "{}", job.maxAttempts(), clock.instant());
                audit.record(null, "job.cancelled", "server", server.id(), "create job " + job.id() + " ended; delete job " + delete);
                return;
            }
            if (FAIL_SERVER_ON.contains(job.kind()) && ServerTransitions.allowed(server.status(), ServerStatus.FAILED)) {
                servers.transition(server, ServerStatus.FAILED);
            }
            audit.record(null, "job.failed", "server", server.id(), job.kind().id() + " job " + job.id() + ": " + error);
        });
    }

    /**
     * A stop Slice makes on its own account, the guest's owner having asked for nothing (the provider's suspension):
     * on a backend that can save this guest's machine it is saved, and the next start goes on where it stopped (the
     * power then reads "suspended"); null when the backend cannot, or the save failed (the guest still runs), and the
     * caller pulls the plug as before.
     */
    private static String saveInsteadOfPowerOff(Driver driver, GuestId guest) {
        Suspend suspend = driver.capability(Suspend.class).orElse(null);
        if (suspend == null || suspend.refusal(guest).isPresent()) return null;
        try {
            suspend.suspend(guest, SUSPEND_TIMEOUT);
            return "guest stopped with its machine saved: the next start resumes it";
        } catch (DriverException e) {
            return null;
        }
    }

    private static Rescue rescueOf(Driver driver, ServerRow server) {
        return driver.capability(Rescue.class).orElseThrow(() -> new PermanentJobFailure(
                "this server's backend has no rescue system (" + server.backend() + ")"));
    }

    private static Suspend suspendOf(Driver driver, ServerRow server) {
        return driver.capability(Suspend.class).orElseThrow(() -> new PermanentJobFailure(
                "this server's backend cannot suspend (" + server.backend() + ")"));
    }

    GuestSpec spec(ServerRow server) {
        Allocation allocation = ipam.allocationOf(server.id()).orElseThrow(() -> new PermanentJobFailure(
                "server " + server.id() + " has no address; the allocate step did not run"));
        NetworkConfig network = new NetworkConfig(allocation.cidr(), allocation.pool().gateway(), server.mac(),
                allocation.pool().bridge(), allocation.pool().dns());
        return new GuestSpec(GuestId.of(server.guestId()), server.hostname(), resources(server), server.template(), network,
                new Credentials(server.rootPasswordHash(), server.sshKeys()));
    }

    private static Resources resources(ServerRow server) {
        return new Resources(server.vcpus(), server.memoryMiB(), server.diskMiB(), 0, server.bandwidthMbit());
    }

    private void waitFor(ServerRow server, GuestState wanted) throws InterruptedException {
        Driver driver = drivers.driver(server.nodeId(), server.backend());
        GuestId guest = GuestId.of(server.guestId());
        // Bounded by a number of polls, not by the clock: tests may hold the clock still while a real guest boots.
        long polls = Math.max(1, runningTimeout.toMillis() / POLL.toMillis());
        GuestState state = driver.state(guest);
        while (state != wanted) {
            if (state == GuestState.ABSENT) throw new IllegalStateException("guest " + guest + " does not exist on its node");
            if (polls-- <= 0) {
                throw new IllegalStateException("guest " + guest + " is still " + state.name().toLowerCase()
                        + " after " + runningTimeout.toSeconds() + " s");
            }
            Thread.sleep(POLL.toMillis());
            state = driver.state(guest);
        }
    }
}
