package dev.slice.driver;

/**
 * The limits a guest gets from its plan.
 *
 * @param maxProcesses process limit (enforced by OS-level backends; 0 means the backend default)
 * @param bandwidthMbit rate limit in megabits per second, each way (0 means unlimited)
 */
public record Resources(int vcpus, long memoryMiB, long diskMiB, int maxProcesses, int bandwidthMbit) {
    public Resources {
        if (vcpus < 1 || vcpus > 256) throw new InvalidSpecException("vCPUs must be between 1 and 256, got " + vcpus);
        if (memoryMiB < 16) throw new InvalidSpecException("memory must be at least 16 MiB, got " + memoryMiB);
        if (diskMiB < 64) throw new InvalidSpecException("disk must be at least 64 MiB, got " + diskMiB);
        if (maxProcesses < 0) throw new InvalidSpecException("process limit cannot be negative");
        if (bandwidthMbit < 0) throw new InvalidSpecException("bandwidth cannot be negative");
    }

    public static Resources of(int vcpus, long memoryMiB, long diskMiB) {
        return new Resources(vcpus, memoryMiB, diskMiB, 0, 0);
    }
}
