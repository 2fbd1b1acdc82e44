package dev.slice.driver;

/**
 * Whether a driver can run guests on this host, and if not, why; shown to operators as is.
 *
 * @param detail for an available driver, what it uses (e.g. "runc 1.1.5, cgroup v1");
 *               for an unavailable one, what is missing and how to fix it
 */
public record ProbeResult(boolean available, String version, String detail, Capacity capacity) {
    public static ProbeResult available(String version, String detail, Capacity capacity) {
        return new ProbeResult(true, version, detail, capacity);
    }

    public static ProbeResult unavailable(String why) {
        return new ProbeResult(false, null, why, null);
    }
}
