package dev.slice.audit;

import dev.slice.account.Actor;
import dev.slice.error.ForbiddenException;
import dev.slice.security.AccessRules;
import dev.slice.security.SecurityContexts;
import dev.slice.security.SignInAs;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
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
        requireOperator(actor);
        return jdbc.sql("select * from audit_log order by id desc offset :offset limit :limit")
                .param("offset", Math.max(0, offset)).param("limit", Math.clamp(limit, 0, 1000))
                .query((rs, n) -> new AuditEntry(rs.getLong("id"), rs.getTimestamp("at").toInstant(),
                        (Long) rs.getObject("actor_id"), rs.getString("actor_name"), rs.getString("action"),
                        rs.getString("target_type"), rs.getString("target_id"), rs.getString("detail")))
                .list();
    }

    public long count(Actor actor) {
        requireOperator(actor);
        return jdbc.sql("select count(*) from audit_log").query(Long.class).single();
    }

    private static void requireOperator(Actor actor) {
        if (!AccessRules.canOperate(actor)) throw new ForbiddenException("only operators can read the audit log");
    }
}
