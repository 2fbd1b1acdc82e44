package dev.slice.report;

import dev.slice.account.Actor;
import dev.slice.api.Page;
import dev.slice.api.SliceApi;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Operators' benchmark runs: density and overhead of every backend against bare metal. */
@SliceApi
@RestController
@RequestMapping("/api/reports")
public class ReportController {
    private final ReportService reports;

    ReportController(ReportService reports) {
        this.reports = reports;
    }

    /** The run and the job that carries it out; poll GET /api/reports/{id} or GET /api/jobs/{jobId}. */
    public record Started(long runId, long jobId, ReportRun run) {}

    /** Starts a run on a node (202): every field may be left out for the defaults. */
    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    Started start(Actor actor, @RequestBody(required = false) ReportService.StartRequest request) {
        ReportRun run = reports.start(actor, request == null ? new ReportService.StartRequest(null, null, null, null, null, null, null, null) : request);
        return new Started(run.id(), run.jobId(), run);
    }

    @GetMapping
    Page<ReportRun> list(Actor actor, @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        dev.slice.api.Paging.check(offset, limit);
        return new Page<>(reports.page(actor, offset, limit), reports.count(actor));
    }

    @GetMapping("/{id}")
    ReportRun get(Actor actor, @PathVariable long id) {
        return reports.get(actor, id);
    }

    /** Figures per target, ratios per backend x metric with intervals, and each backend's geometric mean. */
    @GetMapping("/{id}/results")
    ReportResults results(Actor actor, @PathVariable long id) {
        return reports.results(actor, id);
    }

    /** Every sample (warm-ups included, flagged) with the host's load when it was taken. */
    @GetMapping("/{id}/samples")
    List<Sample> samples(Actor actor, @PathVariable long id) {
        return reports.samples(actor, id);
    }

    /** The same samples as CSV, one row each. */
    @GetMapping(value = "/{id}/samples.csv", produces = "text/csv")
    ResponseEntity<String> samplesCsv(Actor actor, @PathVariable long id) {
        StringBuilder csv = new StringBuilder("run,target,round,warm_up,metric,value,unit,direct_io,load_average,cpu_pressure,"
                + "memory_pressure,mem_available_mib,taken_at\n");
        for (Sample s : reports.samples(actor, id)) {
            csv.append(id).append(',').append(s.target()).append(',').append(s.round()).append(',').append(s.warmUp()).append(',')
                    .append(s.metric().id()).append(',').append(number(s.value())).append(',').append(s.metric().unit()).append(',')
                    .append(s.directIo()).append(',').append(number(s.load().loadAverage())).append(',')
                    .append(number(s.load().cpuPressure())).append(',').append(number(s.load().memoryPressure())).append(',')
                    .append(s.load().memAvailableMiB()).append(',').append(s.takenAt()).append('\n');
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"report-" + id + "-samples.csv\"")
                .contentType(MediaType.parseMediaType("text/csv")).body(csv.toString());
    }

    /** Asks the run to stop: it ends cancelled after destroying every guest it made. */
    @PostMapping("/{id}/cancel")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ReportRun cancel(Actor actor, @PathVariable long id) {
        return reports.cancel(actor, id);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
