package dev.slice.audit;

import dev.slice.account.Actor;
import dev.slice.error.ForbiddenException;
import dev.slice.security.AccessRules;
import dev.slice.security.SecurityContexts;
import dev.slice.security.SignInAs;
import java.sql.Timestamp;
import java.time.Clock;
import dev.slice.search.SearchText;
import dev.slice.search.Sorting;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Who did what to which thing. Written inside the caller's transaction, so an action that rolls back
 * leaves no entry. {@code actor} null means Slice itself (first start, reconciler, job workers). Done while signed in
 * as someone ({@link SignInAs}), the actor's name reads "reseller as customer".
 */
@Service
public class AuditLog {
    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecurityContexts contexts;

    public AuditLog(JdbcClient jdbc, Clock clock, SecurityContexts contexts) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.contexts = contexts;
    }

    public void record(Actor actor, String action, String targetType, Object targetId, String detail) {
        insert(actor == null ? null : actor.accountId(), actor == null ? "slice" : nameOf(actor), action, targetType, targetId, detail);
    }

    /** The actor's name; while someone is signed in as it for support, "who as whom", so the log says who really did it. */
    private String nameOf(Actor actor) {
        return SignInAs.originalOf(contexts.authentication())
                .map(original -> original.getName())
                .filter(original -> !original.equals(actor.username()))
                .map(original -> original + " as " + actor.username())
                .orElse(actor.username());
    }

    /** Something done by a caller not signed in (a failed sign-in): the actor is "anonymous", whatever name it gave. */
    public void recordAnonymous(String action, String targetType, Object targetId, String detail) {
        insert(null, "anonymous", action, targetType, targetId, detail);
    }

    private void insert(Long actorId, String actorName, String action, String targetType, Object targetId, String detail) {
        jdbc.sql("""
                insert into audit_log (at, actor_id, actor_name, action, target_type, target_id, detail)
                values (:at, :actorId, :actorName, :action, :targetType, :targetId, :detail)""")
                .param("at", Timestamp.from(clock.instant()))
                .param("actorId", actorId)
                .param("actorName", actorName)
                .param("action", action)
                .param("targetType", targetType)
                .param("targetId", targetId == null ? null : targetId.toString())
                .param("detail", detail == null ? "" : detail)
                .update();
    }

    /** Newest first; operators only. */
    public List<AuditEntry> page(Actor actor, int offset, int limit) {
        return page(actor, Optional.empty(), NEWEST_FIRST, offset, limit);
    }

    public long count(Actor actor) {
        return count(actor, Optional.empty());
    }

    /** The columns the log can be sorted by. */
    public enum Sort {
        AT("id"), ACTOR("actor_name"), ACTION("action"), TARGET("target_type");

        final String column;

        Sort(String column) {
            this.column = column;
        }
    }

    public static final Sorting<Sort> NEWEST_FIRST = new Sorting<>(Sort.AT, true);

    /** Entries whose actor, action, target or detail contains {@code text}, in the given order (then newest first). */
    public List<AuditEntry> page(Actor actor, Optional<SearchText> text, Sorting<Sort> sort, int offset, int limit) {
        requireOperator(actor);
        return jdbc.sql("select * from audit_log where " + where(text) + " order by " + sort.sql(sort.key().column)
                        + ", id desc offset :offset limit :limit")
                .param("text", text.map(SearchText::containsPattern).orElse(""))
                .param("offset", Math.max(0, offset)).param("limit", Math.clamp(limit, 0, 1000))
                .query((rs, n) -> new AuditEntry(rs.getLong("id"), rs.getTimestamp("at").toInstant(),
                        (Long) rs.getObject("actor_id"), rs.getString("actor_name"), rs.getString("action"),
                        rs.getString("target_type"), rs.getString("target_id"), rs.getString("detail")))
                .list();
    }

    public long count(Actor actor, Optional<SearchText> text) {
        requireOperator(actor);
        return jdbc.sql("select count(*) from audit_log where " + where(text))
                .param("text", text.map(SearchText::containsPattern).orElse("")).query(Long.class).single();
    }

    private static String where(Optional<SearchText> text) {
        return text.isEmpty() ? "true" : "(actor_name ilike :text or action ilike :text or (target_type || ' #' || coalesce(target_id, '')) ilike :text"
                + " or detail ilike :text)";
    }

    private static void requireOperator(Actor actor) {
        if (!AccessRules.canOperate(actor)) throw new ForbiddenException("only operators can read the audit log");
    }
}
