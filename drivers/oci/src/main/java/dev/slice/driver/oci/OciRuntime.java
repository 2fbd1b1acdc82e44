package dev.slice.driver.oci;

import dev.slice.driver.GuestId;
import dev.slice.driver.Resources;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OCI runtime's command line (runc and crun share it), always with Slice's own state root, so
 * Slice sees exactly its containers and nobody else's.
 */
final class OciRuntime {
    /** A container's status as the runtime reports it. */
    enum Status { CREATING, CREATED, RUNNING, PAUSED, STOPPED }

    private final Path binary;
    private final Path root;
    private final ProcessRunner processes;
    private final JsonMapper json;

    OciRuntime(Path binary, Path root, ProcessRunner processes, JsonMapper json) {
        this.binary = binary;
        this.root = root;
        this.processes = processes;
        this.json = json;
    }

    Path binary() { return binary; }

    /**
     * The status of one container, empty when the runtime does not know it. runc and crun keep each
     * container's state in {@code <root>/<id>}: without that directory there is nothing to ask
     * about, which spares a runtime process for every guest that never ran (create, first start).
     */
    Optional<Status> status(GuestId id) {
        if (!Files.isDirectory(root.resolve(id.value()))) return Optional.empty();
        ProcessResult result = processes.run(command("state", id.value()));
        if (!result.succeeded()) return Optional.empty();
        return Optional.of(parseStatus(json.readTree(result.stdout()).path("status").asString()));
    }

    /** Every container in Slice's state root, by id. */
    Map<String, Status> list() {
        ProcessResult result = processes.runChecked(command("list", "--format", "json"));
        Map<String, Status> containers = new LinkedHashMap<>();
        String out = result.stdout().strip();
        if (out.isEmpty()) return containers;
        JsonNode list = json.readTree(out);
        for (JsonNode container : list) {
            containers.put(container.path("id").asString(), parseStatus(container.path("status").asString()));
        }
        return containers;
    }

    /**
     * The argument list that creates and starts a container in one runtime process ({@code run
     * --detach}: create and start without a second process), for the console keeper to run.
     */
    List<String> runArgv(GuestId id, Path bundle, Path consoleSocket, Path pidFile) {
        List<String> argv = new ArrayList<>(globalArgs());
        argv.addAll(List.of("run", "--detach", "--bundle", bundle.toString(), "--console-socket", consoleSocket.toString(),
                "--pid-file", pidFile.toString(), id.value()));
        return argv;
    }

    /** Sends a signal to the container's init; returns false when the container was not running any more. */
    boolean kill(GuestId id, String signal) {
        return processes.run(command("kill", id.value(), signal)).succeeded();
    }

    void delete(GuestId id) {
        processes.run(command("delete", "--force", id.value()));
    }

    void update(GuestId id, Resources resources) {
        processes.runChecked(command("update",
                "--cpu-period", Long.toString(OciConfig.CPU_PERIOD_MICROS),
                "--cpu-quota", Long.toString(OciConfig.cpuQuotaMicros(resources.vcpus())),
                "--memory", Long.toString(OciConfig.memoryBytes(resources.memoryMiB())),
                "--pids-limit", Integer.toString(OciConfig.processLimit(resources)),
                id.value()));
    }

    /** Runs a program inside a running container, without a terminal. */
    ProcessResult exec(GuestId id, Duration timeout, List<String> argv) {
        return exec(id, timeout, argv, null, null);
    }

    /**
     * Runs a program inside a running container with {@code stdin} as its input. With a {@code pidFile}, the
     * runtime writes the program's host pid there, so a caller can kill it when its deadline passes (killing
     * the runtime's exec process alone would leave the program running in the container).
     */
    ProcessResult exec(GuestId id, Duration timeout, List<String> argv, byte[] stdin, Path pidFile) {
        List<String> all = new ArrayList<>(List.of("exec"));
        if (pidFile != null) all.addAll(List.of("--pid-file", pidFile.toString()));
        all.add(id.value());
        all.addAll(argv);
        return processes.run(command(all.toArray(String[]::new)).withTimeout(timeout).withStdin(stdin));
    }

    String version() {
        ProcessResult result = processes.run(HostCommand.of(binary.toString(), "--version"));
        String first = result.stdout().lines().findFirst().orElse("").strip();
        return first.replaceFirst("^(runc|crun) version ", "");
    }

    private List<String> globalArgs() {
        return List.of(binary.toString(), "--root", root.toString());
    }

    private HostCommand command(String... args) {
        return HostCommand.of(globalArgs()).withArgs(args);
    }

    static Status parseStatus(String status) {
        return switch (status) {
            case "creating" -> Status.CREATING;
            case "created" -> Status.CREATED;
            case "running" -> Status.RUNNING;
            case "paused" -> Status.PAUSED;
            default -> Status.STOPPED;
        };
    }
}
