package dev.slice.report.meaning;

/**
 * A figure someone else measured and published, shown beside this host's own and always labelled as
 * published. {@code value} reads the way the report's own figures read: for {@link Kind#RATIO} 1.00 is bare
 * metal and below is slower (latencies inverted), for {@link Kind#MEMORY_PER_GUEST_MB} megabytes of host
 * memory a guest costs beyond its RAM, for {@link Kind#BOOT_MS} milliseconds until the guest runs.
 *
 * @param source   short citation, e.g. "Felter et al. 2014"
 * @param document the publication it comes from
 * @param approach the kind of isolation it measured (compared only with backends of the same approach)
 * @param system   what was measured, as published (e.g. "KVM, untuned")
 * @param metric   the report's metric id it corresponds to, or null when no workload here matches
 * @param workload the published workload (e.g. "Linpack")
 * @param checked  false when the figure is second-hand or quoted from memory and needs the original
 */
public record PublishedFigure(String source, String document, Approach approach, String system, Kind kind, String metric,
                              String workload, double value, boolean checked) {
    public enum Kind { RATIO, MEMORY_PER_GUEST_MB, BOOT_MS }

    /** "KVM, untuned: Linpack 0.83 (Felter et al. 2014, published)". */
    public String describe() {
        String figure = switch (kind) {
            case RATIO -> String.format(java.util.Locale.ROOT, "%.2f of bare metal", value);
            case MEMORY_PER_GUEST_MB -> String.format(java.util.Locale.ROOT, "%.0f MB per guest", value);
            case BOOT_MS -> String.format(java.util.Locale.ROOT, "%.0f ms to boot", value);
        };
        return system + ": " + workload + " " + figure + " (" + source + ", published" + (checked ? "" : ", unchecked") + ")";
    }
}
