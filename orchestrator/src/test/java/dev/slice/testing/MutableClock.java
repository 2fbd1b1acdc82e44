package dev.slice.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move forward instead of sleeping; starts at real time so database rows look sane. */
public class MutableClock extends Clock {
    private volatile Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS); // PostgreSQL keeps microseconds

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override public Clock withZone(ZoneId zone) { return this; }

    @Override public Instant instant() { return now; }

    public void advance(Duration duration) { now = now.plus(duration); }

    /** A view of this clock shifted by {@code offset}: a second worker living later than the first. */
    public Clock offset(Duration offset) { return Clock.offset(this, offset); }
}
