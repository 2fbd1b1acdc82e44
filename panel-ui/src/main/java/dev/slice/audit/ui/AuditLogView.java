package dev.slice.audit.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.Actor;
import dev.slice.audit.AuditEntry;
import dev.slice.audit.AuditLog;
import dev.slice.display.ResponsiveGrid;
import dev.slice.display.Times;
import dev.slice.security.SignedInUser;
import dev.slice.security.Roles;
import jakarta.annotation.security.RolesAllowed;

/** Who did what to which thing, newest first, page by page. */
@Route("audit")
@PageTitle("Audit log · Slice")
@Menu(title = "Audit log", order = 31, icon = "vaadin:records")
@RolesAllowed(Roles.OPERATOR)
public class AuditLogView extends VerticalLayout {

    public AuditLogView(AuditLog audit, SignedInUser currentActor) {
        addClassName("slice-page");
        setSizeFull();
        Actor actor = currentActor.actor();
        Grid<AuditEntry> grid = new Grid<>(AuditEntry.class, false);
        grid.setId("audit");
        grid.addColumn(e -> Times.shown(e.at())).setHeader("When").setWidth("8rem").setFlexGrow(0);
        Grid.Column<AuditEntry> who = grid.addColumn(AuditEntry::actorName).setHeader("Who").setAutoWidth(true);
        grid.addColumn(AuditEntry::action).setHeader("Action").setAutoWidth(true);
        Grid.Column<AuditEntry> target = grid.addColumn(e -> e.targetType() + (e.targetId() == null ? "" : " #" + e.targetId()))
                .setHeader("Target").setAutoWidth(true);
        // The detail takes the room that is left and wraps; on a phone it is the row's second line of sight.
        Grid.Column<AuditEntry> detail = grid.addColumn(AuditEntry::detail).setHeader("Detail").setWidth("8rem").setFlexGrow(1);
        ResponsiveGrid.fit(grid).from(ResponsiveGrid.DESKTOP, target).from(ResponsiveGrid.TABLET, who, detail);
        grid.setItems(query -> audit.page(actor, query.getOffset(), query.getLimit()).stream(),
                query -> (int) Math.min(Integer.MAX_VALUE, audit.count(actor)));
        add(new H2("Audit log"), grid);
        setFlexGrow(1, grid);
    }
}
