package dev.slice.audit;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place an audit entry becomes a sentence ("admin changed plan #3: vCPUs 1 → 2."), for the panel and anything
 * else that shows the log. Actions with a phrase of their own are in {@link #PHRASES}; any other reads from its name
 * ("reconcile.orphan": "reconcile (orphan) for guest #g"). Entries written before details were sentences (a Java record's text,
 * {@code CapacityGrant[resellerId=7, ...]}) are shown as their fields.
 */
public final class AuditSentences {
    private AuditSentences() {}

    /** A phrase per action; {@code {target}} is where the thing acted on is named, left out where it is the actor itself. */
    static final Map<String, String> PHRASES = Map.ofEntries(
            Map.entry("account.sign-in", "signed in"),
            Map.entry("account.sign-in-failed", "failed to sign in to {target}"),
            Map.entry("account.sign-out", "signed out"),
            Map.entry("account.sign-in-as", "signed in as {target}"),
            Map.entry("account.sign-in-as-end", "stopped acting as {target}"),
            Map.entry("account.create", "created {target}"),
            Map.entry("account.edit", "changed {target}"),
            Map.entry("account.delete", "deleted {target}"),
            Map.entry("account.enable", "enabled {target}"),
            Map.entry("account.disable", "disabled {target}"),
            Map.entry("account.password", "set the password of {target}"),
            Map.entry("account.password-change", "changed the password of {target}"),
            Map.entry("account.password-reset", "reset the password of {target}"),
            Map.entry("account.two-factor-enable", "turned on two-factor sign-in for {target}"),
            Map.entry("account.two-factor-disable", "turned off two-factor sign-in for {target}"),
            Map.entry("account.two-factor-reset", "reset two-factor sign-in of {target}"),
            Map.entry("account.two-factor-recovery-code", "used a recovery code of {target}"),
            Map.entry("account.two-factor-recovery-regenerate", "made new recovery codes for {target}"),
            Map.entry("token.create", "created API token {target}"),
            Map.entry("token.revoke", "revoked API token {target}"),
            Map.entry("plan.create", "created {target}"),
            Map.entry("plan.update", "changed {target}"),
            Map.entry("plan.retire", "retired {target}"),
            Map.entry("plan.node-group", "changed the node group of {target}"),
            Map.entry("plan.snapshot-limit", "set the snapshot limit of {target}"),
            Map.entry("plan.backup-schedule", "set the backup schedule of {target}"),
            Map.entry("grant.set", "set the capacity grant of {target}"),
            Map.entry("server.order", "ordered {target}"),
            Map.entry("server.start", "started {target}"),
            Map.entry("server.stop", "stopped {target}"),
            Map.entry("server.reboot", "rebooted {target}"),
            Map.entry("server.power_off", "powered off {target}"),
            Map.entry("server.reset", "reset {target}"),
            Map.entry("server.suspend", "suspended the guest of {target}"),
            Map.entry("server.resume", "resumed the guest of {target}"),
            Map.entry("server.reinstall", "reinstalled {target}"),
            Map.entry("server.resize", "resized {target}"),
            Map.entry("server.delete", "deleted {target}"),
            Map.entry("server.snapshot_take", "took a snapshot of {target}"),
            Map.entry("server.snapshot_revert", "reverted {target} to a snapshot"),
            Map.entry("server.snapshot_delete", "deleted a snapshot of {target}"),
            Map.entry("server.backup", "backed up {target}"),
            Map.entry("server.restore", "restored {target} from a backup"),
            Map.entry("server.backup_delete", "deleted a backup of {target}"),
            Map.entry("server.backup_schedule", "set the backup schedule of {target}"),
            Map.entry("server.console", "opened the console of {target}"),
            Map.entry("server.firewall", "changed the firewall of {target}"),
            Map.entry("node.create", "added {target}"),
            Map.entry("node.overcommit", "set the overcommit of {target}"),
            Map.entry("node.drain", "set draining of {target}"),
            Map.entry("node.placement", "changed the placement of {target}"),
            Map.entry("node.credential", "issued a credential for {target}"),
            Map.entry("node.unreachable", "lost {target}"),
            Map.entry("node.reachable", "heard from {target} again"),
            Map.entry("job.failed", "saw a job fail on {target}"),
            Map.entry("billing.wholesale", "set the wholesale price of {target}"),
            Map.entry("billing.profile", "changed the billing profile of {target}"));

    private static final Pattern RECORD_TEXT = Pattern.compile("^\\w+\\[(.*)]$");
    private static final Pattern RECORD_FIELD = Pattern.compile("(\\w+)=");

    public static String of(AuditEntry entry) {
        String target = target(entry);
        String phrase = PHRASES.get(entry.action());
        String done = phrase != null ? phrase.replace("{target}", target) : fromName(entry.action(), target);
        String detail = readable(entry.detail());
        // "from 192.0.2.1", "as 'alice' from ...": read on in the sentence; anything else is what was done, after a colon.
        String joint = detail.startsWith("from ") || detail.startsWith("as ") ? " " : ": ";
        return entry.actorName() + " " + done + (detail.isEmpty() ? "" : joint + detail) + (detail.endsWith(".") ? "" : ".");
    }

    private static String target(AuditEntry entry) {
        if (entry.targetType() == null) return "";
        String type = entry.targetType().replace('_', ' ');
        return entry.targetId() == null ? type : type + " #" + entry.targetId();
    }

    /** "server.backup_restore" on server #7: "backup restore server #7"; "reconcile.orphan": "reconcile (orphan) guest g". */
    private static String fromName(String action, String target) {
        int dot = action.indexOf('.');
        String feature = dot < 0 ? "" : action.substring(0, dot);
        String verb = (dot < 0 ? action : action.substring(dot + 1)).replace('_', ' ').replace('-', ' ').replace('.', ' ');
        if (feature.equals("reconcile") || feature.equals("billing")) return feature + " (" + verb + ") for " + target;
        return verb.toLowerCase(Locale.ROOT) + " " + target;
    }

    /** A detail as it is, except an older entry's Java record text, shown as "field value, ...". */
    static String readable(String detail) {
        if (detail == null) return "";
        Matcher record = RECORD_TEXT.matcher(detail.strip());
        if (!record.matches()) return detail.strip();
        return RECORD_FIELD.matcher(record.group(1)).replaceAll(m -> words(m.group(1)) + " ");
    }

    /** "maxVcpusPerPlan": "max vcpus per plan". */
    private static String words(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
