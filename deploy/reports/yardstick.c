/*
 * Slice's yardstick: the micro-workloads of a benchmark run, measured the same way on bare metal and in
 * every backend's guest (also a busybox riscv64 guest: built static, no library beyond libc).
 *
 *   yardstick [-t MS] [-m MIB] [-f FILE] [-s MIB] [-c IPV4:PORT] WORKLOAD...
 *   workloads: cpu mem syscall forkexec ctxsw disk tcp
 *
 * Every figure is one line on stdout, "name value unit"; anything else goes to stderr. Each workload runs
 * for about MS milliseconds (default 500); the exit code is 1 when a workload could not run.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double run_ms = 500;
static long mem_mib = 32;
static const char *disk_file = "/var/tmp/slice-yardstick.dat";
static long disk_mib = 64;
static const char *peer;
static volatile uint64_t sink;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void figure(const char *name, double value, const char *unit) {
    printf("%s %.6g %s\n", name, value, unit);
    fflush(stdout);
}

static int fail(const char *what) {
    fprintf(stderr, "yardstick: %s: %s\n", what, strerror(errno));
    return 1;
}

/* Integer throughput: a hash over an L1-sized table, xorshift and multiply, no memory traffic to speak of. */
static int cpu(void) {
    static uint32_t table[4096];
    uint64_t x = 88172645463325252ull, ops = 0;
    for (int i = 0; i < 4096; i++) table[i] = (uint32_t) (i * 2654435761u);
    double start = now(), end = start + run_ms / 1000;
    do {
        for (int i = 0; i < 1000000; i++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            table[x & 4095] += (uint32_t) (x * 0x9E3779B97F4A7C15ull >> 32);
        }
        ops += 1000000;
    } while (now() < end);
    sink = x + table[x & 4095];
    figure("cpu_int", ops / (now() - start) / 1e6, "Mops/s");
    return 0;
}

/* Memory bandwidth: memcpy between two buffers far larger than the caches. */
static int mem(void) {
    size_t size = (size_t) mem_mib << 20;
    char *a = malloc(size), *b = malloc(size);
    if (!a || !b) return fail("malloc");
    memset(a, 1, size);
    memset(b, 2, size);
    double copied = 0, start = now(), end = start + run_ms / 1000;
    do {
        memcpy(b, a, size);
        copied += size;
        a[(size_t) (copied / size) % size] ^= 1; /* the copy cannot be folded away */
    } while (now() < end);
    double seconds = now() - start;
    sink = (uint64_t) b[size / 2];
    free(a);
    free(b);
    figure("mem_copy", copied / seconds / (1 << 20), "MiB/s");
    return 0;
}

/* Null system call: getppid through syscall(2), which no libc caches. */
static int null_syscall(void) {
    long calls = 0;
    double start = now(), end = start + run_ms / 1000;
    do {
        for (int i = 0; i < 10000; i++) sink += (uint64_t) syscall(SYS_getppid);
        calls += 10000;
    } while (now() < end);
    figure("syscall_null", (now() - start) / calls * 1e9, "ns");
    return 0;
}

/* fork + exec of this program doing nothing + wait. */
static int fork_exec(void) {
    long runs = 0;
    double start = now(), end = start + run_ms / 1000;
    do {
        pid_t child = fork();
        if (child < 0) return fail("fork");
        if (child == 0) {
            execl("/proc/self/exe", "yardstick", "noop", (char *) NULL);
            _exit(127);
        }
        int status;
        if (waitpid(child, &status, 0) < 0) return fail("waitpid");
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "yardstick: the exec'd child failed (status %d)\n", status);
            return 1;
        }
        runs++;
    } while (now() < end || runs < 3);
    figure("fork_exec", (now() - start) / runs * 1e6, "us");
    return 0;
}

/* Context switch: one byte back and forth through two pipes between two processes on the same CPU. */
static int context_switch(void) {
    int to_child[2], to_parent[2];
    if (pipe(to_child) || pipe(to_parent)) return fail("pipe");
    cpu_set_t one;
    CPU_ZERO(&one);
    int here = sched_getcpu();
    CPU_SET(here < 0 ? 0 : here, &one);
    sched_setaffinity(0, sizeof one, &one); /* inherited by the child; best effort */
    pid_t child = fork();
    if (child < 0) return fail("fork");
    char byte = 0;
    if (child == 0) {
        while (read(to_child[0], &byte, 1) == 1 && byte != 'q') {
            if (write(to_parent[1], &byte, 1) != 1) _exit(1);
        }
        _exit(0);
    }
    long trips = 0;
    double start = now(), end = start + run_ms / 1000;
    do {
        for (int i = 0; i < 1000; i++) {
            byte = 'p';
            if (write(to_child[1], &byte, 1) != 1 || read(to_parent[0], &byte, 1) != 1) return fail("pipe ping-pong");
        }
        trips += 1000;
    } while (now() < end);
    double seconds = now() - start;
    byte = 'q';
    if (write(to_child[1], &byte, 1) != 1) return fail("pipe");
    waitpid(child, NULL, 0);
    figure("ctxsw_pipe", seconds / trips / 2 * 1e6, "us");
    return 0;
}

static uint64_t next_random(uint64_t *state) {
    *state ^= *state << 13; *state ^= *state >> 7; *state ^= *state << 17;
    return *state;
}

/* The guest's own disk: sequential 1 MiB and random 4 KiB, with O_DIRECT where the file system allows it. */
static int disk(void) {
    size_t size = (size_t) disk_mib << 20, block = 1 << 20;
    int direct = 1;
    int fd = open(disk_file, O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0600);
    if (fd < 0 && errno == EINVAL) {
        direct = 0; /* tmpfs and some others refuse O_DIRECT: measured through the page cache, and said so */
        fd = open(disk_file, O_RDWR | O_CREAT | O_TRUNC, 0600);
    }
    if (fd < 0) return fail(disk_file);
    void *buffer;
    if (posix_memalign(&buffer, 4096, block)) return fail("posix_memalign");
    memset(buffer, 0x5a, block);
    double start = now();
    for (size_t done = 0; done < size; done += block) {
        if (pwrite(fd, buffer, block, (off_t) done) != (ssize_t) block) {
            if (direct && errno == EINVAL) { /* O_DIRECT accepted at open but not for writes */
                direct = 0;
                fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_DIRECT);
                done -= block;
                continue;
            }
            return fail("sequential write");
        }
    }
    if (fdatasync(fd)) return fail("fdatasync");
    figure("disk_seq_write", size / (now() - start) / (1 << 20), "MiB/s");
    if (!direct) posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    start = now();
    for (size_t done = 0; done < size; done += block) {
        if (pread(fd, buffer, block, (off_t) done) != (ssize_t) block) return fail("sequential read");
    }
    figure("disk_seq_read", size / (now() - start) / (1 << 20), "MiB/s");
    uint64_t state = 0x2545F4914F6CDD1Dull;
    long pages = (long) (size / 4096), ios = 0;
    start = now();
    double end = start + run_ms / 1000;
    do {
        for (int i = 0; i < 64; i++) {
            if (pread(fd, buffer, 4096, (off_t) (next_random(&state) % pages) * 4096) != 4096) return fail("random read");
        }
        ios += 64;
    } while (now() < end);
    figure("disk_rand_read", ios / (now() - start), "IOPS");
    ios = 0;
    start = now();
    end = start + run_ms / 1000;
    do {
        for (int i = 0; i < 64; i++) {
            if (pwrite(fd, buffer, 4096, (off_t) (next_random(&state) % pages) * 4096) != 4096) return fail("random write");
        }
        ios += 64;
    } while (now() < end);
    if (fdatasync(fd)) return fail("fdatasync");
    figure("disk_rand_write", ios / (now() - start), "IOPS");
    figure("disk_direct", direct, "bool");
    close(fd);
    unlink(disk_file);
    free(buffer);
    return 0;
}

static int connect_peer(char mode) {
    char host[64];
    const char *colon = strrchr(peer, ':');
    if (!colon || colon - peer >= (long) sizeof host) {
        fprintf(stderr, "yardstick: -c wants IPV4:PORT, got '%s'\n", peer);
        return -1;
    }
    memcpy(host, peer, colon - peer);
    host[colon - peer] = 0;
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t) atoi(colon + 1))};
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
        fprintf(stderr, "yardstick: '%s' is not an IPv4 address\n", host);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval limit = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    if (fd < 0 || connect(fd, (struct sockaddr *) &address, sizeof address) || write(fd, &mode, 1) != 1) {
        fail(peer);
        if (fd >= 0) close(fd);
        return -1;
    }
    return fd;
}

/* TCP to the host end of the guest's own link: 1-byte request-response, then bulk throughput. */
static int tcp(void) {
    if (!peer) {
        fprintf(stderr, "yardstick: tcp needs -c IPV4:PORT of the host's peer\n");
        return 1;
    }
    int fd = connect_peer('R');
    if (fd < 0) return 1;
    long trips = 0;
    char byte = 'x';
    double start = now(), end = start + run_ms / 1000;
    do {
        for (int i = 0; i < 100; i++) {
            if (write(fd, &byte, 1) != 1 || read(fd, &byte, 1) != 1) return fail("request-response");
        }
        trips += 100;
    } while (now() < end);
    figure("tcp_rr", (now() - start) / trips * 1e6, "us");
    close(fd);

    fd = connect_peer('S');
    if (fd < 0) return 1;
    static char chunk[65536];
    start = now();
    end = start + run_ms / 1000;
    do {
        if (write(fd, chunk, sizeof chunk) < 0) return fail("bulk send");
    } while (now() < end);
    shutdown(fd, SHUT_WR);
    uint64_t received = 0;
    unsigned char count[8];
    ssize_t got = 0;
    while (got < 8) {
        ssize_t n = read(fd, count + got, 8 - (size_t) got);
        if (n <= 0) return fail("the peer's byte count");
        got += n;
    }
    for (int i = 0; i < 8; i++) received = received << 8 | count[i];
    figure("tcp_stream", received * 8 / (now() - start) / 1e6, "Mbit/s");
    close(fd);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "noop") == 0) return 0;
    int option;
    while ((option = getopt(argc, argv, "t:m:f:s:c:")) != -1) {
        switch (option) {
            case 't': run_ms = atof(optarg); break;
            case 'm': mem_mib = atol(optarg); break;
            case 'f': disk_file = optarg; break;
            case 's': disk_mib = atol(optarg); break;
            case 'c': peer = optarg; break;
            default:
                fprintf(stderr, "usage: yardstick [-t MS] [-m MIB] [-f FILE] [-s MIB] [-c IPV4:PORT] cpu|mem|syscall|forkexec|ctxsw|disk|tcp...\n");
                return 2;
        }
    }
    if (run_ms <= 0 || mem_mib <= 0 || disk_mib <= 0 || optind >= argc) {
        fprintf(stderr, "yardstick: name at least one workload; -t, -m and -s must be positive\n");
        return 2;
    }
    int failed = 0;
    for (int i = optind; i < argc; i++) {
        const char *w = argv[i];
        int rc;
        if (!strcmp(w, "cpu")) rc = cpu();
        else if (!strcmp(w, "mem")) rc = mem();
        else if (!strcmp(w, "syscall")) rc = null_syscall();
        else if (!strcmp(w, "forkexec")) rc = fork_exec();
        else if (!strcmp(w, "ctxsw")) rc = context_switch();
        else if (!strcmp(w, "disk")) rc = disk();
        else if (!strcmp(w, "tcp")) rc = tcp();
        else { fprintf(stderr, "yardstick: unknown workload '%s'\n", w); return 2; }
        failed |= rc;
    }
    return failed;
}
