package dev.slice.report.reading;

import dev.slice.account.Actor;
import dev.slice.api.SliceApi;
import dev.slice.report.ReportService;
import dev.slice.report.Sample;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Reading benchmark runs (operators only): what a run means, two runs side by side, boot times, plan fits, the JSON export. */
@SliceApi
@RestController
@RequestMapping("/api/reports")
public class ReportReadingController {
    private final ReportReadingService readings;
    private final ReportService reports;

    ReportReadingController(ReportReadingService readings, ReportService reports) {
        this.readings = readings;
        this.reports = reports;
    }

    /**
     * The run's results and what they mean: densest and cheapest backend per guest at the plan size, a host's monthly
     * revenue per backend, the classic claims checked on this host, and published figures beside the measured ones.
     */
    @GetMapping("/{id}/meaning")
    ReportReadingService.Reading meaning(Actor actor, @PathVariable long id) {
        return readings.read(actor, id);
    }

    /** Two runs side by side: ratios with intervals, which changed beyond both intervals, summaries, differing host facts. */
    @GetMapping("/{id}/compare/{otherId}")
    ReportComparison compare(Actor actor, @PathVariable long id, @PathVariable long otherId) {
        return readings.compare(actor, id, otherId);
    }

    /** Every guest's boot time (create + start until it ran a command) with its concurrency. */
    @GetMapping("/{id}/boot-times")
    List<ReportReadingService.BootTime> bootTimes(Actor actor, @PathVariable long id) {
        return readings.bootTimes(actor, id);
    }

    /** Every sample as a JSON file to download (the same rows as /samples and /samples.csv). */
    @GetMapping(value = "/{id}/samples.json", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<List<Sample>> samplesJson(Actor actor, @PathVariable long id) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"report-" + id + "-samples.json\"")
                .contentType(MediaType.APPLICATION_JSON).body(reports.samples(actor, id));
    }

    /** How many guests of a plan fit on each node per backend, from the latest report of each (empty: no report yet). */
    @GetMapping("/plan-fits/{planId}")
    ReportReadingService.PlanFits planFits(Actor actor, @PathVariable long planId) {
        return readings.planFits(actor, planId);
    }
}
