package dev.slice.driver.uml;

import dev.slice.driver.HostContext;
import java.nio.file.Path;

/**
 * Where the driver finds its host parts; every path can be overridden with a {@code uml.*} setting.
 *
 * @param kernel  the UML kernel ({@code uml.kernel}, Debian's {@code /usr/bin/linux.uml})
 * @param preload the XSTATE shim preloaded into the kernel when present ({@code uml.preload}); see
 *                deploy/uml/host/uml-xstate-shim.c for why hosts with AVX-512 or AMX need it
 * @param guests  where each guest's directory lives ({@code <dataDir>/uml})
 */
record UmlSettings(Path kernel, Path preload, Path guests, HostContext host) {

    static UmlSettings from(HostContext host) {
        return new UmlSettings(
                Path.of(host.setting("uml.kernel").orElse("/usr/bin/linux.uml")),
                Path.of(host.setting("uml.preload").orElse("/usr/local/lib/slice/uml-xstate-shim.so")),
                host.dataDir().resolve("uml"),
                host);
    }
}
