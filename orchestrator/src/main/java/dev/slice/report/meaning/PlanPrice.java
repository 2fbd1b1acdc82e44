package dev.slice.report.meaning;

/** The plan a backend's guests of the measured size would be sold as, and its price per month in cents. */
public record PlanPrice(long planId, String name, String backend, long monthlyPriceCents) {}
