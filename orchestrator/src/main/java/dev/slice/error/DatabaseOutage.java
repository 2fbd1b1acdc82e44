package dev.slice.error;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Whether a failure means the database cannot be reached right now (a failover, a restart, a cut network), as
 * opposed to a defect: the API answers 503 with Retry-After, so clients retry, instead of a 500. Found anywhere in
 * the cause chain, since Spring and the pool wrap it differently per path.
 */
public final class DatabaseOutage {
    /** What clients are told to wait before retrying: about a failover's time under Patroni's defaults. */
    public static final int RETRY_AFTER_SECONDS = 5;
    public static final String MESSAGE = "the database cannot be reached right now; retry in a few seconds";

    private DatabaseOutage() {}

    public static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessResourceException
                    || t instanceof CannotCreateTransactionException || t instanceof SQLTransientConnectionException) {
                return true;
            }
            // SQLSTATE class 08: connection exception (PostgreSQL and the JDBC driver both use it).
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) return true;
        }
        return false;
    }
}
