package dev.slice.report.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.Actor;
import dev.slice.display.Times;
import dev.slice.error.ConflictException;
import dev.slice.job.Job;
import dev.slice.job.JobService;
import dev.slice.job.ui.JobPolling;
import dev.slice.job.ui.JobProgress;
import dev.slice.report.ReportRun;
import dev.slice.report.ReportService;
import dev.slice.report.reading.ReportReadingService;
import dev.slice.security.Roles;
import dev.slice.security.SignedInUser;
import jakarta.annotation.security.RolesAllowed;

/**
 * One benchmark run: while it goes, its job's progress bar and current step and a cancel button; once it has
 * ended, the report (ratios, charts, density, what it means, host facts) with CSV and JSON downloads and a
 * printable layout.
 */
@Route("reports/run")
@PageTitle("Report · Slice")
@RolesAllowed(Roles.OPERATOR)
public class ReportView extends VerticalLayout implements HasUrlParameter<Long> {

    private final ReportService reports;
    private final ReportReadingService readings;
    private final JobService jobs;
    private final Actor actor;
    private final H2 title = new H2();
    private final Paragraph facts = new Paragraph();
    private final Span status = new Span();
    private final Span samples = new Span();
    private final JobProgress progress = new JobProgress();
    private final Button cancel = new Button("Cancel run");
    private final Div report = new Div();
    private final JobPolling polling;
    private long runId;
    private boolean shown;

    public ReportView(ReportService reports, ReportReadingService readings, JobService jobs, SignedInUser user) {
        this.reports = reports;
        this.readings = readings;
        this.jobs = jobs;
        this.actor = user.actor();
        this.polling = new JobPolling(this, this::refresh, 1000);
        addClassName("slice-page");
        addClassName("slice-report");
        status.setId("report-status");
        status.addClassName("slice-status");
        samples.setId("report-samples");
        progress.setId("report-progress");
        progress.addClassName("slice-no-print");
        cancel.setId("report-cancel");
        cancel.addThemeVariants(ButtonVariant.LUMO_ERROR);
        cancel.addClassName("slice-no-print");
        cancel.addClickListener(e -> {
            try {
                reports.cancel(actor, runId);
            } catch (ConflictException ignored) {
                // it ended meanwhile: the next refresh shows how
            }
            refresh();
        });
        report.setId("report");
        report.setWidthFull();
        add(title, facts, status, samples, cancel, progress, report);
    }

    @Override
    public void setParameter(BeforeEvent event, Long id) {
        runId = id;
        shown = false;
        report.removeAll();
        refresh(); // an unknown run is "not found" (MissingView shows it)
    }

    /** @return whether to keep polling */
    private boolean refresh() {
        ReportRun run = reports.get(actor, runId);
        title.setText("Report #" + run.id());
        facts.setText(String.join(", ", run.backends()) + " against bare metal · " + run.vcpus() + " vCPU, " + run.memoryMiB()
                + " MiB, " + run.diskMiB() + " MiB disk · " + run.depth().id() + " · started " + Times.shown(run.createdAt())
                + (run.finishedAt() == null ? "" : " · finished " + Times.shown(run.finishedAt())));
        status.setText("Run " + run.status().id() + (run.error() == null ? "" : ": " + run.error()));
        status.setClassName("slice-status " + run.status().id());
        Job job = jobs.get(actor, run.jobId());
        progress.show(job);
        cancel.setVisible(run.status().active() && run.status() != dev.slice.report.ReportStatus.CANCELLING);
        if (run.status().active()) {
            samples.setText(reports.samples(actor, runId).size() + " samples recorded so far");
            return true;
        }
        samples.setText("");
        if (!shown) {
            shown = true;
            report.removeAll();
            report.add(new ReportSections(readings.read(actor, runId), readings.bootTimes(actor, runId)));
        }
        // The run ends inside its job's last step: keep polling until the job has recorded that step too.
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
