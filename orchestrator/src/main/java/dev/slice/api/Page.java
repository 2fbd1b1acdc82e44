package dev.slice.api;

import java.util.List;

/** One page of a list and how many there are in all (offset/limit query parameters). */
public record Page<T>(List<T> items, long total) {}
