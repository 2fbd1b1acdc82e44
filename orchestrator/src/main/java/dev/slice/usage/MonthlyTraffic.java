package dev.slice.usage;

import java.util.List;

/**
 * A server's traffic in one UTC calendar month ("2028-03"), with its plan's allowance of outbound GB (0: unmetered) and
 * price per GB over it; {@code days} has the days with samples.
 */
public record MonthlyTraffic(String month, long rxBytes, long txBytes, long allowanceGb, long overagePerGbCents, List<DayTraffic> days) {}
