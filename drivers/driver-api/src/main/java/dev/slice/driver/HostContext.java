package dev.slice.driver;

import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a driver knows about the host it runs on.
 *
 * @param dataDir  Slice's data directory ({@code /var/lib/slice} by default): templates, disks, state
 * @param settings driver settings from configuration, keys prefixed by the driver's kind,
 *                 e.g. {@code qemu.uri=qemu:///system}, {@code oci.runtime=runc}
 */
public record HostContext(Path dataDir, Map<String, String> settings, ProcessRunner processes) {
    public HostContext {
        settings = Map.copyOf(settings);
    }

    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    /** Where a template's built forms live: {@code <dataDir>/templates/<name>}. */
    public Path templateDir(String template) {
        return dataDir.resolve("templates").resolve(template);
    }

    public static HostContext of(Path dataDir) {
        return new HostContext(dataDir, Map.of(), new ProcessRunner());
    }
}
