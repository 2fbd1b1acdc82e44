package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestInfo;
import dev.slice.driver.GuestState;
import dev.slice.driver.StopMode;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** What stopping, rebooting and destroying really do to a guest's processes, files and host resources. */
class OciLifecycleTest {
    private final OciDriver driver = OciTestHost.openDriver();
    private final ProcessRunner processes = new ProcessRunner();

    @Test
    void aGracefulStopGivesTheGuestsProcessesSigtermAndTimeAndFilesSurviveRestarts() {
        GuestId id = OciTestHost.uniqueId("graceful");
        try {
            driver.create(OciTestHost.spec(id, 70));
            driver.start(id);
            // A service that needs its SIGTERM to save its state.
            OciTestHost.run(driver, id, "sh", "-c", "setsid sh -c 'trap \"echo saved > /root/saved-on-term; exit 0\" TERM;"
                    + " touch /run/service-ready; while :; do sleep 0.1; done' </dev/null >/dev/null 2>&1 &");
            awaitFile(id, "/run/service-ready");
            driver.stop(id, StopMode.graceful(Duration.ofSeconds(20)));
            assertThat(driver.state(id)).isEqualTo(GuestState.STOPPED);
            assertThatThrownBy(() -> driver.open(id)).isInstanceOf(DriverException.class).hasMessageContaining("is not running");
            driver.start(id);
            assertThat(OciTestHost.run(driver, id, "cat", "/root/saved-on-term")).isEqualTo("saved");
            driver.reboot(id);
            assertThat(driver.state(id)).isEqualTo(GuestState.RUNNING);
            assertThat(OciTestHost.run(driver, id, "cat", "/root/saved-on-term")).isEqualTo("saved");
        } finally {
            driver.destroy(id);
        }
    }

    @Test
    void afterAHostRebootTheGuestIsStoppedAndStartsAgainWithItsFiles() throws Exception {
        GuestId id = OciTestHost.uniqueId("reboot");
        try {
            driver.create(OciTestHost.spec(id, 72));
            driver.start(id);
            OciTestHost.run(driver, id, "sh", "-c", "echo before-reboot > /root/note");
            simulateHostReboot(id);

            OciDriver afterReboot = OciTestHost.openDriver();
            assertThat(afterReboot.state(id)).isEqualTo(GuestState.STOPPED);
            assertThatThrownBy(() -> afterReboot.open(id)).isInstanceOf(DriverException.class).hasMessageContaining("is not running");
            assertThat(afterReboot.list()).contains(new GuestInfo(id, GuestState.STOPPED));
            afterReboot.start(id);
            assertThat(afterReboot.state(id)).isEqualTo(GuestState.RUNNING);
            assertThat(OciTestHost.run(afterReboot, id, "cat", "/root/note")).isEqualTo("before-reboot");
            assertThat(OciTestHost.run(afterReboot, id, "ip", "-o", "-4", "addr", "show", "dev", "eth0")).contains("10.79.1.72/24");
        } finally {
            driver.destroy(id);
        }
    }

    /** What a reboot takes away: every process, /run (runtime state, sockets, netns), mounts and cgroups. */
    private void simulateHostReboot(GuestId id) throws Exception {
        Path consoleDir = OciDriverProvider.DEFAULT_RUN_DIR.resolve(id.value());
        long init = Long.parseLong(read(consoleDir.resolve("init.pid")));
        long keeper = Long.parseLong(read(consoleDir.resolve("keeper.pid")));
        ProcessHandle.of(keeper).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(init).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (isRunning(init) && System.nanoTime() < deadline) Thread.sleep(20);
        deleteTree(OciDriverProvider.DEFAULT_RUN_DIR.resolve(".runtime").resolve(id.value()));
        deleteTree(consoleDir);
        Path guest = OciTestHost.dataDir().resolve("oci/guests").resolve(id.value());
        processes.runChecked(HostCommand.of("umount", guest.resolve("bundle/rootfs").toString()));
        processes.runChecked(HostCommand.of("umount", guest.resolve("disk").toString()));
        processes.runChecked(HostCommand.of("ip", "netns", "delete", GuestNetwork.namespace(id)));
        try (var controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path controller : controllers.toList()) {
                Path group = controller.resolve(OciConfig.cgroupsPath(id.value()).substring(1));
                if (Files.isDirectory(group)) Files.delete(group);
            }
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) return;
        try (var tree = Files.walk(dir)) {
            for (Path path : tree.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(path);
        }
    }

    @Test
    void aGuestWhoseInitEndsOnItsOwnIsStoppedAndHasNoConsole() throws Exception {
        GuestId id = OciTestHost.uniqueId("ended");
        try {
            driver.create(OciTestHost.spec(id, 73));
            driver.start(id);
            long init = Long.parseLong(read(OciDriverProvider.DEFAULT_RUN_DIR.resolve(id.value()).resolve("init.pid")));
            ProcessHandle.of(init).ifPresent(ProcessHandle::destroyForcibly);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (driver.state(id) != GuestState.STOPPED) {
                assertThat(System.nanoTime()).as("still not stopped 10 s after its init was killed").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThatThrownBy(() -> driver.open(id)).isInstanceOf(DriverException.class).hasMessageContaining("is not running");
            driver.start(id);
            assertThat(driver.state(id)).isEqualTo(GuestState.RUNNING);
        } finally {
            driver.destroy(id);
        }
    }

    @Test
    void destroyingARunningGuestLeavesNothingOnTheHost() {
        GuestId id = OciTestHost.uniqueId("gone");
        driver.create(OciTestHost.spec(id, 71));
        driver.start(id);
        Path guestDir = OciTestHost.dataDir().resolve("oci/guests").resolve(id.value());
        Path cgroup = CgroupMode.detect().isV2()
                ? Path.of("/sys/fs/cgroup", OciConfig.cgroupsPath(id.value()))
                : Path.of("/sys/fs/cgroup/memory", OciConfig.cgroupsPath(id.value()));
        assertThat(cgroup).isDirectory();
        long keeper = Long.parseLong(read(OciDriverProvider.DEFAULT_RUN_DIR.resolve(id.value()).resolve("keeper.pid")));

        driver.destroy(id);

        assertThat(driver.state(id)).isEqualTo(GuestState.ABSENT);
        assertThat(guestDir).doesNotExist();
        assertThat(OciDriverProvider.DEFAULT_RUN_DIR.resolve(id.value())).doesNotExist();
        assertThat(Mounts.all()).noneMatch(mount -> mount.mountPoint().startsWith(guestDir));
        assertThat(GuestNetwork.namespacePath(id)).doesNotExist();
        assertThat(Path.of("/sys/class/net", GuestNetwork.hostInterface(id))).doesNotExist();
        assertThat(cgroup).doesNotExist();
        assertThat(isRunning(keeper)).as("console keeper %d still running", keeper).isFalse();
    }

    @Test
    void aContainerSliceDidNotCreateInItsRuntimeRootIsListedAndCanBeDestroyed(@TempDir Path bundle) throws Exception {
        GuestId id = OciTestHost.uniqueId("foreign");
        Path runtimeRoot = OciDriverProvider.DEFAULT_RUN_DIR.resolve(".runtime");
        String runtime = HostTools.path(CgroupMode.detect().isV2() && HostTools.find("crun").isPresent() ? "crun" : "runc");
        try {
            processes.runChecked(HostCommand.of(runtime, "spec").in(bundle));
            JsonMapper json = JsonMapper.builder().build();
            ObjectNode config = (ObjectNode) json.readTree(Files.readString(bundle.resolve("config.json")));
            ObjectNode process = (ObjectNode) config.get("process");
            process.put("terminal", false);
            process.putArray("args").add("sh").add("-c").add("exec sleep 300 </dev/null >/dev/null 2>&1");
            ((ObjectNode) config.get("root")).put("path", OciTestHost.dataDir().resolve("templates/debian-12/rootfs").toString())
                    .put("readonly", true);
            Files.writeString(bundle.resolve("config.json"), json.writeValueAsString(config));
            processes.runChecked(HostCommand.of(runtime, "--root", runtimeRoot.toString(), "run", "--detach",
                    "--bundle", bundle.toString(), id.value()));

            assertThat(driver.list()).contains(new GuestInfo(id, GuestState.RUNNING));
            assertThat(driver.state(id)).isEqualTo(GuestState.RUNNING);
            driver.destroy(id);
            assertThat(driver.list()).extracting(GuestInfo::id).doesNotContain(id);
        } finally {
            driver.destroy(id);
        }
    }

    private void awaitFile(GuestId id, String path) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (driver.exec(id, Duration.ofSeconds(10), "test", "-e", path).exitCode() != 0) {
            assertThat(System.nanoTime()).as("%s did not appear", path).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Whether a process still runs: gone, or only a zombie (a host init that does not reap leaves those), is not. */
    private static boolean isRunning(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) return false;
        String text = read(stat);
        return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
