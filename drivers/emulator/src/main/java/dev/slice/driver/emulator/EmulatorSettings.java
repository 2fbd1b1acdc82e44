package dev.slice.driver.emulator;

import dev.slice.driver.HostContext;
import dev.slice.emulator.Main;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/**
 * Where the driver finds its host parts; each can be set with an {@code emulator.*} setting.
 *
 * @param launcher  {@code deploy/emulator/slice-emulator} ({@code emulator.launcher}; by default found in the
 *                  Slice checkout the process runs in, or beside {@code $SLICE_HOME})
 * @param jar       the emulator's classes for the launcher ({@code emulator.jar}); by default this module's own
 *                  jar or class directory when it is a plain file, else the launcher's own default
 * @param javaHome  the JDK the guests run on: the one Slice runs on ({@code emulator.java-home})
 * @param guests    each guest's directory ({@code <dataDir>/emulator/guests})
 * @param guestFiles the busybox guest built by deploy/emulator/build.sh ({@code <dataDir>/emulator})
 */
record EmulatorSettings(Optional<Path> launcher, Optional<Path> jar, Path javaHome, Path guests, Path guestFiles,
                        HostContext host) {

    static EmulatorSettings from(HostContext host) {
        return new EmulatorSettings(
                host.setting("emulator.launcher").map(Path::of).or(EmulatorSettings::findLauncher),
                host.setting("emulator.jar").map(Path::of).or(EmulatorSettings::ownClasses),
                Path.of(host.setting("emulator.java-home").orElse(System.getProperty("java.home"))),
                host.dataDir().resolve("emulator").resolve("guests"),
                host.dataDir().resolve("emulator"),
                host);
    }

    private static final Path LAUNCHER = Path.of("deploy", "emulator", "slice-emulator");

    /** The launcher of the checkout Slice runs from: the working directory or one of its parents, or $SLICE_HOME. */
    private static Optional<Path> findLauncher() {
        Optional<Path> home = Optional.ofNullable(System.getenv("SLICE_HOME")).map(h -> Path.of(h).resolve(LAUNCHER));
        if (home.isPresent() && Files.isExecutable(home.get())) return home;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve(LAUNCHER))) return Optional.of(dir.resolve(LAUNCHER));
        }
        return Optional.empty();
    }

    /** This module's jar (or target/classes in a build tree); empty inside a Spring Boot jar, where it is nested. */
    private static Optional<Path> ownClasses() {
        try {
            CodeSource source = Main.class.getProtectionDomain().getCodeSource();
            if (source == null || !"file".equals(source.getLocation().getProtocol())) return Optional.empty();
            Path path = Path.of(source.getLocation().toURI());
            return Files.exists(path) ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }
}
