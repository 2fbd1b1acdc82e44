package dev.slice.node.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.data.provider.ListDataView;
import com.vaadin.flow.function.SerializablePredicate;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.Actor;
import dev.slice.display.EmptyState;
import dev.slice.display.GridSorts;
import dev.slice.display.ListSearch;
import dev.slice.display.ResponsiveGrid;
import dev.slice.display.Sizes;
import dev.slice.display.Times;
import dev.slice.node.AgentState;
import dev.slice.node.Node;
import dev.slice.node.NodeAgentStatus;
import dev.slice.node.NodeBackend;
import dev.slice.node.NodeService;
import dev.slice.node.NodeView;
import dev.slice.reconciler.Finding;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.reconciler.Reconciler;
import dev.slice.report.reading.ReportReadingService;
import dev.slice.report.ui.GuestFits;
import dev.slice.security.Roles;
import dev.slice.security.SignedInUser;
import jakarta.annotation.security.RolesAllowed;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The operator's nodes: a list searched by name, address, group or state and sorted by any column, then each listed
 * node's card in the list's order (capacity after overcommit against what is allocated, each backend's probe: found,
 * or why it is missing; the overcommit ratios), and what the reconciler found and left alone.
 */
@Route("nodes")
@PageTitle("Nodes · Slice")
@Menu(title = "Nodes", order = 20, icon = "vaadin:server")
@RolesAllowed(Roles.OPERATOR)
public class NodesView extends VerticalLayout {

    private final NodeService nodes;
    private final Reconciler reconciler;
    private final ReportReadingService readings;
    private final PlanService plans;
    private final Actor actor;
    private final Grid<NodeView> list = new Grid<>(NodeView.class, false);
    private final ListSearch search = new ListSearch("nodes-search", "Name, address, group or state");
    private final Select<AgentState> state = new Select<>();
    private final EmptyState empty = new EmptyState("nodes-empty",
            "No nodes yet — the panel adds its own host when it starts; add one for a node agent with POST /api/nodes.", null, null);
    /** The cards of the listed nodes, in the list's order. */
    private final Div cards = new Div();
    private final Div reconcilerFindings = new Div();
    private final Map<Long, Div> cardOf = new HashMap<>();
    private ListDataView<NodeView, ?> listed;
    private List<ReportReadingService.NodeFootprints> footprints = List.of();
    private List<Plan> activePlans = List.of();

    public NodesView(NodeService nodes, Reconciler reconciler, ReportReadingService readings, PlanService plans, SignedInUser user) {
        this.nodes = nodes;
        this.reconciler = reconciler;
        this.readings = readings;
        this.plans = plans;
        this.actor = user.actor();
        addClassName("slice-page");
        state.setId("nodes-state");
        state.setAriaLabel("Agent state");
        state.setEmptySelectionAllowed(true);
        state.setEmptySelectionCaption("Any state");
        state.setItems(AgentState.values());
        state.setItemLabelGenerator(s -> s == null ? "Any state" : stateLabel(s));
        search.setWidth("min(20rem, 100%)");
        search.onChange(this::filtered);
        state.addValueChangeListener(e -> filtered());
        HorizontalLayout filters = new HorizontalLayout(search, state);
        filters.setId("nodes-filters");
        cards.setId("nodes-cards");
        cards.setWidthFull();
        reconcilerFindings.setWidthFull();
        add(new H2("Nodes"), filters, list(), cards, reconcilerFindings);
        refresh();
    }

    private Grid<NodeView> list() {
        list.setId("nodes");
        list.addColumn(v -> v.node().name()).setHeader("Node").setAutoWidth(true);
        list.addColumn(NodesView::stateText).setHeader("State").setWidth("7rem").setFlexGrow(1);
        Grid.Column<NodeView> address = list.addColumn(NodesView::address).setHeader("Address").setAutoWidth(true);
        Grid.Column<NodeView> servers = list.addColumn(NodeView::servers).setHeader("Servers").setAutoWidth(true);
        Grid.Column<NodeView> group = list.addColumn(v -> v.node().nodeGroup()).setHeader("Group").setAutoWidth(true);
        Grid.Column<NodeView> vcpus = list.addColumn(v -> v.usedVcpus() + " of " + (long) (v.node().cpus() * v.node().cpuOvercommit()))
                .setHeader("vCPUs").setAutoWidth(true);
        Grid.Column<NodeView> memory = list.addColumn(v -> Sizes.mib(v.usedMemoryMiB()) + " of "
                + Sizes.mib((long) (v.node().memoryMiB() * v.node().memoryOvercommit()))).setHeader("Memory").setAutoWidth(true);
        ResponsiveGrid.fit(list).from(ResponsiveGrid.DESKTOP, group, vcpus, memory).from(ResponsiveGrid.TABLET, address, servers);
        GridSorts.inMemory(list, Map.entry("Node", v -> v.node().name()), Map.entry("State", NodesView::stateText),
                Map.entry("Address", NodesView::address), Map.entry("Servers", NodeView::servers), Map.entry("Group", v -> v.node().nodeGroup()),
                Map.entry("vCPUs", NodeView::usedVcpus), Map.entry("Memory", NodeView::usedMemoryMiB));
        empty.on(list);
        list.setAllRowsVisible(true);
        list.addSortListener(e -> showCards());
        list.addItemClickListener(e -> {
            Div card = cardOf.get(e.getItem().node().id());
            if (card != null) card.scrollIntoView();
        });
        return list;
    }

    private void refresh() {
        footprints = readings.latestFootprints(actor);
        activePlans = plans.list(actor).stream().filter(Plan::active).toList();
        List<NodeView> views = nodes.list(actor);
        cardOf.clear();
        for (NodeView view : views) cardOf.put(view.node().id(), node(view));
        listed = list.setItems(views);
        SerializablePredicate<NodeView> text = search.matcher(v -> Stream.of(v.node().name(), address(v), v.node().nodeGroup(), stateText(v)));
        listed.setFilter(v -> text.test(v) && (state.getValue() == null || (v.agent() != null && v.agent().state() == state.getValue())));
        showCards();
        reconcilerFindings.removeAll();
        reconcilerFindings.add(findings(reconciler.findings(actor)));
    }

    private void filtered() {
        empty.searching(search.isSearching() || state.getValue() != null);
        listed.refreshAll();
        showCards();
    }

    /** The cards follow the list: the nodes it shows, in its order (getItems is filtered and sorted as the grid is). */
    private void showCards() {
        cards.removeAll();
        listed.getItems().forEach(v -> cards.add(cardOf.get(v.node().id())));
    }

    private static String address(NodeView view) {
        return view.agent() == null || view.agent().address() == null ? "" : view.agent().address();
    }

    /** What the search and the State column call a node's state: its agent's, then draining and disabled. */
    private static String stateText(NodeView view) {
        String agent = view.agent() == null ? "" : stateLabel(view.agent().state());
        return Stream.of(agent, view.node().draining() ? "draining" : "", view.node().enabled() ? "" : "disabled")
                .filter(s -> !s.isEmpty()).reduce((a, b) -> a + " · " + b).orElse("");
    }

    private static String stateLabel(AgentState state) {
        return switch (state) {
            case ONLINE -> "online";
            case UNREACHABLE -> "unreachable";
            case AWAITING -> "awaiting agent";
        };
    }

    private Div node(NodeView view) {
        Node node = view.node();
        Div box = new Div();
        box.setId("node-" + node.name());
        box.setWidthFull();
        Button overcommit = new Button("Overcommit…", e -> new OvercommitDialog(node,
                (cpu, memory, disk) -> nodes.setOvercommit(actor, node.id(), cpu, memory, disk), this::refresh).open());
        overcommit.setId("overcommit-" + node.name());
        overcommit.addThemeVariants(ButtonVariant.LUMO_SMALL);
        Button placement = new Button("Placement…", e -> new PlacementDialog(node,
                (group, draining) -> nodes.setPlacement(actor, node.id(), group, draining), this::refresh).open());
        placement.setId("placement-" + node.name());
        placement.addThemeVariants(ButtonVariant.LUMO_SMALL);
        HorizontalLayout title = new HorizontalLayout(new H3(node.name() + (node.enabled() ? "" : " (disabled)")), overcommit, placement);
        title.setAlignItems(Alignment.BASELINE);
        title.getStyle().set("flex-wrap", "wrap");
        box.add(title);
        Span group = new Span("Group " + node.nodeGroup() + (node.draining() ? " · draining: takes no new servers" : ""));
        group.setId("group-" + node.name());
        if (node.draining()) group.getElement().getThemeList().add("badge contrast");
        box.add(new Div(group));
        box.add(agent(node, view.agent()));
        box.add(new Span(view.servers() + " servers"));
        box.add(usage("vCPUs", view.usedVcpus(), node.cpus() * node.cpuOvercommit(), node.cpus(), node.cpuOvercommit(), false));
        box.add(usage("Memory", view.usedMemoryMiB(), node.memoryMiB() * node.memoryOvercommit(), node.memoryMiB(), node.memoryOvercommit(), true));
        box.add(usage("Disk", view.usedDiskMiB(), node.diskMiB() * node.diskOvercommit(), node.diskMiB(), node.diskOvercommit(), true));

        Grid<NodeBackend> backends = new Grid<>(NodeBackend.class, false);
        backends.setId("backends-" + node.name());
        backends.addColumn(NodeBackend::backend).setHeader("Backend").setAutoWidth(true);
        backends.addColumn(b -> b.available() ? "found" : "missing").setHeader("State").setAutoWidth(true)
                .setPartNameGenerator(b -> b.available() ? "found" : "missing");
        Grid.Column<NodeBackend> driver = backends.addColumn(b -> b.driverName() == null ? "" : b.driverName()).setHeader("Driver")
                .setAutoWidth(true);
        Grid.Column<NodeBackend> version = backends.addColumn(b -> b.version() == null ? "" : b.version()).setHeader("Version")
                .setWidth("7rem");
        // Each backend has its own capacity (a QEMU host's memory for guests, the OCI runtime's disk), beside what its
        // servers hold; the node's totals above are the ones placement uses.
        Grid.Column<NodeBackend> capacity = backends.addColumn(NodesView::capacityText).setHeader("Capacity · held by its servers")
                .setWidth("9rem").setFlexGrow(1);
        // Why a backend is missing is the point of this table: the detail keeps the room that is left, and wraps.
        backends.addColumn(NodeBackend::detail).setHeader("Detail (why missing / what it uses)").setWidth("8rem").setFlexGrow(3);
        Grid.Column<NodeBackend> probed = backends.addColumn(b -> Times.shown(b.probedAt())).setHeader("Probed").setWidth("8rem");
        ResponsiveGrid.fit(backends).from(ResponsiveGrid.WIDE, probed).from(ResponsiveGrid.DESKTOP, version)
                .from(ResponsiveGrid.TABLET, driver, capacity);
        backends.setItems(view.backends());
        backends.setAllRowsVisible(true);
        box.add(backends);
        box.add(GuestFits.forNode(node, footprints, activePlans));
        return box;
    }

    /** The node's agent: online, unreachable (its servers' power unknown, its jobs waiting) or not registered yet. */
    private static Div agent(Node node, NodeAgentStatus agent) {
        Div row = new Div();
        row.setId("agent-" + node.name());
        if (agent == null) return row;
        String text = switch (agent.state()) {
            case ONLINE -> "Agent online" + (agent.address() == null ? "" : " at " + agent.address()) + ", last seen " + Times.shown(agent.lastSeen());
            case UNREACHABLE -> "Agent unreachable since " + Times.shown(agent.stateSince()) + ", last seen " + Times.shown(agent.lastSeen())
                    + ": power states unknown, jobs wait for it";
            case AWAITING -> "No agent has registered yet" + (agent.hasCredential() ? " (give it the credential shown when the node was added)" : "");
        };
        Span state = new Span(text);
        state.getElement().getThemeList().add("badge " + switch (agent.state()) {
            case ONLINE -> "success";
            case UNREACHABLE -> "error";
            case AWAITING -> "contrast";
        });
        row.add(state);
        return row;
    }

    private static Div usage(String what, long used, double capacity, long physical, double overcommit, boolean mib) {
        ProgressBar bar = new ProgressBar(0, Math.max(1, capacity), Math.min(used, Math.max(1, capacity)));
        String text = what + ": " + (mib ? Sizes.mib(used) : used) + " of " + (mib ? Sizes.mib((long) capacity) : (long) capacity)
                + " allocated (" + (mib ? Sizes.mib(physical) : physical) + " physical × " + overcommit + " overcommit)";
        Div row = new Div(new Span(text), bar);
        row.setWidth("min(640px, 100%)");
        return row;
    }

    /** Orphans (a guest no server owns) and lost servers (the guest is gone): reported, never deleted. */
    private static Div findings(List<Finding> open) {
        Div box = new Div(new H3("Reconciler findings"));
        box.setId("findings");
        box.setWidthFull();
        if (open.isEmpty()) {
            box.add(new Paragraph("Every guest belongs to a server and every server has its guest."));
            return box;
        }
        Grid<Finding> grid = new Grid<>(Finding.class, false);
        grid.addColumn(Finding::kind).setHeader("Finding").setAutoWidth(true);
        Grid.Column<Finding> backend = grid.addColumn(Finding::backend).setHeader("Backend").setAutoWidth(true);
        grid.addColumn(Finding::guestId).setHeader("Guest").setAutoWidth(true);
        Grid.Column<Finding> server = grid.addColumn(f -> f.serverId() == null ? "" : "#" + f.serverId()).setHeader("Server").setAutoWidth(true);
        Grid.Column<Finding> firstSeen = grid.addColumn(f -> Times.shown(f.firstSeen())).setHeader("First seen").setWidth("8rem");
        Grid.Column<Finding> lastSeen = grid.addColumn(f -> Times.shown(f.lastSeen())).setHeader("Last seen").setWidth("8rem");
        ResponsiveGrid.fit(grid).from(ResponsiveGrid.DESKTOP, firstSeen, backend).from(ResponsiveGrid.TABLET, server, lastSeen);
        grid.setItems(open);
        grid.setAllRowsVisible(true);
        box.add(grid);
        return box;
    }

    /** "2 vCPUs · 8,793 MiB · 75,002 MiB disk; held: 1 server, 1 vCPU · 256 MiB · 1,024 MiB", or what is known of it. */
    static String capacityText(NodeBackend backend) {
        NodeBackend.Held held = backend.held();
        String holds = held.servers() == 0 ? "no servers" : held.servers() + (held.servers() == 1 ? " server: " : " servers: ")
                + held.vcpus() + " vCPU · " + Sizes.mib(held.memoryMiB()) + " · " + Sizes.mib(held.diskMiB());
        if (backend.capacity() == null) return (backend.available() ? "not reported yet; " : "") + holds;
        var c = backend.capacity();
        return c.cpus() + " vCPUs · " + Sizes.mib(c.memoryMiB()) + " · " + Sizes.mib(c.diskMiB()) + " disk; " + holds;
    }
}
