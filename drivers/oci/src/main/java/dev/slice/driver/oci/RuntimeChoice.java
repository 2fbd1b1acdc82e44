package dev.slice.driver.oci;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which OCI runtime to use on this host and why. crun is preferred where the cgroup hierarchy is
 * unified (it is smaller and starts containers faster); on cgroup v1 or hybrid hosts crun refuses to
 * run, so runc is used. An operator may force one with the {@code oci.runtime} setting.
 *
 * @param binary absolute path of the chosen runtime, empty when none can be used
 * @param reason one sentence for {@code ProbeResult.detail}: what was chosen and why, or what is missing
 */
record RuntimeChoice(Optional<Path> binary, String name, String reason) {

    static RuntimeChoice choose(CgroupMode mode, Optional<String> forced, Function<String, Optional<Path>> finder) {
        if (forced.isPresent()) {
            String wanted = forced.get();
            String name = Path.of(wanted).getFileName().toString();
            Optional<Path> found = finder.apply(wanted);
            if (found.isEmpty()) {
                return new RuntimeChoice(Optional.empty(), name, "the runtime '" + wanted
                        + "' named by setting oci.runtime is not installed; run deploy/oci/setup.sh or change the setting");
            }
            if (name.equals("crun") && !mode.isV2()) {
                return new RuntimeChoice(Optional.empty(), name, "setting oci.runtime asks for crun, but crun refuses this host's "
                        + mode.label() + "; use runc or boot the host with the unified cgroup hierarchy");
            }
            return new RuntimeChoice(found, name, name + " (forced by setting oci.runtime) on " + mode.label());
        }
        Optional<Path> crun = finder.apply("crun");
        Optional<Path> runc = finder.apply("runc");
        if (mode.isV2() && crun.isPresent()) {
            return new RuntimeChoice(crun, "crun", "crun, because the host has " + mode.label() + " and crun is installed");
        }
        if (runc.isPresent()) {
            String why = mode.isV2()
                    ? "runc, because crun is not installed (" + mode.label() + ")"
                    : "runc, because the host has " + mode.label() + ", which crun refuses";
            return new RuntimeChoice(runc, "runc", why);
        }
        if (crun.isPresent()) {
            return new RuntimeChoice(Optional.empty(), "crun", "only crun is installed, and crun refuses this host's "
                    + mode.label() + "; install runc with deploy/oci/setup.sh");
        }
        return new RuntimeChoice(Optional.empty(), "runc",
                "no OCI runtime is installed (neither runc nor crun); run deploy/oci/setup.sh");
    }

    boolean usable() { return binary.isPresent(); }
}
