package dev.slice.server.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.Route;
import dev.slice.account.Actor;
import dev.slice.backup.BackupService;
import dev.slice.backup.ui.BackupsSection;
import dev.slice.console.ConsoleTerminal;
import dev.slice.display.Sizes;
import dev.slice.display.Times;
import dev.slice.driver.BackendKind;
import dev.slice.driver.capability.GuestStats;
import dev.slice.error.ConflictException;
import dev.slice.job.Job;
import dev.slice.job.JobService;
import dev.slice.job.JobStatus;
import dev.slice.job.ui.JobPolling;
import dev.slice.job.ui.JobProgress;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.security.SignedInUser;
import dev.slice.server.PowerState;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import dev.slice.server.ServerTransitions;
import dev.slice.snapshot.SnapshotService;
import dev.slice.snapshot.ui.SnapshotsSection;
import dev.slice.firewall.FirewallService;
import dev.slice.firewall.ui.FirewallSection;
import dev.slice.template.TemplateService;
import jakarta.annotation.security.PermitAll;
import dev.slice.provisioning.OrderCancellation;
import dev.slice.usage.UsageService;
import dev.slice.usage.ui.UsageSection;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One server: its facts, the running job's progress, power actions (graceful stop and reboot, hard power-off and
 * reset), reinstall and delete (confirmed), its snapshots (or that its backend has none), its firewall, and, only where its backend
 * has them, suspend and resume, resize, usage counters and the browser console. Refreshed every two seconds.
 * Another tenant's server is "not found" (the service decides; the view only shows).
 */
@Route("server")
@PermitAll
public class ServerView extends VerticalLayout implements HasUrlParameter<Long>, HasDynamicTitle {

    private final ServerService servers;
    private final JobService jobs;
    private final TemplateService templates;
    private final PlanService plans;
    private final Clock clock;
    private final Actor actor;
    private final JobPolling polling;

    private final H2 title = new H2();
    private final Paragraph notice = new Paragraph();
    private final Div facts = new Div();
    private final HorizontalLayout actions = new HorizontalLayout();
    private final JobProgress progress = new JobProgress();
    private final Div jobBox = new Div();
    private final Div stats = new Div();
    private final Div statsNumbers = new Div();
    private UsageChart usage;
    private final SnapshotsSection snapshotsSection;
    private final FirewallSection firewallSection;
    private final BackupsSection backupsSection;
    private final UsageSection usageSection;
    private final Div consoleBox = new Div();
    private ConsoleTerminal console;
    private Button start;
    private Button stop;
    private Button reboot;
    private Button powerOff;
    private Button reset;
    private Button suspend;
    private Button resume;
    private Button reinstall;
    private Button resize;
    private final Span resizeUnavailable = new Span();
    private Button delete;
    private Button cancelOrder;
    private final OrderCancellation cancellation;

    private long serverId;
    private Server server;
    private Long shownJobId;

    public ServerView(ServerService servers, JobService jobs, TemplateService templates, PlanService plans,
                      SnapshotService snapshots, FirewallService firewalls, BackupService backups, Clock clock,
                      SignedInUser currentActor, UsageService usageService, OrderCancellation cancellation) {
        this.clock = clock;
        this.cancellation = cancellation;
        this.servers = servers;
        this.jobs = jobs;
        this.templates = templates;
        this.plans = plans;
        this.actor = currentActor.actor();
        this.polling = new JobPolling(this, () -> {
            refresh();
            return true;
        }, 2000);
        addClassName("slice-page");
        notice.setId("server-notice");
        notice.addClassName("slice-notice");
        facts.addClassName("slice-facts");
        facts.setId("server-facts");
        actions.setId("server-actions");
        jobBox.setId("server-job");
        jobBox.setWidthFull();
        jobBox.add(new H3("Current job"), progress);
        stats.setId("server-stats");
        stats.setWidthFull();
        consoleBox.setWidthFull();
        createActions();
        snapshotsSection = new SnapshotsSection(snapshots, actor, this::started);
        firewallSection = new FirewallSection(firewalls, actor);
        backupsSection = new BackupsSection(backups, actor, this::started);
        usageSection = new UsageSection(usageService, actor);
        add(title, notice, facts, actions, jobBox, snapshotsSection, backupsSection, firewallSection, stats, usageSection, consoleBox);
    }

    @Override
    public void setParameter(BeforeEvent event, Long id) {
        serverId = id;
        refresh(); // throws NotFoundException for a stranger's server: MissingView answers
    }

    @Override
    public String getPageTitle() {
        return (server == null ? "Server" : server.hostname()) + " · Slice";
    }

    private void refresh() {
        Server latest = servers.get(actor, serverId);
        boolean changed = server == null || latest.version() != server.version()
                || latest.powerState() != server.powerState() || !Objects.equals(latest.activeJobId(), server.activeJobId());
        server = latest;
        if (changed) {
            title.setText(server.hostname());
            showNotice();
            showFacts();
            showActions();
            snapshotsSection.setVisible(server.status() != ServerStatus.DELETED);
            if (snapshotsSection.isVisible()) snapshotsSection.show(server);
            firewallSection.setVisible(server.status() != ServerStatus.DELETED);
            if (firewallSection.isVisible()) firewallSection.show(server);
            backupsSection.show(server); // also of a deleted server: its backups outlive it
            usageSection.show(serverId);
            showConsole();
        }
        showJob();
        showStats();
    }

    private void showFacts() {
        facts.removeAll();
        fact("Status", ServerBadges.status(server));
        fact("Power", ServerBadges.power(server));
        fact("Address", text("server-address", address()));
        fact("Plan", text("server-plan", server.planName()));
        fact("Resources", text("server-resources", server.vcpus() + " vCPU · " + Sizes.mib(server.memoryMiB()) + " memory · "
                + Sizes.mib(server.diskMiB()) + " disk" + (server.bandwidthMbit() == 0 ? "" : " · " + server.bandwidthMbit() + " Mbit/s")));
        fact("Kind", text("server-backend", BackendKind.fromId(server.backend()).label()));
        fact("Operating system", text("server-template", server.template()));
        if (!actor.isCustomer()) fact("Owner", text("server-owner", server.ownerUsername()));
        if (actor.isOperator()) fact("Node", text("server-node", server.nodeName() + " (guest " + server.guestId() + ")"));
        fact("Created", text("server-created", Times.utc(server.createdAt())));
    }

    /** A deleted server's address went back to the pool and may be another server's by now: shown as history only. */
    private String address() {
        if (server.status() == ServerStatus.DELETED) return server.ipv4() == null ? "released" : "released (was " + server.ipv4() + ")";
        return server.ipv4() == null ? "not assigned yet" : server.ipv4();
    }

    /**
     * Why parts of the page are missing: a deleted server keeps only its page and backups; a stopped or suspended one
     * has no usage counters or console, which come back when it runs again.
     */
    private void showNotice() {
        String text = null;
        if (server.status() == ServerStatus.DELETED) {
            text = "This server has been deleted: its guest and disks are gone and its address was released, so it may now "
                    + "belong to another server. Its backups, if it had any, are kept and listed below.";
        } else if (server.status() == ServerStatus.ACTIVE && server.powerState() != PowerState.RUNNING) {
            List<String> missing = new java.util.ArrayList<>();
            if (server.capabilities().contains("stats")) missing.add("usage counters");
            if (server.capabilities().contains("console")) missing.add("console");
            if (!missing.isEmpty()) {
                boolean suspended = server.powerState() == PowerState.SUSPENDED;
                text = "The server is " + (suspended ? "suspended" : "not running") + ", so its " + String.join(" and ", missing)
                        + " are not shown. " + (suspended ? "Resume" : "Start") + " it to see them again.";
            }
        }
        notice.setText(text == null ? "" : text);
        notice.setVisible(text != null);
    }

    private void fact(String label, Component value) {
        facts.add(new Span(label), value);
    }

    private static Span text(String id, String value) {
        Span span = new Span(value);
        span.setId(id);
        return span;
    }

    /**
     * The buttons exist once and only change state: rebuilding them on a refresh could swallow a click that
     * arrives while the old button is being replaced.
     */
    private void createActions() {
        start = action("Start", "server-start", null, () -> servers.start(actor, serverId));
        stop = action("Stop", "server-stop", "The guest is shut down gracefully; whatever runs on it stops.",
                () -> servers.stop(actor, serverId, false));
        reboot = action("Reboot", "server-reboot", "The guest restarts; open sessions and programs end.",
                () -> servers.reboot(actor, serverId));
        powerOff = action("Power off", "server-power-off",
                "The power is cut at once, without asking the guest to shut down: unsaved data on it is lost.",
                () -> servers.powerOff(actor, serverId));
        reset = action("Reset", "server-reset",
                "The guest restarts at once, like pressing a reset button, without shutting down: unsaved data on it is lost.",
                () -> servers.reset(actor, serverId));
        suspend = action("Suspend", "server-suspend",
                "The guest's memory is saved and it stops; Resume continues where it left off. Connections to it may time out meanwhile.",
                () -> servers.suspendGuest(actor, serverId));
        resume = action("Resume", "server-resume", null, () -> servers.resumeGuest(actor, serverId));
        reinstall = new Button("Reinstall", e -> new ReinstallDialog(server, templates.availableFor(server.backend()),
                (template, password, keys) -> servers.reinstall(actor, serverId, template, password, keys), this::started).open());
        reinstall.setId("server-reinstall");
        resize = new Button("Resize", e -> new ResizeDialog(server, resizeCandidates(),
                plan -> servers.resize(actor, serverId, plan.id()), this::started).open());
        resize.setId("server-resize");
        delete = new Button("Delete", e -> confirmDelete());
        delete.setId("server-delete");
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        cancelOrder = new Button("Cancel order", e -> confirmCancelOrder());
        cancelOrder.setId("server-cancel-order");
        cancelOrder.addThemeVariants(ButtonVariant.LUMO_ERROR);
        resizeUnavailable.setId("server-resize-unavailable");
        resizeUnavailable.addClassName("slice-hint");
        actions.add(start, stop, reboot, powerOff, reset, suspend, resume, reinstall, resize, delete, cancelOrder, resizeUnavailable);
    }

    /**
     * Only what the server's state allows right now; nothing while a job runs on it; suspend, resume and resize only
     * where the backend can (a suspended guest can only be resumed, reinstalled or deleted).
     */
    private void showActions() {
        actions.setVisible(server.status() != ServerStatus.DELETED);
        boolean idle = server.activeJobId() == null;
        boolean active = server.status() == ServerStatus.ACTIVE;
        boolean running = server.powerState() == PowerState.RUNNING;
        boolean suspended = server.powerState() == PowerState.SUSPENDED;
        start.setEnabled(idle && active && !running && !suspended);
        stop.setEnabled(idle && active && running);
        reboot.setEnabled(idle && active && running);
        powerOff.setEnabled(idle && active && running);
        reset.setEnabled(idle && active && running);
        boolean canSuspend = server.capabilities().contains("suspend");
        suspend.setVisible(canSuspend);
        suspend.setEnabled(idle && active && running);
        resume.setVisible(canSuspend);
        resume.setEnabled(idle && active && suspended);
        reinstall.setEnabled(idle && ServerTransitions.allowed(server.status(), ServerStatus.REINSTALLING));
        boolean canResize = server.capabilities().contains("resize");
        resize.setVisible(canResize);
        // Said, not only hidden: a customer looking for Resize learns it is the backend's, not a missing right.
        resizeUnavailable.setVisible(!canResize && server.status() != ServerStatus.DELETED);
        resizeUnavailable.setText("Resize is not offered for " + dev.slice.driver.BackendKind.fromId(server.backend()).label()
                + " servers yet: their driver cannot change a guest's size; a larger plan means a new server.");
        resize.setEnabled(idle && !suspended && ServerTransitions.allowed(server.status(), ServerStatus.RESIZING));
        delete.setEnabled(idle && ServerTransitions.allowed(server.status(), ServerStatus.DELETING));
        // While it is set up the create job is running, so Delete waits; withdrawing the order does not.
        cancelOrder.setVisible(server.status() == ServerStatus.PROVISIONING);
        delete.setVisible(server.status() != ServerStatus.PROVISIONING);
    }

    /** Active plans of the same seller and backend; the service checks again (and whether the node has room). */
    private List<Plan> resizeCandidates() {
        List<Plan> offered = actor.isCustomer() ? plans.catalogue(actor) : plans.list(actor);
        return offered.stream().filter(p -> p.active() && p.backend().equals(server.backend()) && p.id() != server.planId()).toList();
    }

    /** @param warning what confirming means, or null for an action that needs no confirmation */
    private Button action(String label, String id, String warning, LongSupplier enqueue) {
        Runnable run = () -> {
            try {
                started(enqueue.getAsLong());
            } catch (ConflictException ex) {
                Notification.show(ex.getMessage(), 5000, Notification.Position.MIDDLE).addThemeVariants(NotificationVariant.LUMO_ERROR);
                server = null;
                refresh();
            }
        };
        Button button = new Button(label, e -> {
            if (warning == null) {
                run.run();
                return;
            }
            ConfirmDialog confirm = new ConfirmDialog(label + " " + server.hostname() + "?", warning, label, ok -> run.run());
            confirm.setId("confirm-" + id);
            confirm.setCancelable(true);
            confirm.open();
        });
        button.setId(id);
        return button;
    }

    private void confirmDelete() {
        ConfirmDialog confirm = new ConfirmDialog("Delete " + server.hostname() + "?",
                "The server and all data on it are destroyed, and its address is released. This cannot be undone.",
                "Delete", e -> started(servers.delete(actor, serverId)));
        confirm.setId("confirm-delete");
        confirm.setCancelable(true);
        confirm.setConfirmButtonTheme("error primary");
        confirm.open();
    }

    private void confirmCancelOrder() {
        ConfirmDialog confirm = new ConfirmDialog("Cancel the order of " + server.hostname() + "?",
                "Setting up stops at its next step; whatever was made so far is removed and the address released. "
                        + "Billing ends as for a deleted server.", "Cancel order", e -> {
            try {
                started(cancellation.cancel(actor, serverId));
            } catch (ConflictException ex) {
                Notification.show(ex.getMessage(), 6000, Notification.Position.MIDDLE).addThemeVariants(NotificationVariant.LUMO_ERROR);
                server = null;
                refresh();
            }
        });
        confirm.setId("confirm-cancel-order");
        confirm.setCancelable(true);
        confirm.setCancelText("Keep the order");
        confirm.setConfirmButtonTheme("error primary");
        confirm.open();
    }

    private void started(long jobId) {
        shownJobId = jobId;
        server = null; // redraw everything on the next refresh
        refresh();
    }

    /** The active job, or the last one this page started until the next one begins. */
    private void showJob() {
        if (server.activeJobId() != null) shownJobId = server.activeJobId();
        if (shownJobId == null) {
            List<Job> recent = jobs.forServer(actor, serverId, 0, 1);
            if (!recent.isEmpty() && recent.getFirst().status() == JobStatus.FAILED) shownJobId = recent.getFirst().id();
        }
        jobBox.setVisible(shownJobId != null);
        if (shownJobId != null) {
            Job shown = jobs.get(actor, shownJobId);
            progress.show(shown, jobs.usualTimes(server.backend()), clock.instant());
        }
    }

    /** Counters as numbers and, sampled on every refresh while the page is open, as a chart. */
    private void showStats() {
        boolean offered = server.capabilities().contains("stats") && server.powerState() == PowerState.RUNNING;
        stats.setVisible(offered);
        if (!offered) {
            stats.removeAll();
            usage = null;
            return;
        }
        if (usage == null) {
            usage = new UsageChart();
            stats.removeAll();
            stats.add(new H3("Usage"), statsNumbers, usage);
        }
        statsNumbers.removeAll();
        try {
            servers.stats(actor, serverId).ifPresent(s -> {
                statsNumbers.add(statsFacts(s));
                usage.add(s, clock.instant());
            });
        } catch (RuntimeException e) {
            statsNumbers.add(new Span("Usage counters are not available right now: " + e.getMessage()));
        }
    }

    private static Div statsFacts(GuestStats s) {
        Div box = new Div();
        box.addClassName("slice-facts");
        box.add(new Span("CPU time"), new Span(s.cpuTimeNanos() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f s", s.cpuTimeNanos() / 1e9)));
        box.add(new Span("Memory"), new Span(Sizes.bytes(s.memoryBytes())));
        box.add(new Span("Disk read / written"), new Span(Sizes.bytes(s.diskReadBytes()) + " / " + Sizes.bytes(s.diskWriteBytes())));
        box.add(new Span("Network in / out"), new Span(Sizes.bytes(s.netRxBytes()) + " / " + Sizes.bytes(s.netTxBytes())));
        return box;
    }

    /** The console appears when the backend has one and the guest runs; it reconnects after a power change. */
    private void showConsole() {
        boolean offered = server.capabilities().contains("console") && server.powerState() == PowerState.RUNNING
                && server.status() == ServerStatus.ACTIVE;
        if (offered && console == null) {
            console = new ConsoleTerminal(String.valueOf(serverId));
            consoleBox.add(new H3("Console"), console);
        } else if (!offered && console != null) {
            consoleBox.removeAll();
            console = null;
        }
    }

    @Override
    protected void onAttach(AttachEvent event) {
        polling.start(event.getUI());
    }

    @Override
    protected void onDetach(DetachEvent event) {
        polling.stop();
    }
}
