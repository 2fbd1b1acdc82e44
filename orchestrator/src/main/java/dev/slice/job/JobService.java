package dev.slice.job;

import dev.slice.account.Actor;
import dev.slice.error.NotFoundException;
import dev.slice.security.AccessRules;
import dev.slice.server.ServerName;
import dev.slice.server.ServerRepository;
import dev.slice.server.ServerRow;
import dev.slice.search.SearchText;
import dev.slice.search.Sorting;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** Jobs as the caller may see them: those of servers it may see; jobs without a server to operators only. */
@Service
public class JobService {

    private final JobQueue queue;
    private final ServerRepository servers;
    private final StepTimes stepTimes;

    public JobService(JobQueue queue, ServerRepository servers, StepTimes stepTimes) {
        this.queue = queue;
        this.servers = servers;
        this.stepTimes = stepTimes;
    }

    /** How long each of the job's steps usually takes on its server's backend (none for a job of no server). */
    public Map<Step, Duration> usualTimes(Job job) {
        if (job.serverId() == null) return Map.of();
        return servers.find(job.serverId()).map(server -> usualTimes(server.backend())).orElse(Map.of());
    }

    /** The same for a page that has its server's backend already: no read of the server per refresh. */
    public Map<Step, Duration> usualTimes(String backend) {
        return stepTimes.typical(backend);
    }

    public Job get(Actor actor, long jobId) {
        return queue.find(jobId).filter(job -> visible(actor, job)).orElseThrow(() -> new NotFoundException("job", jobId));
    }

    /** Newest first. */
    public List<Job> page(Actor actor, int offset, int limit) {
        return queue.page(where(actor), actor.accountId(), offset, limit).stream().filter(job -> visible(actor, job)).toList();
    }

    public long count(Actor actor) {
        return queue.count(where(actor), actor.accountId());
    }

    /** The caller's job results (finished jobs it may see), the latest first; only those finished after {@code after} if given. */
    public List<Job> results(Actor actor, Instant after, int limit) {
        return queue.results(where(actor), actor.accountId(), after, limit).stream().filter(job -> visible(actor, job)).toList();
    }

    public long countResults(Actor actor, Instant after) {
        return queue.countResults(where(actor), actor.accountId(), after);
    }

    /** The columns the job log can be sorted by. */
    public enum Sort {
        ID("id"), KIND("kind"), STATUS("status"), SERVER("server_id"), CREATED("created_at"), FINISHED("finished_at");

        final String column;

        Sort(String column) {
            this.column = column;
        }
    }

    public static final Sorting<Sort> NEWEST_FIRST = new Sorting<>(Sort.ID, true);

    /** Jobs whose kind, status, error, server hostname or owner contains {@code text} (or of server #text), in {@code sort}'s order. */
    public List<Job> page(Actor actor, Optional<SearchText> text, Sorting<Sort> sort, int offset, int limit) {
        return queue.page("(" + where(actor) + ")" + matching(text), params(actor, text), sort.sql(sort.key().column), offset, limit).stream()
                .filter(job -> visible(actor, job)).toList();
    }

    public long count(Actor actor, Optional<SearchText> text) {
        return queue.count("(" + where(actor) + ")" + matching(text), params(actor, text));
    }

    private static String matching(Optional<SearchText> text) {
        return text.isEmpty() ? "" : " and (kind ilike :text or status ilike :text or coalesce(error, '') ilike :text"
                + " or '#' || server_id::text = :exact or server_id::text = :exact"
                + " or server_id in (select s.id from server s join account o on o.id = s.owner_id"
                + " where s.hostname ilike :text or o.username ilike :text))";
    }

    private static java.util.Map<String, Object> params(Actor actor, Optional<SearchText> text) {
        return java.util.Map.of("p", actor.accountId(), "text", text.map(SearchText::containsPattern).orElse(""),
                "exact", text.map(SearchText::text).orElse(""));
    }

    /** The names of the servers of these jobs that the caller may see, by server id. */
    public java.util.Map<Long, ServerName> serverNames(Actor actor, java.util.Collection<Job> jobs) {
        java.util.Set<Long> ids = jobs.stream().map(Job::serverId).filter(java.util.Objects::nonNull)
                .collect(java.util.stream.Collectors.toSet());
        java.util.Map<Long, ServerName> names = new java.util.HashMap<>(servers.names(ids));
        names.values().removeIf(n -> !AccessRules.canSeeServer(actor, n.ownerId(), n.ownerParentId()));
        return names;
    }

    /** A server's jobs, newest first. */
    public List<Job> forServer(Actor actor, long serverId, int offset, int limit) {
        ServerRow server = servers.find(serverId).filter(s -> AccessRules.canSeeServer(actor, s.ownerId(), s.ownerParentId()))
                .orElseThrow(() -> new NotFoundException("server", serverId));
        return queue.page("server_id = :p", server.id(), offset, limit);
    }

    /** The jobs of the servers the caller may see (AccessRules' SQL form, with {@code :p} for the caller); jobs without a server to operators. */
    private static String where(Actor actor) {
        if (AccessRules.canOperate(actor)) return "true or :p is null";
        return "server_id in (select s.id from server s join account o on o.id = s.owner_id where "
                + AccessRules.serverVisibleSql(actor).replace(":me", ":p") + ")";
    }

    private boolean visible(Actor actor, Job job) {
        if (job.serverId() == null) return AccessRules.canOperate(actor);
        return servers.find(job.serverId()).map(s -> AccessRules.canSeeServer(actor, s.ownerId(), s.ownerParentId())).orElse(false);
    }
}
