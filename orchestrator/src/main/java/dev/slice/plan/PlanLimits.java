package dev.slice.plan;

import dev.slice.error.ValidationException;
import java.util.Locale;

/**
 * The bounds of every plan and grant number, in one place (plans, grants, the panel's forms and the API's
 * documentation use these). Chosen for a hosting panel: the largest plan is a whole large host, prices are
 * integer cents up to 100,000.00 a month, and nothing is negative.
 */
public final class PlanLimits {
    public static final int MAX_NAME_LENGTH = 64;
    public static final int MIN_VCPUS = 1;
    /** The most vCPUs one guest gets from QEMU/KVM's usual limits; no host in a VPS panel gives one guest more. */
    public static final int MAX_VCPUS = 256;
    /** Below this no backend's guest boots (the smallest starter plan has 256 MiB). */
    public static final long MIN_MEMORY_MIB = 64;
    /** 4 TiB: the memory of a large host, given to one guest. */
    public static final long MAX_MEMORY_MIB = 4L * 1024 * 1024;
    public static final long MIN_DISK_MIB = 256;
    /** 64 TiB: more than one host's local disks. */
    public static final long MAX_DISK_MIB = 64L * 1024 * 1024;
    /** 0 means unmetered; 100 Gbit/s is the fastest host link a plan can be shaped to. */
    public static final int MAX_BANDWIDTH_MBIT = 100_000;
    /** 100,000.00 a month in cents. */
    public static final long MAX_MONTHLY_PRICE_CENTS = 10_000_000;
    /** 0 means unmetered; 1,000,000 GB (1 PB) a month is more than any plan includes, short of unmetered. */
    public static final long MAX_TRAFFIC_ALLOWANCE_GB = 1_000_000;
    /** 1,000.00 per GB over the allowance in cents: far above any provider's price, and no overflow on any month's traffic. */
    public static final long MAX_OVERAGE_PER_GB_CENTS = 100_000;
    /** Servers one reseller may sell in total. */
    public static final int MAX_SERVERS_PER_GRANT = 100_000;
    /** Totals of a grant or a customer's limits: as many servers as a grant may sell, each of the largest plan. */
    public static final int MAX_VCPUS_TOTAL = MAX_SERVERS_PER_GRANT * MAX_VCPUS;
    public static final long MAX_MEMORY_MIB_TOTAL = MAX_SERVERS_PER_GRANT * MAX_MEMORY_MIB;
    public static final long MAX_DISK_MIB_TOTAL = MAX_SERVERS_PER_GRANT * MAX_DISK_MIB;
    /** One address per server. */
    public static final int MAX_IPV4_ADDRESSES_TOTAL = MAX_SERVERS_PER_GRANT;

    private PlanLimits() {}

    public static void between(String field, long value, long min, long max, String unit) {
        if (value < min || value > max) {
            throw new ValidationException(field, String.format(Locale.ROOT, "between %,d and %,d %s", min, max, unit));
        }
    }
}
