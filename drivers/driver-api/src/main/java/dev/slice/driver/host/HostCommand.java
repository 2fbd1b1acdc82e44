package dev.slice.driver.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A host command as an argument list: never a shell string, so no user input is ever parsed by a shell.
 * Build it with {@link #of(String...)} and the {@code with...} methods, run it with {@link ProcessRunner}.
 */
public record HostCommand(List<String> argv, Duration timeout, Map<String, String> environment,
                          Path workingDirectory, byte[] stdin) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public HostCommand {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) throw new IllegalArgumentException("a command needs at least the program");
        Objects.requireNonNull(timeout, "timeout");
        environment = Map.copyOf(environment);
    }

    public static HostCommand of(String... argv) {
        return new HostCommand(List.of(argv), DEFAULT_TIMEOUT, Map.of(), null, null);
    }

    public static HostCommand of(List<String> argv) {
        return new HostCommand(argv, DEFAULT_TIMEOUT, Map.of(), null, null);
    }

    public HostCommand withArgs(String... more) {
        List<String> all = new ArrayList<>(argv);
        all.addAll(List.of(more));
        return new HostCommand(all, timeout, environment, workingDirectory, stdin);
    }

    public HostCommand withTimeout(Duration newTimeout) {
        return new HostCommand(argv, newTimeout, environment, workingDirectory, stdin);
    }

    public HostCommand withEnv(String name, String value) {
        Map<String, String> env = new HashMap<>(environment);
        env.put(name, value);
        return new HostCommand(argv, timeout, env, workingDirectory, stdin);
    }

    public HostCommand in(Path directory) {
        return new HostCommand(argv, timeout, environment, directory, stdin);
    }

    public HostCommand withStdin(byte[] input) {
        return new HostCommand(argv, timeout, environment, workingDirectory, input);
    }

    public String program() { return argv.getFirst(); }

    @Override
    public String toString() { return String.join(" ", argv); }
}
