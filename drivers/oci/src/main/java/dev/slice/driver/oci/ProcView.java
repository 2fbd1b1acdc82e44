package dev.slice.driver.oci;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The container's own view of the host's summary files, served by lxcfs (what LXC, LXD and Proxmox use): bound over
 * the container's {@code /proc/meminfo}, {@code /proc/cpuinfo}, {@code /proc/uptime} and the like, they show the plan's
 * memory, its CPUs and the container's own uptime instead of the host's, so {@code free}, {@code top} and
 * {@code nproc}-style tools inside tell the customer what was bought. lxcfs answers per reader from the reader's
 * cgroups, so one mount serves every container.
 *
 * @param root        where lxcfs is mounted on the host
 * @param files       the files it serves, relative to both its root and the container's root
 */
record ProcView(Path root, List<String> files) {
    /** The files runc lets a bind mount cover under /proc (its list for lxcfs), and the CPUs online. */
    static final List<String> SERVED = List.of("proc/cpuinfo", "proc/diskstats", "proc/loadavg", "proc/meminfo",
            "proc/stat", "proc/swaps", "proc/uptime", "sys/devices/system/cpu/online");
    private static final String FILE_SYSTEM = "fuse.lxcfs";

    ProcView {
        files = List.copyOf(files);
    }

    /** lxcfs's view on this host, if it runs; empty when it is not mounted (the containers then see the host's files). */
    static Optional<ProcView> onThisHost() {
        return find(Mounts.all(), Files::isRegularFile);
    }

    /**
     * Where lxcfs is mounted although it serves nothing: its daemon is gone and every read of the mount fails, so
     * containers see the host's files. The probe names it; deploy/oci/setup.sh detaches it and starts lxcfs again.
     */
    static Optional<Path> staleMountOnThisHost() {
        List<Mounts.Mount> mounts = Mounts.all();
        return find(mounts, Files::isRegularFile).isPresent() ? Optional.empty() : topMount(mounts);
    }

    static Optional<ProcView> find(List<Mounts.Mount> mounts, Predicate<Path> exists) {
        return topMount(mounts).flatMap(root -> {
            List<String> served = SERVED.stream().filter(file -> exists.test(root.resolve(file))).toList();
            return served.isEmpty() ? Optional.empty() : Optional.of(new ProcView(root, served));
        });
    }

    private static Optional<Path> topMount(List<Mounts.Mount> mounts) {
        Path root = null;
        for (Mounts.Mount mount : mounts) {
            if (mount.type().equals(FILE_SYSTEM)) root = mount.mountPoint(); // the last one is on top
        }
        return Optional.ofNullable(root);
    }
}
