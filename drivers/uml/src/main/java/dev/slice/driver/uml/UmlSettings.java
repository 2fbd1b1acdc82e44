package dev.slice.driver.uml;

import dev.slice.driver.HostContext;
import dev.slice.driver.InvalidSpecException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the driver finds its host parts and how it runs guests; every value can be overridden with a
 * {@code uml.*} setting.
 *
 * @param kernel      the UML kernel ({@code uml.kernel}; deploy/uml/setup.sh installs it at
 *                    {@code /usr/local/lib/slice/uml/linux.uml} with its own C library beside it)
 * @param processMode how the kernel runs guest processes ({@code uml.process-mode}, default ptrace)
 * @param firstUid    the first host user id given to guests ({@code uml.first-uid}); each guest runs as
 *                    its own user from {@link GuestUsers#RANGE} ids on, none of which needs a passwd entry
 * @param guests      where each guest's directory lives ({@code <dataDir>/uml})
 */
record UmlSettings(Path kernel, ProcessMode processMode, long firstUid, Path guests, HostContext host) {

    static UmlSettings from(HostContext host) {
        return new UmlSettings(
                Path.of(host.setting("uml.kernel").orElse("/usr/local/lib/slice/uml/linux.uml")),
                ProcessMode.parse(host.setting("uml.process-mode").orElse(ProcessMode.PTRACE.name())),
                Long.parseLong(host.setting("uml.first-uid").orElse("1600000000")),
                host.dataDir().resolve("uml"),
                host);
    }

    /**
     * UML runs a guest's processes as host processes that it traces ({@code ptrace}, every system call
     * and page fault a round trip through the host scheduler), or that cooperate with it through a
     * seccomp filter and a signal handler ({@code seccomp}, since Linux 6.17: about a fifth less CPU
     * to boot). The kernel's own documentation says the seccomp filter does not yet stop a guest
     * process from reading and writing the guest's memory, so any process inside the guest could make
     * itself root inside the guest: a customer's web server taken over would own the whole VPS. The
     * host is protected the same way in both modes (the kernel runs as an unprivileged, jailed host
     * user), so the choice only concerns what guests can trust inside themselves: Slice uses ptrace,
     * and an operator may trade that for speed with {@code uml.process-mode=seccomp}.
     */
    enum ProcessMode {
        PTRACE("off"), SECCOMP("on");

        private final String kernelArgument;

        ProcessMode(String kernelArgument) { this.kernelArgument = kernelArgument; }

        /** The value of the kernel's {@code seccomp=} argument. */
        String kernelArgument() { return kernelArgument; }

        static ProcessMode parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidSpecException("uml.process-mode must be 'seccomp' or 'ptrace', got '" + text + "'");
            }
        }
    }
}
