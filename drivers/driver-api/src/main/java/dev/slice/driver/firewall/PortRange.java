package dev.slice.driver.firewall;

/** One port ({@code from == to}) or an inclusive range of ports, 1-65535. */
public record PortRange(int from, int to) {
    public static final int MIN = 1;
    public static final int MAX = 65535;

    public PortRange {
        if (from < MIN || to > MAX || from > to) {
            throw new IllegalArgumentException("a port range is " + MIN + "-" + MAX + " with its first port not above its last");
        }
    }

    public static PortRange of(int port) { return new PortRange(port, port); }

    /** "22" or "8000-8080". */
    public static PortRange parse(String text) {
        String t = text.strip();
        int dash = t.indexOf('-');
        try {
            if (dash < 0) return of(Integer.parseInt(t));
            return new PortRange(Integer.parseInt(t.substring(0, dash).strip()), Integer.parseInt(t.substring(dash + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a port is a number " + MIN + "-" + MAX + ", a range is two joined by '-'");
        }
    }

    @Override
    public String toString() { return from == to ? Integer.toString(from) : from + "-" + to; }
}
