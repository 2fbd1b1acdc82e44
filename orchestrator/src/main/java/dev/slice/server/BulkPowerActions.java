package dev.slice.server;

import dev.slice.account.Actor;
import dev.slice.error.ConflictException;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.security.AccessRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Service;

/**
 * An operator's power action on several servers at once. Each server goes through {@link ServerService}'s own action
 * (its own transaction, checks and job), so one that cannot be stopped is reported and the others go on.
 */
@Service
public class BulkPowerActions {
    public static final int MAX_SERVERS = 200;

    public enum Power {
        START, STOP, REBOOT;

        /** 400 on {@code action} unless it is start, stop or reboot. */
        public static Power parse(String action) {
            for (Power power : values()) {
                if (power.name().toLowerCase(Locale.ROOT).equals(action)) return power;
            }
            throw new ValidationException("action", "must be start, stop or reboot");
        }
    }

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

    /**
     * The API's form: servers by id, each one the caller cannot see reported as such (as a 404 would say) and the
     * others acted on. 400 on serverIds for none, a null id or more than {@value #MAX_SERVERS}.
     *
     * @throws ForbiddenException the caller is not an operator
     */
    public List<Result> runOnIds(Actor actor, Power power, List<Long> serverIds) {
        requireOperator(actor);
        if (serverIds == null || serverIds.isEmpty()) throw new ValidationException("serverIds", "name at least one server");
        if (serverIds.contains(null)) throw new ValidationException("serverIds", "a server id cannot be null");
        List<Long> distinct = serverIds.stream().distinct().toList();
        if (distinct.size() > MAX_SERVERS) throw new ValidationException("serverIds", "at most " + MAX_SERVERS + " at once");
        List<Server> targets = new ArrayList<>();
        List<Result> unseen = new ArrayList<>();
        for (long id : distinct) {
            try {
                targets.add(servers.get(actor, id));
            } catch (NotFoundException missing) {
                unseen.add(new Result(id, null, null, missing.getMessage()));
            }
        }
        List<Result> results = new ArrayList<>(run(actor, power, targets));
        results.addAll(unseen);
        return results;
    }

    /** @throws ForbiddenException the caller is not an operator */
    public List<Result> run(Actor actor, Power power, List<Server> targets) {
        requireOperator(actor);
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

    private static void requireOperator(Actor actor) {
        if (!AccessRules.canOperate(actor)) throw new ForbiddenException("only operators act on many servers at once");
    }
}
