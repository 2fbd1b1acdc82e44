package dev.slice.report.meaning;

import java.util.List;

/**
 * What a report means, in words generated from its figures: the summary sentences, the classic claims with
 * whether they hold on this host, per backend what a host of it is worth at the plan size, and the published
 * figures beside the measured ones.
 */
public record Meaning(List<String> sentences, List<Claim> claims, List<Economics> economics, List<Reference> references) {

    public enum Verdict { HOLDS, DOES_NOT_HOLD, NOT_MEASURED }

    /** One classic claim ("emulation is slowest") and what this host says about it. */
    public record Claim(String claim, Verdict verdict, String sentence) {}

    /**
     * A backend at the run's plan size on the measured node: the guests that fit, the plan of that size it would be
     * sold as (null when the operator has none) and the monthly revenue of a full host (fit x price).
     */
    public record Economics(String backend, String label, Approach approach, PlanFit.Fit fit, String planName, Long priceCents,
                            Long monthlyRevenueCents) {}

    /**
     * A measured figure beside a published one of the same approach. {@code what} is the metric id for ratios,
     * "memory_per_guest" (MiB beyond RAM) or "boot" (ms); {@code low}/{@code high} are the measured interval when known.
     */
    public record Reference(String backend, String label, String what, Double measured, Double low, Double high,
                            PublishedFigure published) {}
}
