package dev.slice.report.ui;

import dev.slice.account.Actor;
import dev.slice.job.JobKind;
import dev.slice.job.JobQueue;
import dev.slice.report.Depth;
import dev.slice.report.HostFacts;
import dev.slice.report.HostLoad;
import dev.slice.report.Metric;
import dev.slice.report.ReportRepository;
import dev.slice.report.ReportStatus;
import dev.slice.report.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** A finished container run with a few figures, written through the repository as a run writes them (no guests). */
public final class EarlierRun {
    private EarlierRun() {}

    /** The run's job is written finished in the same transaction, so no worker ever takes it up. */
    public static long write(ReportRepository reports, JobQueue jobs, JdbcClient jdbc, PlatformTransactionManager transactions, long nodeId,
                      Actor operator) {
        Instant now = Instant.now();
        long job = new TransactionTemplate(transactions).execute(status -> {
            long id = jobs.enqueue(JobKind.REPORT, null, operator.accountId(), "{}", 3, now);
            jdbc.sql("update job set status = 'succeeded' where id = ?").param(id).update();
            return id;
        });
        long id = reports.insert(nodeId, job, List.of("oci"), 1, 256, 1024, Depth.QUICK, false, 2048, operator.accountId(), now);
        var run = reports.transition(reports.find(id).orElseThrow(), ReportStatus.RUNNING, null, now);
        reports.saveHostFacts(id, new HostFacts("earlier CPU", 2, 24_000, "6.1.0", "cgroup v1", false, "off", "unknown",
                Map.of("oci", "oci:runc")));
        HostLoad load = new HostLoad(1.0, 0, 0, 20_000);
        for (int round = 0; round < 4; round++) {
            List<Sample> samples = new ArrayList<>();
            for (String target : List.of(Sample.BARE_METAL, "oci")) {
                samples.add(new Sample(target, round, round == 0, Metric.CPU_INT, 100 + round % 2, false, load, now));
            }
            reports.saveRound(id, samples);
        }
        reports.transition(run, ReportStatus.SUCCEEDED, null, now);
        return id;
    }
}
