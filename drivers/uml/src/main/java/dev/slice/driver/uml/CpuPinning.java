package dev.slice.driver.uml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each guest's processes are pinned to one host CPU. A UML guest is a kernel process and its
 * userspace processes handing control to each other many thousand times a second; on different CPUs
 * every hand-over is a cross-CPU wake-up, which in a virtual machine (as most hosts of small VPSs
 * are) costs an inter-processor interrupt through the hypervisor. Measured here on an idle 2-CPU
 * host: 3.4-4.0 s from exec to the login prompt unpinned, 1.8-2.0 s pinned. Debian's UML kernel
 * has no SMP, so a guest never runs two of its own threads at once anyway. The CPU with the fewest
 * running guests is chosen at each start.
 */
final class CpuPinning {
    private CpuPinning() {}

    /** The least-used of the online CPUs; ties go to the lowest number. */
    static int choose(List<Integer> online, Map<Integer, Long> guestsPerCpu) {
        int best = online.getFirst();
        for (int cpu : online) {
            if (guestsPerCpu.getOrDefault(cpu, 0L) < guestsPerCpu.getOrDefault(best, 0L)) best = cpu;
        }
        return best;
    }

    /** Picks the CPU for a guest that starts now, given the guests already running. */
    static int forNewGuest(Collection<GuestProcess> running) {
        Map<Integer, Long> counts = new HashMap<>();
        for (GuestProcess guest : running) {
            List<Integer> allowed = guest.allowedCpus();
            if (allowed.size() == 1) counts.merge(allowed.getFirst(), 1L, Long::sum);
        }
        return choose(online(), counts);
    }

    static List<Integer> online() {
        try {
            return parseList(Files.readString(Path.of("/sys/devices/system/cpu/online")));
        } catch (IOException e) {
            return List.of(0);
        }
    }

    /** A kernel CPU list such as {@code 0-3,8,10-11}. */
    static List<Integer> parseList(String text) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : text.strip().split(",")) {
            if (part.isEmpty()) continue;
            int dash = part.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
            for (int cpu = from; cpu <= to; cpu++) cpus.add(cpu);
        }
        return cpus.isEmpty() ? List.of(0) : cpus;
    }
}
