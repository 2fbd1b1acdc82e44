package dev.slice.driver;

/** One guest that really exists on a host, as {@link Driver#list()} finds it. */
public record GuestInfo(GuestId id, GuestState state) {}
