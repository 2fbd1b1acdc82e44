package dev.slice.signin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Component;

/**
 * Slows password guessing down without letting a guesser lock the real user out for long. Three counters of failed
 * sign-ins, each with an exponential delay once it passes its free failures:
 * <ul>
 *   <li>per (user name, client address): 5 free, then 1 s, 2 s, 4 s ... at most 15 min; a success resets it;</li>
 *   <li>per client address, over all user names (spraying one password over many accounts): 30 free, then the same;</li>
 *   <li>per user name, over all addresses (a guesser with many addresses): 20 free, then 1 s doubling to at most
 *       1 min; addresses that signed in to this account successfully in the last 30 days are exempt, and a
 *       success resets it.</li>
 * </ul>
 * An attempt made while a delay runs is refused without checking the password and does not count. A counter with no
 * failure for an hour is forgotten. User names are counted whether or not the account exists, so the throttle
 * tells nothing about which accounts exist. Time comes from the injected {@link Clock}.
 *
 * <p>State is in memory (one panel process; several control-plane instances each keep their own), bounded in size.
 */
@Component
public class SignInThrottle {
    static final Limit PER_ACCOUNT_AND_ADDRESS = new Limit(5, Duration.ofSeconds(1), Duration.ofMinutes(15));
    static final Limit PER_ADDRESS = new Limit(30, Duration.ofSeconds(1), Duration.ofMinutes(15));
    static final Limit PER_ACCOUNT = new Limit(20, Duration.ofSeconds(1), Duration.ofMinutes(1));
    static final Duration FORGET_AFTER = Duration.ofHours(1);
    static final Duration KNOWN_ADDRESS_FOR = Duration.ofDays(30);
    private static final int MAX_ENTRIES = 100_000;
    private static final int KNOWN_ADDRESSES_PER_ACCOUNT = 16;

    /** Free failures, then {@code first}, doubling per further failure, never more than {@code longest}. */
    record Limit(int freeFailures, Duration first, Duration longest) {
        Duration delayAfter(int failures) {
            if (failures < freeFailures) return Duration.ZERO;
            int doublings = Math.min(failures - freeFailures, 30);
            Duration delay = first.multipliedBy(1L << doublings);
            return delay.compareTo(longest) > 0 ? longest : delay;
        }
    }

    private static final class Failures {
        int count;
        Instant last;
    }

    private final Clock clock;
    private final Map<String, Failures> byAccountAndAddress = new HashMap<>();
    private final Map<String, Failures> byAddress = new HashMap<>();
    private final Map<String, Failures> byAccount = new HashMap<>();
    private final Map<String, Map<String, Instant>> knownAddresses = new HashMap<>();

    public SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long this attempt must wait before its password may be checked; empty when it may be checked now. */
    public synchronized Optional<Duration> waitBefore(String username, String address) {
        Instant now = clock.instant();
        String user = normalize(username);
        Duration wait = remaining(byAccountAndAddress.get(pair(user, address)), PER_ACCOUNT_AND_ADDRESS, now);
        wait = longer(wait, remaining(byAddress.get(address), PER_ADDRESS, now));
        if (!isKnown(user, address, now)) wait = longer(wait, remaining(byAccount.get(user), PER_ACCOUNT, now));
        return wait.isPositive() ? Optional.of(wait) : Optional.empty();
    }

    /** Counts a wrong password (or unknown or disabled account); returns the delay the next attempt now faces, if any. */
    public synchronized Optional<Duration> failed(String username, String address) {
        Instant now = clock.instant();
        String user = normalize(username);
        count(byAccountAndAddress, pair(user, address), now);
        count(byAddress, address, now);
        count(byAccount, user, now);
        return waitBefore(username, address);
    }

    /** A correct password: forgets this account's failures and remembers the address as one the account uses. */
    public synchronized void succeeded(String username, String address) {
        Instant now = clock.instant();
        String user = normalize(username);
        byAccountAndAddress.remove(pair(user, address));
        byAccount.remove(user);
        if (knownAddresses.size() >= MAX_ENTRIES) knownAddresses.clear();
        Map<String, Instant> known = knownAddresses.computeIfAbsent(user, u -> new LinkedHashMap<>(4, 0.75f, true));
        known.put(address, now);
        if (known.size() > KNOWN_ADDRESSES_PER_ACCOUNT) known.remove(known.keySet().iterator().next());
    }

    /**
     * A password check anywhere else a password is typed (a password change's current password): refused while a delay
     * runs, a wrong one counted as a failed sign-in, a right one as a success, so guesses there and at the sign-in page
     * share the same counters.
     *
     * @throws TooManyAttemptsException while a delay runs, or when this wrong password starts one
     */
    public boolean check(String username, String address, BooleanSupplier correct) {
        Optional<Duration> wait = waitBefore(username, address);
        if (wait.isPresent()) throw new TooManyAttemptsException(wait.get());
        if (correct.getAsBoolean()) {
            succeeded(username, address);
            return true;
        }
        Optional<Duration> next = failed(username, address);
        if (next.isPresent()) throw new TooManyAttemptsException(next.get());
        return false;
    }

    private boolean isKnown(String user, String address, Instant now) {
        Map<String, Instant> known = knownAddresses.get(user);
        Instant last = known == null ? null : known.get(address);
        return last != null && last.plus(KNOWN_ADDRESS_FOR).isAfter(now);
    }

    private static Duration remaining(Failures failures, Limit limit, Instant now) {
        if (failures == null) return Duration.ZERO;
        Duration left = Duration.between(now, failures.last.plus(limit.delayAfter(failures.count)));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static void count(Map<String, Failures> counters, String key, Instant now) {
        Failures failures = counters.get(key);
        if (failures != null && failures.last.plus(FORGET_AFTER).isBefore(now)) failures = null;
        if (failures == null) {
            if (counters.size() >= MAX_ENTRIES) forgetQuiet(counters, now);
            failures = new Failures();
            counters.put(key, failures);
        }
        failures.count++;
        failures.last = now;
    }

    /** Keeps the map bounded: drops counters that have been quiet for a while, or all of them if none is. */
    private static void forgetQuiet(Map<String, Failures> counters, Instant now) {
        counters.values().removeIf(f -> f.last.plus(Duration.ofMinutes(15)).isBefore(now));
        if (counters.size() >= MAX_ENTRIES) counters.clear();
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** As logins compare names; cut short so that huge guesses cannot fill the memory. */
    private static String normalize(String username) {
        String name = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private static String pair(String user, String address) {
        return user + "\n" + address;
    }
}
