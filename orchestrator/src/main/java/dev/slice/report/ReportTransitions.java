package dev.slice.report;

import static dev.slice.report.ReportStatus.CANCELLED;
import static dev.slice.report.ReportStatus.CANCELLING;
import static dev.slice.report.ReportStatus.FAILED;
import static dev.slice.report.ReportStatus.QUEUED;
import static dev.slice.report.ReportStatus.RUNNING;
import static dev.slice.report.ReportStatus.SUCCEEDED;

import dev.slice.error.ConflictException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The one table of allowed report-run status changes. A cancelled run still cleans up before it is cancelled. */
public final class ReportTransitions {
    private static final Map<ReportStatus, Set<ReportStatus>> ALLOWED = new EnumMap<>(ReportStatus.class);

    static {
        allow(QUEUED, RUNNING, CANCELLING, FAILED);
        allow(RUNNING, SUCCEEDED, CANCELLING, FAILED);
        allow(CANCELLING, CANCELLED, FAILED);
        allow(SUCCEEDED);
        allow(FAILED);
        allow(CANCELLED);
    }

    private ReportTransitions() {}

    private static void allow(ReportStatus from, ReportStatus... to) {
        ALLOWED.put(from, to.length == 0 ? EnumSet.noneOf(ReportStatus.class) : EnumSet.of(to[0], to));
    }

    public static boolean allowed(ReportStatus from, ReportStatus to) {
        return ALLOWED.get(from).contains(to);
    }

    public static void require(ReportStatus from, ReportStatus to) {
        if (!allowed(from, to)) {
            throw new ConflictException("a report run that is " + from.id() + " cannot become " + to.id());
        }
    }
}
