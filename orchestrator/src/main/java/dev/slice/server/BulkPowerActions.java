package dev.slice.server;

import dev.slice.account.Actor;
import dev.slice.error.ConflictException;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.security.AccessRules;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * An operator's power action on several servers at once. Each server goes through {@link ServerService}'s own action
 * (its own transaction, checks and job), so one that cannot be stopped is reported and the others go on.
 */
@Service
public class BulkPowerActions {
    public static final int MAX_SERVERS = 200;

    public enum Power { START, STOP, REBOOT }

    /**
     * What happened to one server: the job that carries the action out, or why it was refused.
     *
     * @param jobId null when refused
     * @param error null when the job was queued
     */
    public record Result(long serverId, String hostname, Long jobId, String error) {
        public boolean queued() { return jobId != null; }
    }

    private final ServerService servers;

    public BulkPowerActions(ServerService servers) {
        this.servers = servers;
    }

    /** @throws ForbiddenException the caller is not an operator */
    public List<Result> run(Actor actor, Power power, List<Server> targets) {
        if (!AccessRules.canOperate(actor)) throw new ForbiddenException("only operators act on many servers at once");
        if (targets.size() > MAX_SERVERS) throw new ValidationException("servers", "at most " + MAX_SERVERS + " at once");
        List<Result> results = new ArrayList<>();
        for (Server server : targets) {
            try {
                long job = switch (power) {
                    case START -> servers.start(actor, server.id());
                    case STOP -> servers.stop(actor, server.id(), false);
                    case REBOOT -> servers.reboot(actor, server.id());
                };
                results.add(new Result(server.id(), server.hostname(), job, null));
            } catch (ConflictException | NotFoundException | ValidationException | ForbiddenException refused) {
                results.add(new Result(server.id(), server.hostname(), null, refused.getMessage()));
            }
        }
        return results;
    }
}
