package dev.slice.driver.oci;

import dev.slice.driver.GuestSpec;
import dev.slice.driver.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a container's OCI runtime configuration ({@code config.json}) from its spec: the plan's
 * limits become cgroup limits, its network namespace is the one {@link GuestNetwork} made, and its
 * init is Slice's small static init (deploy/oci/container-init.c) bound read-only into the container,
 * beside the first-boot script and the guest's settings, which the init applies before anything else.
 */
final class OciConfig {
    static final String INIT_PATH = "/sbin/slice-init";
    /** Where the init finds the first-boot script and the guest's settings (deploy/oci/container-init.c). */
    static final String FIRST_BOOT_SCRIPT_PATH = "/run/slice/slice-firstboot";
    static final String FIRST_BOOT_SETTINGS_PATH = "/run/slice/first-boot";
    static final long CPU_PERIOD_MICROS = 100_000;
    /** The process limit when the plan sets none (Resources.maxProcesses == 0). */
    static final int DEFAULT_MAX_PROCESSES = 4096;

    /** Docker's default capability set: enough for sshd, login and package managers, not for the host. */
    private static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    private static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/proc/scsi", "/sys/firmware");
    private static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    private final JsonMapper json;

    OciConfig(JsonMapper json) {
        this.json = json;
    }

    static String cgroupsPath(String guestId) { return "/slice-oci/" + guestId; }

    static long cpuQuotaMicros(int vcpus) { return vcpus * CPU_PERIOD_MICROS; }

    static long memoryBytes(long memoryMiB) { return memoryMiB * 1024 * 1024; }

    static int processLimit(Resources resources) {
        return resources.maxProcesses() == 0 ? DEFAULT_MAX_PROCESSES : resources.maxProcesses();
    }

    /**
     * The host files of the guest's first boot: the shared script and the directory with its settings file.
     * A guest made before the settings file has none; its first-boot files are in its disk already.
     */
    record FirstBoot(Path script, Path settingsDir) {}

    ObjectNode build(GuestSpec spec, Path init, Optional<FirstBoot> firstBoot, Path networkNamespace, CgroupMode cgroups,
                     Optional<ProcView> procView) {
        ObjectNode config = json.createObjectNode();
        config.put("ociVersion", "1.0.2");
        config.set("process", process());
        config.putObject("root").put("path", "rootfs").put("readonly", false);
        config.put("hostname", spec.hostname());
        config.set("mounts", mounts(init, firstBoot, procView));
        config.set("linux", linux(spec, networkNamespace, cgroups));
        return config;
    }

    String render(ObjectNode config) {
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(config);
    }

    private ObjectNode process() {
        ObjectNode process = json.createObjectNode();
        process.put("terminal", true);
        process.putObject("user").put("uid", 0).put("gid", 0);
        process.putArray("args").add(INIT_PATH);
        process.putArray("env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .add("TERM=linux").add("container=slice");
        process.put("cwd", "/");
        ObjectNode capabilities = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode list = capabilities.putArray(set);
            CAPABILITIES.forEach(list::add);
        }
        // The runtime sets limits after dropping privileges, so they must stay below the host's own hard limit.
        process.putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("hard", 4096).put("soft", 1024);
        process.put("noNewPrivileges", false);
        return process;
    }

    private ArrayNode mounts(Path init, Optional<FirstBoot> firstBoot, Optional<ProcView> procView) {
        ArrayNode mounts = json.createArrayNode();
        mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        mount(mounts, "/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro"));
        mount(mounts, "/run", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=755", "size=65536k"));
        mount(mounts, INIT_PATH, "bind", init.toString(), List.of("bind", "ro", "nosuid", "nodev"));
        // Under /run (a tmpfs): nothing of them lands in the guest's disk, and the guest cannot change them.
        firstBoot.ifPresent(files -> {
            mount(mounts, FIRST_BOOT_SCRIPT_PATH, "bind", files.script().toString(), List.of("bind", "ro", "nosuid", "nodev"));
            mount(mounts, FIRST_BOOT_SETTINGS_PATH, "bind", files.settingsDir().toString(),
                    List.of("bind", "ro", "nosuid", "nodev", "noexec"));
        });
        // After /proc and /sys, which they cover file by file.
        procView.ifPresent(view -> view.files().forEach(file -> mount(mounts, "/" + file, "bind",
                view.root().resolve(file).toString(), List.of("bind", "ro", "nosuid", "nodev", "noexec"))));
        return mounts;
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, List<String> options) {
        ObjectNode mount = mounts.addObject();
        mount.put("destination", destination).put("type", type).put("source", source);
        ArrayNode list = mount.putArray("options");
        options.forEach(list::add);
    }

    private ObjectNode linux(GuestSpec spec, Path networkNamespace, CgroupMode cgroups) {
        ObjectNode linux = json.createObjectNode();
        linux.put("cgroupsPath", cgroupsPath(spec.id().value()));
        linux.set("resources", resources(spec.resources()));
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String type : List.of("pid", "ipc", "uts", "mount")) namespaces.addObject().put("type", type);
        namespaces.addObject().put("type", "network").put("path", networkNamespace.toString());
        if (cgroups.isV2()) namespaces.addObject().put("type", "cgroup");
        ArrayNode masked = linux.putArray("maskedPaths");
        MASKED_PATHS.forEach(masked::add);
        ArrayNode readonly = linux.putArray("readonlyPaths");
        READONLY_PATHS.forEach(readonly::add);
        return linux;
    }

    /**
     * Exposes a host block device in the container as {@code path} (a rescue system's view of the guest's disk): its
     * node is made by the runtime and the device cgroup lets the container read and write it, never make other nodes.
     */
    void addBlockDevice(ObjectNode config, String path, int major, int minor) {
        ObjectNode linux = (ObjectNode) config.get("linux");
        ArrayNode devices = linux.has("devices") ? (ArrayNode) linux.get("devices") : linux.putArray("devices");
        devices.addObject().put("path", path).put("type", "b").put("major", major).put("minor", minor)
                .put("fileMode", 0660).put("uid", 0).put("gid", 0);
        ((ArrayNode) linux.get("resources").get("devices")).addObject()
                .put("allow", true).put("type", "b").put("major", major).put("minor", minor).put("access", "rw");
    }

    ObjectNode resources(Resources resources) {
        ObjectNode node = json.createObjectNode();
        // Every device is denied; the runtime adds the standard ones (null, zero, random, tty, ptmx...).
        node.putArray("devices").addObject().put("allow", false).put("access", "rwm");
        node.putObject("memory").put("limit", memoryBytes(resources.memoryMiB()));
        node.putObject("cpu").put("quota", cpuQuotaMicros(resources.vcpus())).put("period", CPU_PERIOD_MICROS);
        node.putObject("pids").put("limit", processLimit(resources));
        return node;
    }
}
