package dev.slice.display;

import java.util.Locale;

/** Human-readable sizes for plans, nodes and stats. */
public final class Sizes {
    private Sizes() {}

    public static String mib(long mib) {
        if (mib >= 1024 && mib % 1024 == 0) return (mib / 1024) + " GiB";
        if (mib >= 1024) return String.format(Locale.ROOT, "%.1f GiB", mib / 1024.0);
        return mib + " MiB";
    }

    public static String bytes(long bytes) {
        if (bytes < 0) return "n/a";
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    public static String money(long cents) {
        return String.format(Locale.ROOT, "%d.%02d", cents / 100, Math.abs(cents % 100));
    }

    public static String perMonth(long cents) {
        return money(cents) + " / month";
    }
}
