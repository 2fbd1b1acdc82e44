package dev.slice.provisioning;

import dev.slice.job.Job;
import dev.slice.job.JobQueue;
import dev.slice.job.JobWorker;
import dev.slice.job.RetryPolicy;
import dev.slice.job.Step;
import dev.slice.job.StepRunner;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A second Slice process for {@link CrashRecoveryTest}: opens the same database and the real drivers, runs a
 * job worker, and once a create step has made the guest it prints {@code CREATED} and hangs until the test
 * kills the whole JVM with SIGKILL. Arguments: JDBC URL of the test's schema, guest id prefix, offset of the
 * test's clock from real time in milliseconds.
 */
public final class CrashingWorkerProcess {
    private CrashingWorkerProcess() {}

    public static void main(String[] args) throws Exception {
        SpringApplication application = new SpringApplication(CrashRecoveryTest.RealOci.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        ConfigurableApplicationContext context = application.run(
                "--spring.datasource.url=" + args[0], "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--slice.guest-id-prefix=" + args[1], "--slice.jobs.enabled=false", "--slice.reconciler.enabled=false",
                "--slice.bootstrap.enabled=false", "--logging.level.root=WARN");
        GuestSteps steps = context.getBean(GuestSteps.class);
        StepRunner hangsAfterCreate = new StepRunner() {
            @Override
            public String run(Job job, Step step) throws Exception {
                String output = steps.run(job, step);
                if (step == Step.CREATE_GUEST) {
                    System.out.println("CREATED " + job.id());
                    System.out.flush();
                    Thread.sleep(Long.MAX_VALUE);
                }
                return output;
            }

            @Override
            public void failed(Job job, String error) {
                steps.failed(job, error);
            }
        };
        JobWorker worker = new JobWorker("process-" + ProcessHandle.current().pid(), context.getBean(JobQueue.class),
                hangsAfterCreate, RetryPolicy.DEFAULT, Clock.offset(Clock.systemUTC(), Duration.ofMillis(Long.parseLong(args[2]))),
                new JobWorker.Settings(1, Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(30)));
        worker.start();
        System.out.println("WORKER " + worker.id());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
