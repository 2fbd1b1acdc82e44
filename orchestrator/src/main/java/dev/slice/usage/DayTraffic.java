package dev.slice.usage;

import java.time.LocalDate;

/** One UTC day's traffic of a server. */
public record DayTraffic(LocalDate day, long rxBytes, long txBytes) {}
