package dev.slice.report.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import dev.slice.account.Actor;
import dev.slice.display.ResponsiveGrid;
import dev.slice.display.FieldErrors;
import dev.slice.display.Times;
import dev.slice.driver.BackendKind;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.error.ConflictException;
import dev.slice.error.ValidationException;
import dev.slice.job.ui.JobPolling;
import dev.slice.node.NodeBackend;
import dev.slice.node.NodeService;
import dev.slice.node.NodeView;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.report.ReportRun;
import dev.slice.report.ReportService;
import dev.slice.security.Roles;
import dev.slice.security.SignedInUser;
import jakarta.annotation.security.RolesAllowed;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operators' benchmark runs: start one on a node (backends, plan size, depth), the list of runs with their
 * status (refreshed while one is going), and two runs to compare. A run's page shows its progress and report.
 */
@Route("reports")
@PageTitle("Reports · Slice")
@Menu(title = "Reports", order = 25, icon = "vaadin:chart")
@RolesAllowed(Roles.OPERATOR)
public class ReportsView extends VerticalLayout {

    /** A plan size to measure, with the plans of that size. */
    record PlanSize(int vcpus, long memoryMiB, long diskMiB, String plans) {
        String label() {
            return vcpus + " vCPU · " + memoryMiB + " MiB · " + (diskMiB % 1024 == 0 ? diskMiB / 1024 + " GiB" : diskMiB + " MiB")
                    + " (" + plans + ")";
        }
    }

    private final ReportService reports;
    private final Actor actor;
    private final Select<NodeView> node = new Select<>();
    private final CheckboxGroup<String> backends = new CheckboxGroup<>("Backends");
    private final Select<PlanSize> size = new Select<>();
    private final RadioButtonGroup<String> depth = new RadioButtonGroup<>("Depth");
    private final FieldErrors errors = new FieldErrors();
    private final Grid<ReportRun> runs = new Grid<>(ReportRun.class, false);
    private final Select<ReportRun> first = new Select<>();
    private final Select<ReportRun> second = new Select<>();
    private final JobPolling polling;
    private final Map<Long, String> nodeNames = new LinkedHashMap<>();
    private List<Long> comparable = List.of();

    public ReportsView(ReportService reports, NodeService nodes, PlanService plans, DriverRegistry registry, SignedInUser user) {
        this.reports = reports;
        this.actor = user.actor();
        this.polling = new JobPolling(this, this::refresh, 2000);
        addClassName("slice-page");

        List<NodeView> nodeViews = nodes.list(actor);
        nodeViews.forEach(v -> nodeNames.put(v.node().id(), v.node().name()));
        node.setLabel("Node");
        node.setId("report-node");
        node.setItems(nodeViews);
        node.setItemLabelGenerator(v -> v.node().name());
        node.addValueChangeListener(e -> offerBackends(e.getValue(), registry));
        backends.setId("report-backends");
        backends.setHelperText("Every backend this node offers; one that cannot run commands in its guests (no GuestExec) cannot be measured yet");
        size.setLabel("Plan size");
        size.setId("report-size");
        List<PlanSize> sizes = sizes(plans.list(actor).stream().filter(p -> p.active() && p.ownerId() == actor.accountId()).toList());
        size.setItems(sizes);
        size.setItemLabelGenerator(PlanSize::label);
        if (!sizes.isEmpty()) size.setValue(sizes.getFirst());
        size.setHelperText("Default: the smallest starter plan; every backend is measured at the same size");
        depth.setId("report-depth");
        depth.setItems("quick", "full");
        depth.setValue("quick");
        depth.setItemLabelGenerator(d -> d.equals("quick") ? "Quick (a few minutes)" : "Full (the whole protocol, up to an hour)");
        errors.bind("nodeId", node).bind("backends", backends).bind("vcpus", size).bind("memoryMiB", size).bind("diskMiB", size)
                .bind("depth", depth);
        if (!nodeViews.isEmpty()) node.setValue(nodeViews.getFirst());

        Button start = new Button("Start benchmark run", e -> start());
        start.setId("report-start");
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        FormLayout form = new FormLayout(node, size, backends, depth, errors.general());
        form.setColspan(errors.general(), 2);

        runs.setId("report-runs");
        runs.addColumn(ReportRun::id).setHeader("Run").setAutoWidth(true).setFlexGrow(0);
        Grid.Column<ReportRun> onNode = runs.addColumn(r -> nodeNames.getOrDefault(r.nodeId(), "#" + r.nodeId())).setHeader("Node")
                .setAutoWidth(true);
        Grid.Column<ReportRun> measured = runs.addColumn(r -> String.join(", ", r.backends())).setHeader("Backends").setWidth("7rem");
        Grid.Column<ReportRun> planSize = runs.addColumn(r -> r.vcpus() + " vCPU, " + r.memoryMiB() + " MiB").setHeader("Plan size")
                .setWidth("6rem");
        Grid.Column<ReportRun> runDepth = runs.addColumn(r -> r.depth().id()).setHeader("Depth").setAutoWidth(true);
        runs.addColumn(r -> r.status().id()).setHeader("Status").setAutoWidth(true)
                .setPartNameGenerator(r -> r.status().id());
        Grid.Column<ReportRun> started = runs.addColumn(r -> Times.shown(r.createdAt())).setHeader("Started").setWidth("8rem");
        Grid.Column<ReportRun> finished = runs.addColumn(r -> Times.shown(r.finishedAt())).setHeader("Finished").setWidth("8rem");
        Grid.Column<ReportRun> error = runs.addColumn(r -> r.error() == null ? "" : r.error()).setHeader("Error").setWidth("8rem")
                .setFlexGrow(1);
        ResponsiveGrid.fit(runs).from(ResponsiveGrid.WIDE, runDepth, finished).from(ResponsiveGrid.DESKTOP, onNode, planSize)
                .from(ResponsiveGrid.TABLET, measured, error);
        runs.setItems(q -> reports.page(actor, q.getOffset(), q.getLimit()).stream(),
                q -> (int) Math.min(Integer.MAX_VALUE, reports.count(actor)));
        runs.addItemClickListener(e -> getUI().ifPresent(ui -> ui.navigate(ReportView.class, e.getItem().id())));
        runs.setAllRowsVisible(true);

        first.setLabel("Compare run");
        first.setId("compare-first");
        second.setLabel("with run");
        second.setId("compare-second");
        for (Select<ReportRun> pick : List.of(first, second)) {
            pick.setItemLabelGenerator(r -> "#" + r.id() + " " + nodeNames.getOrDefault(r.nodeId(), "") + " " + Times.shown(r.createdAt()));
        }
        Button compare = new Button("Compare", e -> {
            if (first.getValue() == null || second.getValue() == null) return;
            getUI().ifPresent(ui -> ui.navigate(CompareView.class, new RouteParameters(Map.of(
                    "first", String.valueOf(first.getValue().id()), "second", String.valueOf(second.getValue().id())))));
        });
        compare.setId("compare-runs");
        HorizontalLayout comparing = new HorizontalLayout(first, second, compare);
        comparing.setAlignItems(Alignment.BASELINE);

        add(new H2("Reports"), new H3("New benchmark run"), form, start, new H3("Runs"), runs, new H3("Compare two runs"), comparing);
        refresh();
    }

    private void offerBackends(NodeView view, DriverRegistry registry) {
        if (view == null) return;
        List<String> offered = view.backends().stream().filter(NodeBackend::available).map(NodeBackend::backend).toList();
        backends.setItems(offered);
        // The UI offers what a backend can do (its capabilities); the service still checks every request.
        List<String> measurable = offered.stream().filter(b -> registry.driver(BackendKind.fromId(b))
                .flatMap(d -> d.capability(GuestExec.class)).isPresent()).toList();
        backends.setItemEnabledProvider(measurable::contains);
        backends.setValue(new java.util.LinkedHashSet<>(measurable));
    }

    private void start() {
        errors.clear();
        PlanSize chosen = size.getValue();
        try {
            ReportRun run = reports.start(actor, new ReportService.StartRequest(node.getValue() == null ? null : node.getValue().node().id(),
                    backends.getValue().isEmpty() ? null : backends.getValue().stream().sorted().toList(),
                    chosen == null ? null : chosen.vcpus(), chosen == null ? null : chosen.memoryMiB(),
                    chosen == null ? null : chosen.diskMiB(), depth.getValue(), null, null));
            getUI().ifPresent(ui -> ui.navigate(ReportView.class, run.id()));
        } catch (ValidationException e) {
            errors.show(e);
        } catch (ConflictException e) {
            errors.showGeneral(e.getMessage());
        }
    }

    /** @return whether a run is still going (keep refreshing) */
    private boolean refresh() {
        runs.getDataProvider().refreshAll();
        List<ReportRun> recent = reports.page(actor, 0, 100);
        List<Long> ids = recent.stream().map(ReportRun::id).toList();
        if (!ids.equals(comparable)) {
            // Only when runs come or go: a poll must not undo what the operator picked.
            comparable = ids;
            first.setItems(recent);
            second.setItems(recent);
            if (recent.size() >= 2) {
                first.setValue(recent.get(1));
                second.setValue(recent.get(0));
            }
        }
        return recent.stream().anyMatch(r -> r.status().active());
    }

    /** Distinct plan sizes, smallest first (memory, then vCPUs, then disk). */
    static List<PlanSize> sizes(List<Plan> plans) {
        Map<String, List<Plan>> bySize = new LinkedHashMap<>();
        plans.stream().sorted(Comparator.comparingLong(Plan::memoryMiB).thenComparingInt(Plan::vcpus).thenComparingLong(Plan::diskMiB))
                .forEach(p -> bySize.computeIfAbsent(p.vcpus() + "/" + p.memoryMiB() + "/" + p.diskMiB(), k -> new java.util.ArrayList<>()).add(p));
        return bySize.values().stream().map(same -> new PlanSize(same.getFirst().vcpus(), same.getFirst().memoryMiB(),
                same.getFirst().diskMiB(), String.join(", ", same.stream().map(Plan::name).toList()))).toList();
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
