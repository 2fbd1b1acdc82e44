package dev.slice.node.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.display.Sizes;
import dev.slice.display.Times;
import dev.slice.node.Node;
import dev.slice.node.NodeBackend;
import dev.slice.node.NodeService;
import dev.slice.node.NodeView;
import dev.slice.security.SignedInUser;
import dev.slice.security.Roles;
import jakarta.annotation.security.RolesAllowed;

/** The operator's nodes: capacity (after overcommit) against what is allocated, and each backend's probe. */
@Route("nodes")
@PageTitle("Nodes · Slice")
@Menu(title = "Nodes", order = 20, icon = "vaadin:server")
@RolesAllowed(Roles.OPERATOR)
public class NodesView extends VerticalLayout {

    public NodesView(NodeService nodes, SignedInUser actor) {
        addClassName("slice-page");
        add(new H2("Nodes"));
        for (NodeView view : nodes.list(actor.actor())) {
            add(node(view));
        }
    }

    private static Div node(NodeView view) {
        Node node = view.node();
        Div box = new Div();
        box.setId("node-" + node.name());
        box.setWidthFull();
        box.add(new H3(node.name() + (node.enabled() ? "" : " (disabled)")));
        box.add(new Span(view.servers() + " servers"));
        box.add(usage("vCPUs", view.usedVcpus(), node.cpus() * node.cpuOvercommit(), node.cpus(), node.cpuOvercommit(), false));
        box.add(usage("Memory", view.usedMemoryMiB(), node.memoryMiB() * node.memoryOvercommit(), node.memoryMiB(), node.memoryOvercommit(), true));
        box.add(usage("Disk", view.usedDiskMiB(), node.diskMiB() * node.diskOvercommit(), node.diskMiB(), node.diskOvercommit(), true));

        Grid<NodeBackend> backends = new Grid<>(NodeBackend.class, false);
        backends.setId("backends-" + node.name());
        backends.addColumn(NodeBackend::backend).setHeader("Backend").setAutoWidth(true);
        backends.addColumn(b -> b.available() ? "found" : "missing").setHeader("State").setAutoWidth(true)
                .setPartNameGenerator(b -> b.available() ? "found" : "missing");
        backends.addColumn(b -> b.driverName() == null ? "" : b.driverName()).setHeader("Driver").setAutoWidth(true);
        backends.addColumn(b -> b.version() == null ? "" : b.version()).setHeader("Version").setAutoWidth(true);
        backends.addColumn(NodeBackend::detail).setHeader("Detail (why missing / what it uses)").setFlexGrow(1).setWidth("40%");
        backends.addColumn(b -> Times.utc(b.probedAt())).setHeader("Probed").setAutoWidth(true);
        backends.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        backends.setItems(view.backends());
        backends.setAllRowsVisible(true);
        box.add(backends);
        return box;
    }

    private static Div usage(String what, long used, double capacity, long physical, double overcommit, boolean mib) {
        ProgressBar bar = new ProgressBar(0, Math.max(1, capacity), Math.min(used, Math.max(1, capacity)));
        String text = what + ": " + (mib ? Sizes.mib(used) : used) + " of " + (mib ? Sizes.mib((long) capacity) : (long) capacity)
                + " allocated (" + (mib ? Sizes.mib(physical) : physical) + " physical × " + overcommit + " overcommit)";
        Div row = new Div(new Span(text), bar);
        row.setWidth("min(640px, 100%)");
        return row;
    }
}
