package dev.slice.usage;

import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestState;
import dev.slice.driver.capability.Stats;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.node.Node;
import dev.slice.node.NodeService;
import dev.slice.provisioning.NodeDrivers;
import dev.slice.server.ServerRepository;
import dev.slice.server.ServerRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Samples the counters of this node's guests ({@link Stats}) into usage rows, by {@link CounterRule}. Each server is
 * one transaction holding its last reading's row lock while the driver is read, so two passes (or a restarted one)
 * never take one delta twice, and a reading older than the stored one is not taken at all. A pass after a downtime
 * counts everything since the last reading. Time is the injected {@link Clock}'s.
 */
@Service
public class UsageMeter {
    private static final Logger log = LoggerFactory.getLogger(UsageMeter.class);
    /** How long single samples are kept (the last hour's graph); hours and months are kept for good. */
    static final Duration SAMPLE_RETENTION = Duration.ofDays(3);

    private final UsageRepository repository;
    private final ServerRepository servers;
    private final NodeService nodes;
    private final NodeDrivers nodeDrivers;
    private final DriverRegistry registry;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public UsageMeter(UsageRepository repository, ServerRepository servers, NodeService nodes, NodeDrivers nodeDrivers,
                      DriverRegistry registry, TransactionTemplate transactions, Clock clock) {
        this.repository = repository;
        this.servers = servers;
        this.nodes = nodes;
        this.nodeDrivers = nodeDrivers;
        this.registry = registry;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** One pass over this node's servers; returns how many samples it stored. */
    public int runPass() {
        Optional<Node> node = nodes.findByName(nodeDrivers.localNodeName());
        if (node.isEmpty()) return 0;
        int stored = 0;
        for (Driver driver : registry.availableDrivers()) {
            Optional<Stats> stats = driver.capability(Stats.class);
            if (stats.isEmpty()) continue;
            for (ServerRow server : servers.onNode(node.get().id(), driver.kind().id())) {
                try {
                    if (Boolean.TRUE.equals(transactions.execute(s -> sample(server, driver, stats.get())))) stored++;
                } catch (RuntimeException e) {
                    log.warn("Sampling the usage of server {} failed; the next pass counts it: {}", server.id(), e.toString());
                }
            }
        }
        repository.prune(clock.instant().minus(SAMPLE_RETENTION));
        return stored;
    }

    private boolean sample(ServerRow server, Driver driver, Stats stats) {
        UsageRepository.Reading last = repository.lockReading(server.id());
        Instant now = clock.instant();
        if (!now.isAfter(last.at())) return false; // another pass read it at this instant or later
        GuestId guest = GuestId.of(server.guestId());
        if (driver.state(guest) != GuestState.RUNNING) {
            repository.saveReading(server.id(), now, Counters.ZERO); // its next run counts from zero
            return false;
        }
        var read = stats.read(guest);
        Counters current = Counters.of(read);
        repository.record(server.id(), now, last.counters().deltaTo(current), read.memoryBytes());
        repository.saveReading(server.id(), now, last.counters().baselineAfter(current));
        return true;
    }
}
