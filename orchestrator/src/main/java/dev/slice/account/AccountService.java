package dev.slice.account;

import dev.slice.audit.AuditLog;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.PlainText;
import dev.slice.error.ValidationException;
import dev.slice.search.SearchText;
import dev.slice.search.Sorting;
import dev.slice.security.AccessRules;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Operators, resellers and customers: creation, lookup for login, visibility by role. */
@Service
public class AccountService {
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,31}");
    public static final int MAX_DISPLAY_NAME_LENGTH = 100;
    /** The longest address SMTP can carry (RFC 5321: a 256-octet path less its angle brackets). */
    public static final int MAX_EMAIL_LENGTH = 254;
    private static final String SELECT = """
            select a.*, p.username as parent_username, p.enabled as parent_enabled from account a left join account p on p.id = a.parent_id
            where a.deleted_at is null""";

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    public AccountService(JdbcClient jdbc, PasswordEncoder passwords, AuditLog audit, Clock clock, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Creates a reseller (operators) or a customer (operators for any reseller or themselves, resellers
     * for themselves). The password is checked by {@link PasswordPolicy} and stored hashed.
     */
    @Transactional
    public Account create(Actor actor, NewAccount request) {
        Role role = request.role() == null ? Role.CUSTOMER : request.role();
        if (role == Role.OPERATOR) throw new ForbiddenException("operator accounts are created at first start only");
        long parentId = role == Role.RESELLER ? actor.accountId()
                : request.parentId() == null ? actor.accountId() : request.parentId();
        if (!AccessRules.canCreateAccount(actor, role, parentId)) {
            throw new ForbiddenException("a " + actor.role().id() + " cannot create this " + role.id() + " account");
        }
        if (role == Role.CUSTOMER && parentId != actor.accountId()) {
            Role parentRole = jdbc.sql("select role from account where id = ? and deleted_at is null").param(parentId)
                    .query((rs, n) -> Role.fromId(rs.getString(1))).optional()
                    .orElseThrow(() -> new ValidationException("parentId", "no reseller " + parentId));
            if (parentRole == Role.CUSTOMER) throw new ValidationException("parentId", "a customer cannot own customers");
        }
        String username = request.username() == null ? "" : request.username().strip().toLowerCase(java.util.Locale.ROOT);
        if (!USERNAME.matcher(username).matches()) {
            throw new ValidationException("username", "use 3-32 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
        }
        String displayName = displayNameOf(request.displayName(), username);
        String email = emailOf(request.email());
        PasswordPolicy.check("password", request.password(), username);
        long id = insert(role, username, displayName, email, passwords.encode(request.password()), parentId);
        audit.record(actor, "account.create", "account", id, role.id() + " " + username);
        return find(id).orElseThrow();
    }

    /** The name as given (plain text, at most {@link #MAX_DISPLAY_NAME_LENGTH}), or the user name when blank. */
    static String displayNameOf(String displayName, String username) {
        PlainText.check("displayName", displayName, MAX_DISPLAY_NAME_LENGTH);
        return displayName == null || displayName.isBlank() ? username : displayName.strip();
    }

    /** The address as given, stripped; null when blank. */
    static String emailOf(String email) {
        PlainText.check("email", email, MAX_EMAIL_LENGTH);
        if (email == null || email.isBlank()) return null;
        if (!email.strip().matches("[^@\\s]+@[^@\\s]+")) throw new ValidationException("email", "not an e-mail address");
        return email.strip();
    }

    /** Used once, at first start. */
    @Transactional
    public long createOperator(String username, String password) {
        long id = insert(Role.OPERATOR, username, "Operator", null, passwords.encode(password), null);
        audit.record(null, "account.create", "account", id, "operator " + username);
        return id;
    }

    private long insert(Role role, String username, String displayName, String email, String hash, Long parentId) {
        var keys = new GeneratedKeyHolder();
        try {
            jdbc.sql("""
                    insert into account (role, username, display_name, email, password_hash, parent_id, created_at)
                    values (:role, :username, :displayName, :email, :hash, :parentId, :now)""")
                    .param("role", role.id()).param("username", username).param("displayName", displayName)
                    .param("email", email == null || email.isBlank() ? null : email.strip()).param("hash", hash)
                    .param("parentId", parentId).param("now", Timestamp.from(clock.instant()))
                    .update(keys, "id");
        } catch (DuplicateKeyException e) {
            throw new ValidationException("username", "the user name '" + username + "' is taken");
        }
        return keys.getKeyAs(Long.class);
    }

    public Account get(Actor actor, long id) {
        return find(id).filter(a -> AccessRules.canSeeAccount(actor, a.id(), a.parentId()))
                .orElseThrow(() -> new NotFoundException("account", id));
    }

    public Account me(Actor actor) {
        return get(actor, actor.accountId());
    }

    /** Accounts the caller may see: operators all, resellers themselves and their customers. Ordered by id. */
    public List<Account> page(Actor actor, int offset, int limit) {
        return page(actor, visibility(actor), Optional.empty(), BY_ID, offset, limit);
    }

    /** The accounts the caller looks after, itself left out: a reseller's customers, the operator's everyone else. */
    public List<Account> othersPage(Actor actor, int offset, int limit) {
        return othersPage(actor, Optional.empty(), BY_ID, offset, limit);
    }

    public long othersCount(Actor actor) {
        return othersCount(actor, Optional.empty());
    }

    /** The columns an account list can be sorted by. */
    public enum Sort {
        USERNAME("a.username"), ROLE("a.role"), NAME("a.display_name"), EMAIL("a.email"), SELLER("p.username"), CREATED("a.id");

        final String column;

        Sort(String column) {
            this.column = column;
        }
    }

    public static final Sorting<Sort> BY_ID = new Sorting<>(Sort.CREATED, false);

    /** Like {@link #othersPage(Actor, int, int)}, those whose user name, name or e-mail contains {@code text}, in {@code sort}'s order. */
    public List<Account> othersPage(Actor actor, Optional<SearchText> text, Sorting<Sort> sort, int offset, int limit) {
        return page(actor, visibility(actor) + " and a.id <> :me", text, sort, offset, limit);
    }

    public long othersCount(Actor actor, Optional<SearchText> text) {
        return jdbc.sql("select count(*) from account a where a.deleted_at is null and a.id <> :me and " + visibility(actor) + matching(text))
                .param("me", actor.accountId()).param("text", text.map(SearchText::containsPattern).orElse("")).query(Long.class).single();
    }

    private List<Account> page(Actor actor, String where, Optional<SearchText> text, Sorting<Sort> sort, int offset, int limit) {
        return jdbc.sql(SELECT + " and " + where + matching(text) + " order by " + sort.sql(sort.key().column) + ", a.id offset :offset limit :limit")
                .param("me", actor.accountId()).param("text", text.map(SearchText::containsPattern).orElse(""))
                .param("offset", Math.max(0, offset)).param("limit", Math.clamp(limit, 0, 1000))
                .query(AccountService::map).list().stream()
                .filter(a -> AccessRules.canSeeAccount(actor, a.id(), a.parentId())).toList();
    }

    private static String matching(Optional<SearchText> text) {
        return text.isEmpty() ? "" : " and (a.username ilike :text or a.display_name ilike :text or a.email ilike :text)";
    }

    public long count(Actor actor) {
        return jdbc.sql("select count(*) from account a where a.deleted_at is null and " + visibility(actor)).param("me", actor.accountId())
                .query(Long.class).single();
    }

    private static String visibility(Actor actor) {
        return AccessRules.accountVisibleSql(actor);
    }

    /**
     * Sets another account's password to one the caller chose; like a reset, its owner must change it at the next
     * sign-in. One's own password changes through {@link AccountManagement#changeOwnPassword}, with the current one.
     */
    @Transactional
    public void changePassword(Actor actor, long accountId, String newPassword) {
        Account account = get(actor, accountId);
        if (accountId == actor.accountId()) {
            throw new ForbiddenException("change your own password with the current one (POST /api/me/password)");
        }
        if (!AccessRules.canManageAccount(actor, accountId, account.parentId())) {
            throw new ForbiddenException("you cannot change this account's password");
        }
        PasswordPolicy.check("password", newPassword, account.username());
        jdbc.sql("update account set password_hash = ?, must_change_password = true where id = ?")
                .params(passwords.encode(newPassword), accountId).update();
        audit.record(actor, "account.password", "account", accountId, "set by " + actor.username() + ", to be changed at the next sign-in");
        events.publishEvent(new AccountAccessRevoked(accountId, account.username(), AccountAccessRevoked.Reason.PASSWORD_CHANGED));
    }

    /**
     * Enables or disables an account. A reseller's customers cannot sign in while it is disabled
     * ({@link AccessRules#canSignIn}); their own flags stay as they are, so enabling it again brings back exactly those
     * not disabled on their own. The audit entry says how many customers it concerns.
     */
    @Transactional
    public void setEnabled(Actor actor, long accountId, boolean enabled) {
        Account account = get(actor, accountId);
        if (!AccessRules.canManageAccount(actor, accountId, account.parentId()) || accountId == actor.accountId()) {
            throw new ForbiddenException("you cannot enable or disable this account");
        }
        jdbc.sql("update account set enabled = ? where id = ?").params(enabled, accountId).update();
        // Customers that can sign in exactly when their reseller can (not disabled on their own).
        List<Account> customers = jdbc.sql(SELECT + " and a.parent_id = ? and a.enabled order by a.id").param(accountId)
                .query(AccountService::map).list();
        String detail = account.role() != Role.RESELLER ? "" : enabled
                ? customers.size() + " of its customers can sign in again"
                : "its " + customers.size() + " enabled customers cannot sign in while it is disabled";
        audit.record(actor, enabled ? "account.enable" : "account.disable", "account", accountId, detail);
        if (enabled) return;
        events.publishEvent(new AccountAccessRevoked(accountId, account.username(), AccountAccessRevoked.Reason.DISABLED));
        for (Account customer : customers) {
            events.publishEvent(new AccountAccessRevoked(customer.id(), customer.username(), AccountAccessRevoked.Reason.PROVIDER_DISABLED));
        }
    }

    /** For login forms and the API's authentication; no access check (there is no caller yet). */
    public Optional<LoginAccount> findForLogin(String username) {
        if (username == null || username.length() > 200 || !PlainText.isPlain(username)) return Optional.empty();
        return findLogin("lower(a.username) = lower(?)", username.strip());
    }

    /** An account that may sign in ({@link AccessRules#canSignIn}) as an actor; empty if missing, disabled or its reseller is. */
    public Optional<Actor> actorOf(long accountId) {
        return findLogin("a.id = ?", accountId).filter(LoginAccount::enabled).map(LoginAccount::asActor);
    }

    private Optional<LoginAccount> findLogin(String where, Object key) {
        return jdbc.sql("select a.*, p.enabled as parent_enabled from account a left join account p on p.id = a.parent_id"
                        + " where a.deleted_at is null and " + where).param(key)
                .query((rs, n) -> new LoginAccount(rs.getLong("id"), rs.getString("username"), rs.getString("password_hash"),
                        Role.fromId(rs.getString("role")), (Long) rs.getObject("parent_id"),
                        AccessRules.canSignIn(rs.getBoolean("enabled"), (Boolean) rs.getObject("parent_enabled")),
                        rs.getBoolean("must_change_password")))
                .optional();
    }

    public boolean operatorExists() {
        return jdbc.sql("select exists(select 1 from account where role = 'operator')").query(Boolean.class).single();
    }

    Optional<Account> find(long id) {
        return jdbc.sql(SELECT + " and a.id = ?").param(id).query(AccountService::map).optional();
    }

    private static Account map(ResultSet rs, int row) throws SQLException {
        return new Account(rs.getLong("id"), Role.fromId(rs.getString("role")), rs.getString("username"),
                rs.getString("display_name"), rs.getString("email"), (Long) rs.getObject("parent_id"),
                rs.getString("parent_username"), (Boolean) rs.getObject("parent_enabled"), rs.getBoolean("enabled"), rs.getTimestamp("created_at").toInstant(),
                rs.getBoolean("must_change_password"));
    }
}
