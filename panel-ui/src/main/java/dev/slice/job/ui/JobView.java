package dev.slice.job.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.Actor;
import dev.slice.display.Times;
import dev.slice.job.Job;
import dev.slice.job.JobService;
import dev.slice.security.SignedInUser;
import jakarta.annotation.security.PermitAll;
import java.util.List;

/** One job: its steps, output and error, refreshed while it runs. Anyone may open jobs they may see. */
@Route("jobs/job")
@PageTitle("Job · Slice")
@PermitAll
public class JobView extends VerticalLayout implements HasUrlParameter<Long> {

    private final JobService jobs;
    private final Actor actor;
    private final H2 title = new H2();
    private final Paragraph facts = new Paragraph();
    private final JobProgress progress = new JobProgress();
    private final JobPolling polling;
    private long jobId;

    public JobView(JobService jobs, SignedInUser currentActor) {
        this.jobs = jobs;
        this.actor = currentActor.actor();
        this.polling = new JobPolling(this, this::refresh);
        addClassName("slice-page");
        facts.setId("job-facts");
        add(title, facts, progress);
    }

    @Override
    public void setParameter(BeforeEvent event, Long id) {
        jobId = id;
        refresh(); // a job the caller may not see is "not found" (MissingView shows it)
    }

    /** @return whether to keep polling */
    private boolean refresh() {
        Job job = jobs.get(actor, jobId);
        title.setText(JobProgress.label(job));
        String server = JobLogView.serverLabel(job, jobs.serverNames(actor, List.of(job)));
        facts.setText((server.isEmpty() ? "" : "Server " + server + " · ") + "created " + Times.shown(job.createdAt())
                + (job.startedAt() == null ? "" : " · started " + Times.shown(job.startedAt()))
                + (job.finishedAt() == null ? "" : " · finished " + Times.shown(job.finishedAt())));
        progress.show(job, jobs.usualTimes(job), java.time.Instant.now());
        return job.status().active();
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
