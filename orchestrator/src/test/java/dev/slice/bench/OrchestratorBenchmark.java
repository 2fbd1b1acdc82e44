package dev.slice.bench;

import dev.slice.SliceTestApplication;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.db.testing.TestDatabaseInitializer;
import dev.slice.job.JobQueue;
import dev.slice.job.JobWorker;
import dev.slice.job.RetryPolicy;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.provisioning.GuestSteps;
import dev.slice.testing.Tenants;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Measures the orchestrator's own cost on real PostgreSQL with the in-memory driver (so guests cost nothing):
 * (1) orders per second when many customers order at once (validation, $6$ hashing, node row lock, insert,
 * enqueue), with per-order latency; (2) jobs per second through the durable queue (claim with SKIP LOCKED,
 * five steps each recorded, heartbeats) with several worker threads. Not a test: run orchestrator/bench.sh.
 *
 * Arguments: [orders (default 400)] [client threads (default 8)] [worker threads (default 4)]
 */
public final class OrchestratorBenchmark {
    private OrchestratorBenchmark() {}

    public static void main(String[] args) throws Exception {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        SpringApplication application = new SpringApplication(SliceTestApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.addInitializers(new TestDatabaseInitializer());
        try (ConfigurableApplicationContext context = application.run("--slice.jobs.enabled=false",
                "--slice.reconciler.enabled=false", "--slice.bootstrap.configure-bridge=false",
                "--slice.bootstrap.operator-password=Operator-Pass-2024", "--slice.data-dir=target/slice-data",
                "--logging.level.dev.slice=WARN", "--spring.datasource.hikari.maximum-pool-size=" + (clients + workers + 4))) {
            run(context, orders, clients, workers);
        }
    }

    private static void run(ConfigurableApplicationContext context, int orders, int clients, int workers) throws Exception {
        AccountService accounts = context.getBean(AccountService.class);
        PlanService plans = context.getBean(PlanService.class);
        OrderService orderService = context.getBean(OrderService.class);
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        // A node large enough that placement never says no: this measures the path, not capacity.
        jdbc.sql("update node set cpus = 100000, memory_mib = 100000000, disk_mib = 1000000000").update();
        jdbc.sql("insert into ip_pool (node_id, name, network, gateway, bridge) select id, 'bench', '10.80.0.0/16', '10.80.0.1', 'slicebr0' from node").update();
        jdbc.sql("""
                insert into ip_address (pool_id, address) select p.id, (network(p.network) + i)::inet
                from ip_pool p, generate_series(2, 65000) i where p.name = 'bench'""").update();
        Actor operator = Tenants.operator(accounts);
        Plan plan = plans.create(operator, new PlanRequest("bench", "oci", 1, 64, 256, 0, 100));
        List<Actor> customers = new ArrayList<>();
        for (int i = 0; i < clients; i++) customers.add(Tenants.customer(accounts, operator, "bench" + i));

        System.out.printf(Locale.ROOT, "PostgreSQL: %s%n", jdbc.sql("select version()").query(String.class).single());
        System.out.printf(Locale.ROOT, "%d orders from %d concurrent customers, %d worker threads%n", orders, clients, workers);

        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Actor customer = customers.get(c);
            int share = orders / clients;
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < share; i++) {
                    long start = System.nanoTime();
                    orderService.order(customer, new OrderRequest(plan.id(), "h" + i, "debian-12", "Correct-Horse-42", List.of(), null));
                    latencies.add(System.nanoTime() - start);
                }
                return null;
            }));
        }
        long began = System.nanoTime();
        go.countDown();
        for (Future<?> future : futures) future.get();
        double orderSeconds = (System.nanoTime() - began) / 1e9;
        pool.shutdown();
        int placed = latencies.size();
        System.out.printf(Locale.ROOT, "| orders | %d in %.2f s | %.0f orders/s | latency median %.1f ms, p90 %.1f ms, max %.1f ms |%n",
                placed, orderSeconds, placed / orderSeconds, percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 100));

        JobQueue queue = context.getBean(JobQueue.class);
        GuestSteps steps = context.getBean(GuestSteps.class);
        JobWorker worker = new JobWorker("bench", queue, steps, RetryPolicy.DEFAULT, Clock.systemUTC(),
                new JobWorker.Settings(workers, Duration.ofMillis(20), Duration.ofSeconds(5), Duration.ofSeconds(30)));
        long jobsBegan = System.nanoTime();
        worker.start();
        long remaining;
        do {
            Thread.sleep(50);
            remaining = jdbc.sql("select count(*) from job where status in ('queued', 'running')").query(Long.class).single();
        } while (remaining > 0);
        double jobSeconds = (System.nanoTime() - jobsBegan) / 1e9;
        worker.stop();
        long succeeded = jdbc.sql("select count(*) from job where status = 'succeeded'").query(Long.class).single();
        long active = jdbc.sql("select count(*) from server where status = 'active'").query(Long.class).single();
        System.out.printf(Locale.ROOT, "| create jobs (5 steps each) | %d in %.2f s | %.0f jobs/s | %d servers active |%n",
                succeeded, jobSeconds, succeeded / jobSeconds, active);
    }

    private static double percentile(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
