package dev.slice.testing;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.NewAccount;
import dev.slice.account.Role;
import dev.slice.driver.BackendKind;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestState;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Accounts, plans and clean-up for the panel's application tests, through the real services. */
@Component
public class PanelFixture {

    public static final String PASSWORD = "Panel-Test-Pass-7!";

    private final AccountService accounts;
    private final PlanService plans;
    private final ServerService servers;
    private final OrderService orders;
    private final DriverRegistry drivers;
    private final JdbcClient jdbc;
    private boolean idsMoved;

    PanelFixture(AccountService accounts, PlanService plans, ServerService servers, OrderService orders, DriverRegistry drivers,
                 JdbcClient jdbc) {
        this.accounts = accounts;
        this.plans = plans;
        this.servers = servers;
        this.orders = orders;
        this.drivers = drivers;
        this.jdbc = jdbc;
    }

    public Actor operator() {
        return accounts.findForLogin(PanelAppTest.OPERATOR).orElseThrow().asActor();
    }

    /** A customer of the operator (so the operator's starter plans are its catalogue), password {@link #PASSWORD}. */
    public Actor customer(String prefix) {
        moveServerIdsAway();
        String username = prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
        return accounts.create(operator(), new NewAccount(Role.CUSTOMER, username, null, null, PASSWORD, null)).asActor();
    }

    /** A reseller of the operator with room for a few container plans and servers, password {@link #PASSWORD}. */
    public Actor reseller(String prefix) {
        moveServerIdsAway();
        String username = prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
        Actor reseller = accounts.create(operator(), new NewAccount(Role.RESELLER, username, null, null, PASSWORD, null)).asActor();
        plans.grant(operator(), new dev.slice.plan.CapacityGrant(reseller.accountId(), 2, 2048, 8192, 5, java.util.Set.of("oci")));
        return reseller;
    }

    /** A customer of this reseller (its plans are the customer's catalogue), password {@link #PASSWORD}. */
    public Actor customerOf(Actor reseller, String prefix) {
        String username = prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
        return accounts.create(reseller, new NewAccount(Role.CUSTOMER, username, null, null, PASSWORD, null)).asActor();
    }

    /** The operator's starter plan for containers, as the bootstrap created it. */
    public Plan smallContainerPlan(Actor customer) {
        return smallestPlan(customer, BackendKind.OCI);
    }

    /** The smallest plan of this backend in the customer's catalogue. */
    public Plan smallestPlan(Actor customer, BackendKind backend) {
        return plans.catalogue(customer).stream().filter(p -> p.backendKind() == backend)
                .min(java.util.Comparator.comparingLong(Plan::memoryMiB))
                .orElseThrow(() -> new AssertionError("no " + backend.id() + " plan in the catalogue of " + customer.username()));
    }

    /** A server of the customer's on the smallest container plan, ordered and provisioned (its create job done). */
    public long runningContainer(Actor customer, String hostname, String rootPassword) {
        return runningServer(customer, BackendKind.OCI, hostname, rootPassword, Duration.ofMinutes(3));
    }

    /** A server of the customer's on the backend's smallest plan, ordered and provisioned within {@code limit}. */
    public long runningServer(Actor customer, BackendKind backend, String hostname, String rootPassword, Duration limit) {
        long serverId = orders.order(customer, new OrderRequest(smallestPlan(customer, backend).id(), hostname, "debian-12",
                rootPassword, List.of(), null)).serverId();
        waitUntil(limit, () -> servers.get(customer, serverId).activeJobId() == null, hostname + " provisioned");
        return serverId;
    }

    /**
     * Guest ids are {@code slice-<server id>} and ids restart at 1 in every test schema; start this schema's
     * ids at a random height so the guests never meet another test run's on the same host.
     */
    private synchronized void moveServerIdsAway() {
        if (idsMoved) return;
        long base = 100_000 + ThreadLocalRandom.current().nextLong(800_000);
        jdbc.sql("select setval(pg_get_serial_sequence('server', 'id'), ?)").param(base).query(Long.class).single();
        idsMoved = true;
    }

    /** Deletes the server through the service and waits until its job has destroyed the guest. */
    public void deleteAndWait(long serverId) {
        Actor operator = operator();
        Server server = servers.get(operator, serverId);
        if (server.status() != ServerStatus.DELETED) {
            waitUntil(Duration.ofMinutes(3), () -> servers.get(operator, serverId).activeJobId() == null, "server " + serverId + " idle");
            if (servers.get(operator, serverId).status() != ServerStatus.DELETED) servers.delete(operator, serverId);
            waitUntil(Duration.ofMinutes(3), () -> servers.get(operator, serverId).status() == ServerStatus.DELETED,
                    "server " + serverId + " deleted");
        }
    }

    public GuestState guestState(Server server) {
        return drivers.driver(BackendKind.OCI).orElseThrow().state(GuestId.of(server.guestId()));
    }

    public static void waitUntil(Duration limit, BooleanSupplier condition, String what) {
        Instant end = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) throw new AssertionError("gave up waiting for: " + what);
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }
}
