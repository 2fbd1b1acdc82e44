package dev.slice.job.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.Actor;
import dev.slice.display.EmptyState;
import dev.slice.display.GridSorts;
import dev.slice.display.ListSearch;
import dev.slice.display.ResponsiveGrid;
import dev.slice.display.Times;
import dev.slice.job.Job;
import dev.slice.job.JobService;
import dev.slice.security.SignedInUser;
import dev.slice.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.slice.server.ServerName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every job, newest first, loaded page by page; a row opens the job's steps, output and error. */
@Route("jobs")
@PageTitle("Jobs · Slice")
@Menu(title = "Job log", order = 30, icon = "vaadin:tasks")
@RolesAllowed(Roles.OPERATOR)
public class JobLogView extends VerticalLayout {

    public JobLogView(JobService jobs, SignedInUser currentActor) {
        addClassName("slice-page");
        setSizeFull();
        Actor actor = currentActor.actor();
        Grid<Job> grid = new Grid<>(Job.class, false);
        grid.setId("jobs");
        grid.addColumn(Job::id).setHeader("Job").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(j -> j.kind().id()).setHeader("Kind").setWidth("5rem").setFlexGrow(0);
        // Named as people know servers; the names are read once per page of jobs, not once per row.
        Map<Long, ServerName> names = new HashMap<>();
        Grid.Column<Job> server = grid.addColumn(j -> serverLabel(j, names)).setHeader("Server").setAutoWidth(true);
        grid.addColumn(j -> j.status().id()).setHeader("Status").setAutoWidth(true);
        Grid.Column<Job> steps = grid.addColumn(j -> j.nextStep() + " / " + j.steps().size()).setHeader("Steps").setAutoWidth(true);
        Grid.Column<Job> attempts = grid.addColumn(Job::attempts).setHeader("Attempts").setAutoWidth(true);
        Grid.Column<Job> created = grid.addColumn(j -> Times.shown(j.createdAt())).setHeader("Created").setWidth("8rem");
        Grid.Column<Job> finished = grid.addColumn(j -> Times.shown(j.finishedAt())).setHeader("Finished").setWidth("8rem");
        // The error is what the operator looks for: it takes the room that is left and wraps.
        grid.addColumn(j -> j.error() == null ? "" : j.error()).setHeader("Error").setWidth("4rem").setFlexGrow(1);
        ResponsiveGrid.fit(grid).from(ResponsiveGrid.WIDE, attempts, created).from(ResponsiveGrid.DESKTOP, steps, finished)
                .from(ResponsiveGrid.TABLET, server);
        GridSorts.byHeader(grid, JobService.Sort.class, Map.of("Job", JobService.Sort.ID, "Kind", JobService.Sort.KIND,
                "Server", JobService.Sort.SERVER, "Status", JobService.Sort.STATUS, "Created", JobService.Sort.CREATED,
                "Finished", JobService.Sort.FINISHED));
        ListSearch search = new ListSearch("jobs-search", "Kind, status, error, hostname, owner or #server");
        grid.setItems(query -> {
                    List<Job> page = jobs.page(actor, search.text(), GridSorts.of(query, JobService.Sort.class, JobService.NEWEST_FIRST),
                            query.getOffset(), query.getLimit());
                    names.putAll(jobs.serverNames(actor, page));
                    return page.stream();
                },
                query -> (int) Math.min(Integer.MAX_VALUE, jobs.count(actor, search.text())));
        search.reloads(grid, new EmptyState("jobs-empty", "No jobs yet — ordering, starting or stopping a server makes one.", null, null).on(grid));
        grid.addItemClickListener(e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(JobView.class, e.getItem().id())));
        add(new H2("Job log"), search, grid);
        setFlexGrow(1, grid);
    }

    static String serverLabel(Job job, Map<Long, ServerName> names) {
        if (job.serverId() == null) return "";
        ServerName name = names.get(job.serverId());
        return name == null ? "#" + job.serverId() : name.label();
    }
}
