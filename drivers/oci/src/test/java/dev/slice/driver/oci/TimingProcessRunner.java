package dev.slice.driver.oci;

import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A ProcessRunner that also notes how long each host command took (benchmark only): shows which
 * commands an order costs and where start's time goes. Not thread-safe; the benchmark runs one order at a time.
 */
final class TimingProcessRunner extends ProcessRunner {
    /** Options whose next argument is a value, so that the label names the subcommand instead. */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--root", "-netns", "-n", "--log", "--log-format");

    record Timed(String label, double millis) {}

    private final List<Timed> recorded = new ArrayList<>();

    @Override
    public ProcessResult run(HostCommand command) {
        long start = System.nanoTime();
        try {
            return super.run(command);
        } finally {
            recorded.add(new Timed(label(command), (System.nanoTime() - start) / 1e6));
        }
    }

    @Override
    public void spawnDetached(HostCommand command, Path log) {
        long start = System.nanoTime();
        try {
            super.spawnDetached(command, log);
        } finally {
            recorded.add(new Timed("setsid " + label(command), (System.nanoTime() - start) / 1e6));
        }
    }

    /** What was run since the last call, and forgets it. */
    List<Timed> drain() {
        List<Timed> out = List.copyOf(recorded);
        recorded.clear();
        return out;
    }

    /** The program's name and its subcommand, e.g. "runc state" or "ip -netns link". */
    static String label(HostCommand command) {
        List<String> argv = command.argv();
        StringBuilder label = new StringBuilder(Path.of(argv.getFirst()).getFileName().toString());
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (OPTIONS_WITH_VALUE.contains(arg)) {
                if (!arg.equals("--root")) label.append(' ').append(arg);
                i++;
            } else if (arg.startsWith("-")) {
                label.append(' ').append(arg);
            } else {
                if (!arg.startsWith("/")) label.append(' ').append(arg);
                break;
            }
        }
        return label.toString();
    }
}
