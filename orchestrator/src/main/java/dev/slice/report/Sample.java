package dev.slice.report;

import java.time.Instant;

/** One figure of one round on one target ({@link #BARE_METAL} or a backend id), with the host's load at the time. */
public record Sample(String target, int round, boolean warmUp, Metric metric, double value, boolean directIo, HostLoad load,
                     Instant takenAt) {
    public static final String BARE_METAL = "bare-metal";
}
