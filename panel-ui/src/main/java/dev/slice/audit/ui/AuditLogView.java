package dev.slice.audit.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.Actor;
import dev.slice.audit.AuditEntry;
import dev.slice.audit.AuditLog;
import dev.slice.display.EmptyState;
import dev.slice.display.GridSorts;
import dev.slice.display.ListSearch;
import dev.slice.display.ResponsiveGrid;
import dev.slice.display.Times;
import dev.slice.security.SignedInUser;
import dev.slice.security.Roles;
import jakarta.annotation.security.RolesAllowed;

/** Who did what to which thing, as sentences, newest first, page by page; searched and sorted by the audit log. */
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
        Grid.Column<AuditEntry> when = grid.addColumn(e -> Times.shown(e.at())).setHeader("When").setWidth("8rem").setFlexGrow(0)
                .setSortProperty(GridSorts.key(AuditLog.Sort.AT));
        Grid.Column<AuditEntry> who = grid.addColumn(AuditEntry::actorName).setHeader("Who").setAutoWidth(true)
                .setSortProperty(GridSorts.key(AuditLog.Sort.ACTOR));
        Grid.Column<AuditEntry> action = grid.addColumn(AuditEntry::action).setHeader("Action").setAutoWidth(true)
                .setSortProperty(GridSorts.key(AuditLog.Sort.ACTION));
        // The sentence takes the room that is left and wraps: it is what people read.
        Grid.Column<AuditEntry> what = grid.addColumn(AuditEntry::sentence).setHeader("What happened").setWidth("8rem").setFlexGrow(1);
        // A phone has no room for four columns, and who did what when is the point of the log: one card per entry there.
        Grid.Column<AuditEntry> card = grid.addColumn(LitRenderer.<AuditEntry>of("""
                        <div class="slice-audit-card"><span class="slice-audit-when">${item.when}</span>\
                        <span><b class="slice-audit-who">${item.who}</b> · <span class="slice-audit-action">${item.action}</span></span>\
                        <span class="slice-audit-what">${item.what}</span></div>""")
                        .withProperty("when", e -> Times.shown(e.at())).withProperty("who", AuditEntry::actorName)
                        .withProperty("action", AuditEntry::action).withProperty("what", AuditEntry::sentence))
                .setHeader("When, who and action").setFlexGrow(1).setSortProperty(GridSorts.key(AuditLog.Sort.AT));
        ResponsiveGrid.fit(grid).from(ResponsiveGrid.DESKTOP, action).cardsBelow(ResponsiveGrid.TABLET, card, when, who, what);
        ListSearch search = new ListSearch("audit-search", "Who, action, target or detail");
        EmptyState empty = new EmptyState("audit-empty", "Nothing recorded yet — actions and sign-ins appear here.", null, null).on(grid);
        grid.setItems(query -> audit.page(actor, search.text(), GridSorts.of(query, AuditLog.Sort.class, AuditLog.NEWEST_FIRST),
                        query.getOffset(), query.getLimit()).stream(),
                query -> (int) Math.min(Integer.MAX_VALUE, audit.count(actor, search.text())));
        search.reloads(grid, empty);
        add(new H2("Audit log"), search, grid);
        setFlexGrow(1, grid);
    }
}
