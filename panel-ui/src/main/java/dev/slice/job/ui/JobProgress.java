package dev.slice.job.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.progressbar.ProgressBar;
import dev.slice.job.Job;
import dev.slice.job.JobStep;
import dev.slice.job.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Locale;

/** One job's steps with their state, its output and error; redrawn from the latest {@link Job} row. */
public class JobProgress extends Div {

    private final Span status = new Span();
    private final ProgressBar bar = new ProgressBar(0, 1);
    private final UnorderedList steps = new UnorderedList();
    private final Pre output = new Pre();
    private final Pre error = new Pre();

    public JobProgress() {
        setWidthFull();
        status.setId("job-status");
        status.addClassName("slice-status");
        steps.setId("job-steps");
        output.setId("job-output");
        output.addClassName("slice-output");
        error.setId("job-error");
        error.addClassName("slice-output");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        add(status, bar, steps, output, error);
    }

    public void show(Job job) {
        show(job, Map.of(), Instant.now());
    }

    /**
     * With how long each step took, and for the running one how long it has run and how long it usually takes on this
     * backend ({@code usual}, from {@code JobService.usualTimes}): a step that waits a minute says so.
     */
    public void show(Job job, Map<Step, Duration> usual, Instant now) {
        String state = job.status().id();
        status.setText(label(job) + ": " + state + (job.attempts() > 1 ? " (attempt " + job.attempts() + " of " + job.maxAttempts() + ")" : ""));
        status.setClassName("slice-status " + state);
        bar.setValue(job.progress());
        bar.setIndeterminate(job.status().active() && job.progress() == 0);
        steps.removeAll();
        for (JobStep step : job.steps()) {
            ListItem item = new ListItem(marker(step.status()) + " " + words(step.step().id()) + " — " + step.status()
                    + timing(step, usual.get(step.step()), now));
            item.setId("job-step-" + step.step().id());
            item.getElement().setAttribute("data-status", step.status());
            steps.add(item);
        }
        boolean hasOutput = job.output() != null && !job.output().isBlank();
        output.setText(hasOutput ? job.output() : "");
        output.setVisible(hasOutput);
        boolean hasError = job.error() != null && !job.error().isBlank();
        error.setText(hasError ? job.error() : "");
        error.setVisible(hasError);
    }

    /** " (12 s)" for a finished step; " for 23 s, usually about 55 s" for a running one (as far as is known). */
    static String timing(JobStep step, Duration usual, Instant now) {
        if (step.startedAt() == null) return "";
        if (step.status().equals("running")) {
            String running = " for " + seconds(Duration.between(step.startedAt(), now));
            return usual == null ? running : running + ", usually about " + seconds(usual);
        }
        if (step.finishedAt() == null) return "";
        return " (" + seconds(Duration.between(step.startedAt(), step.finishedAt())) + ")";
    }

    private static String seconds(Duration duration) {
        long s = Math.max(0, Math.round(duration.toMillis() / 1000.0));
        return s < 120 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }

    static String label(Job job) {
        return "Job #" + job.id() + " " + job.kind().id();
    }

    static String words(String id) {
        String text = id.replace('_', ' ');
        return Character.toUpperCase(text.charAt(0)) + text.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String marker(String stepStatus) {
        return switch (stepStatus) {
            case "done" -> "✓";
            case "running" -> "…";
            case "failed" -> "✗";
            default -> "○";
        };
    }
}
