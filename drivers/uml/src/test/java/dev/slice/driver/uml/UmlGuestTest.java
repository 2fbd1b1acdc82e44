package dev.slice.driver.uml;

import dev.slice.driver.host.TapDevice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.HostContext;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.ConsoleStream;
import dev.slice.driver.capability.GuestStats;
import dev.slice.driver.capability.TerminalSize;
import dev.slice.driver.host.CpuCgroup;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import java.net.InetAddress;
import java.net.ServerSocket;
import dev.slice.driver.tck.ConsoleReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One real guest, looked at from inside (through its console) and from the host: first-boot settings,
 * memory, traffic through its TAP, the CPU cgroup, PSS accounting, its jail and host user, and a guest
 * outliving the driver instance that started it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UmlGuestTest {
    private static final long MEMORY_MIB = 192;

    private final UmlDriver driver = TestGuests.driver();
    private final GuestId id = TestGuests.id("uml-guest");
    private final GuestSpec spec = TestGuests.spec(id, 1, MEMORY_MIB, 20);
    private ConsoleStream stream;
    private ConsoleReader console;
    private GuestShell shell;

    @BeforeAll
    void bootAndLogIn() {
        driver.create(spec);
        driver.start(id);
        stream = driver.open(id);
        console = new ConsoleReader(stream);
        shell = GuestShell.login(console);
    }

    @AfterAll
    void destroy() throws Exception {
        if (shell != null) shell.close();
        driver.destroy(id);
    }

    @Test
    @Order(1)
    void firstBootAppliesHostnameRootPasswordAndSshKeys() {
        // Logging in with the test password already proved the root password hash was applied.
        assertThat(shell.run("hostname")).isEqualTo(spec.hostname());
        assertThat(shell.run("cat /root/.ssh/authorized_keys")).isEqualTo(TestGuests.SSH_KEY);
        assertThat(shell.run("stat -c %a /root/.ssh/authorized_keys")).isEqualTo("600");
    }

    @Test
    @Order(2)
    void firstBootConfiguresTheNetworkFromTheSpec() throws Exception {
        // The network comes up just after the console login; wait for it inside the guest.
        String address = shell.run("for i in $(seq 120); do ip -4 -o addr show dev eth0 | grep -q inet && break;"
                + " sleep 1; done; ip -4 -o addr show dev eth0");
        assertThat(address).contains("inet " + spec.network().address());
        assertThat(shell.run("ip route show default")).contains("default via " + spec.network().gateway());
        assertThat(shell.run("cat /sys/class/net/eth0/address")).isEqualTo(spec.network().mac());
        assertThat(shell.run("cat /etc/resolv.conf")).contains("nameserver 10.99.0.1");
        Path tap = Path.of("/sys/class/net", TapDevice.nameFor(UmlDriver.TAP_PREFIX, id));
        assertThat(tap.resolve("master")).as("TAP on the spec's bridge").exists();
        assertThat(tap.resolve("master").toRealPath().getFileName().toString()).isEqualTo(TestGuests.BRIDGE);
    }

    @Test
    @Order(3)
    void theGuestHasThePlansMemory() {
        long totalKiB = Long.parseLong(shell.run("awk '/^MemTotal:/ {print $2}' /proc/meminfo"));
        // The kernel keeps its own code and reserved pages out of MemTotal.
        assertThat(totalKiB).isBetween((MEMORY_MIB - 48) * 1024, MEMORY_MIB * 1024);
    }

    @Test
    @Order(4)
    void everyHostProcessOfTheGuestIsInItsCpuCgroupWithTheQuotaOfItsVcpus() throws Exception {
        CpuCgroup cgroup = driver.cgroup().orElseThrow();
        assertThat(cgroup.quotaMicros(id)).contains(spec.resources().vcpus() * CpuCgroup.PERIOD_MICROS);
        GuestProcess kernel = GuestProcess.find(driver.guest(id)).orElseThrow();
        assertThat(kernel.tree()).hasSizeGreaterThan(2);
        for (long pid : kernel.tree()) {
            String groups = Files.readString(Path.of("/proc", Long.toString(pid), "cgroup"));
            assertThat(groups).as("cgroups of guest process %d", pid).contains(UmlDriver.CGROUP_PARENT + "/" + id.value());
        }
        // CFS counts bandwidth periods only for a group whose quota it enforces.
        Path cpuStat = switch (cgroup) {
            case CpuCgroup.V1 v1 -> v1.root().resolve("cpu").resolve(UmlDriver.CGROUP_PARENT).resolve(id.value()).resolve("cpu.stat");
            case CpuCgroup.V2 v2 -> v2.root().resolve(UmlDriver.CGROUP_PARENT).resolve(id.value()).resolve("cpu.stat");
        };
        shell.run("i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done");
        long periods = Files.readAllLines(cpuStat).stream().filter(line -> line.startsWith("nr_periods "))
                .mapToLong(line -> Long.parseLong(line.substring("nr_periods ".length()).strip())).sum();
        assertThat(periods).as("enforced CFS periods in %s", cpuStat).isPositive();
    }

    @Test
    @Order(5)
    void statsCountGuestWorkAndMemoryByProportionalSetSize() throws Exception {
        GuestStats before = driver.read(id);
        shell.run("i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done");
        GuestStats after = driver.read(id);
        assertThat(after.cpuTimeNanos()).isGreaterThan(before.cpuTimeNanos()).isPositive();

        GuestProcess kernel = GuestProcess.find(driver.guest(id)).orElseThrow();
        long rssSum = 0;
        for (long pid : kernel.tree()) {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) rssSum += Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        long guestRam = kernel.guestRamProportionalBytes();
        // UML's memory file holds guest RAM plus the kernel's own image and its exec-shield gap.
        assertThat(guestRam).as("guest RAM in use").isPositive();
        // Guest RAM is shared by every process of the tree: RSS counts it again for each, PSS once.
        assertThat(after.memoryBytes()).isGreaterThanOrEqualTo(guestRam).isLessThan(rssSum);
        assertThat(after.netRxBytes()).isNotNegative();
        assertThat(after.diskReadBytes()).isNotNegative();
    }

    @Test
    @Order(6)
    void theGuestExchangesPacketsWithTheHostThroughItsTap() {
        // The tests' own bridge gets the spec's gateway address, so the traffic stays on this host.
        HostContext host = TestGuests.host();
        host.processes().runChecked(HostCommand.of("ip", "addr", "replace", spec.network().gateway() + "/24",
                "dev", TestGuests.BRIDGE));
        shell.run("for i in $(seq 60); do ip -4 -o addr show dev eth0 | grep -q inet && break; sleep 1; done");
        assertThat(shell.run("ping -c 2 -W 3 " + spec.network().gateway() + " >/dev/null && echo reached"))
                .isEqualTo("reached");
        String guestAddress = spec.network().address().substring(0, spec.network().address().indexOf('/'));
        assertThat(host.processes().run(HostCommand.of("ping", "-c", "2", "-W", "3", guestAddress)).succeeded())
                .as("the host reaches the guest at %s", guestAddress).isTrue();
        long[] guestRxTx = TapDevice.guestRxTx(TapDevice.nameFor(UmlDriver.TAP_PREFIX, id));
        assertThat(guestRxTx[0]).as("bytes the guest received").isPositive();
        assertThat(guestRxTx[1]).as("bytes the guest sent").isPositive();
    }

    @Test
    @Order(7)
    void theKernelRunsAsTheGuestsOwnUnprivilegedHostUserOnOneHostCpu() throws Exception {
        GuestRecord record = GuestRecord.read(driver.guest(id).record()).orElseThrow();
        assertThat(record.uid()).isGreaterThanOrEqualTo(1_000_000_000L);
        GuestProcess kernel = GuestProcess.find(driver.guest(id)).orElseThrow();
        for (long pid : kernel.tree()) {
            List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            assertThat(status).as("process %d", pid)
                    .anySatisfy(line -> assertThat(line).matches("Uid:\\s+" + record.uid() + "\\s+" + record.uid() + ".*"))
                    .anySatisfy(line -> assertThat(line).isEqualTo("CapEff:\t0000000000000000"))
                    .anySatisfy(line -> assertThat(line).isEqualTo("NoNewPrivs:\t1"))
                    .as("ptrace mode, the default: no seccomp filter").anySatisfy(line -> assertThat(line).isEqualTo("Seccomp:\t0"));
        }
        assertThat(TapDevice.owner(TapDevice.nameFor(UmlDriver.TAP_PREFIX, id))).isEqualTo(record.uid());
        // All of the guest's processes share one host CPU (CpuPinning).
        for (long pid : kernel.tree()) {
            assertThat(new GuestProcess(pid, driver.guest(id)).allowedCpus()).as("CPUs of process %d", pid).hasSize(1)
                    .isEqualTo(kernel.allowedCpus());
        }
    }

    @Test
    @Order(8)
    void theGuestsHostUserCannotReachTheHostsOwnServices() throws Exception {
        // What a guest kernel taken over by the guest's root could try: a loopback connection as its host user.
        try (ServerSocket service = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String connect = "echo uid=$(id -u); exec 3<>/dev/tcp/127.0.0.1/" + service.getLocalPort() + " && echo connected";
            HostContext host = TestGuests.host();
            assertThat(host.processes().run(HostCommand.of("bash", "-c", connect)).stdout())
                    .as("control: root on the host connects").contains("connected");
            String uid = Long.toString(record().uid());
            ProcessResult asGuest = host.processes().run(HostCommand.of("setpriv", "--reuid=" + uid, "--regid=" + uid,
                    "--clear-groups", "bash", "-c", connect).withTimeout(Duration.ofSeconds(10)));
            assertThat(asGuest.stdout()).as("ran as the guest's user").contains("uid=" + uid);
            assertThat(asGuest.succeeded()).isFalse();
            assertThat(asGuest.stdout()).doesNotContain("connected");
        }
    }

    @Test
    @Order(9)
    void hostfsShowsTheGuestItsJailAndNothingOfTheHost() throws Exception {
        GuestDirectory guest = driver.guest(id);
        shell.run("mkdir -p /mnt/host && mount -t hostfs none /mnt/host");
        assertThat(shell.run("ls /mnt/host/dev/net")).as("the jail's /dev holds the TUN device").isEqualTo("tun");
        assertThat(shell.run("test -e /mnt/host/etc/passwd && echo visible || echo absent")).isEqualTo("absent");
        assertThat(shell.run("ls -1 /mnt/host" + guest.dir())).as("the guest's directory as its kernel sees it")
                .isEqualTo("own\nsettings.img");
        assertThat(shell.run("ls -1 /mnt/host" + guest.dir().getParent())).isEqualTo(id.value());
        // The base image that every guest of the template shares is read-only, even through hostfs.
        Path base = record().baseImage();
        long sizeBefore = Files.size(base);
        FileTime modifiedBefore = Files.getLastModifiedTime(base);
        assertThat(shell.run("(echo x >> /mnt/host" + base + ") 2>/dev/null || echo refused")).isEqualTo("refused");
        assertThat(Files.size(base)).isEqualTo(sizeBefore);
        assertThat(Files.getLastModifiedTime(base)).isEqualTo(modifiedBefore);
        shell.run("umount /mnt/host");
    }

    private GuestRecord record() {
        return GuestRecord.read(driver.guest(id).record()).orElseThrow();
    }

    @Test
    @Order(10)
    void theConsoleTakesTheViewersWindowSize() throws Exception {
        stream.windowResize().orElseThrow().resize(new TerminalSize(40, 127));
        // dtach's SIGWINCH reaches the guest through UML's winch helper and an interrupt: a moment later at most.
        assertThat(shell.run("for i in $(seq 50); do [ \"$(stty size)\" = '40 127' ] && break; sleep 0.1; done; stty size"))
                .isEqualTo("40 127");
        stream.windowResize().orElseThrow().resize(new TerminalSize(24, 80));
    }

    @Test
    @Order(11)
    void aRebootFromInsideTheGuestComesBackOnTheSameConsole() {
        GuestProcess before = GuestProcess.find(driver.guest(id)).orElseThrow();
        console.type("systemctl reboot\n");
        // UML reboots by executing itself again: same process, same dtach pty, a fresh kernel.
        console.await(java.util.regex.Pattern.compile("reboot: Restarting system|Linux version"), Duration.ofSeconds(120));
        shell = GuestShell.login(console);
        assertThat(shell.run("cat /proc/sys/kernel/hostname")).isEqualTo(spec.hostname());
        assertThat(driver.state(id)).isEqualTo(GuestState.RUNNING);
        assertThat(GuestProcess.find(driver.guest(id)).orElseThrow().pid()).isEqualTo(before.pid());
    }

    @Test
    @Order(12)
    void theGuestOutlivesItsDriverAndANewInstanceTakesItOver() throws Exception {
        GuestProcess kernel = GuestProcess.find(driver.guest(id)).orElseThrow();
        long self = ProcessHandle.current().pid();
        List<Long> ancestors = ProcessHandle.of(kernel.pid()).orElseThrow().parent().stream()
                .flatMap(parent -> java.util.stream.Stream.iterate(java.util.Optional.of(parent),
                        java.util.Optional::isPresent, p -> p.flatMap(ProcessHandle::parent)).map(p -> p.get().pid()))
                .toList();
        assertThat(ancestors).as("the guest is detached from this JVM").doesNotContain(self);

        UmlDriver reopened = TestGuests.driver();
        assertThat(reopened.state(id)).isEqualTo(GuestState.RUNNING);
        shell.close();
        shell = null;
        try (ConsoleReader again = new ConsoleReader(reopened.open(id))) {
            GuestShell adopted = GuestShell.login(again);
            assertThat(adopted.run("cat /proc/sys/kernel/hostname")).isEqualTo(spec.hostname());
        }
        reopened.stop(id, StopMode.graceful(Duration.ofSeconds(60)));
        assertThat(driver.state(id)).isEqualTo(GuestState.STOPPED);
        assertThat(kernel.alive()).isFalse();
    }
}
