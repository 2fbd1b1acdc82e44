/*
 * slice-guest-agent: Slice's own guest agent for the backends without one of their own (UML, the emulator).
 * It serves a request/response protocol on a serial line (a character device) given on the command line:
 *
 *   slice-guest-agent DEVICE     e.g. /dev/ttyS1; reopened when the line hangs up
 *   slice-guest-agent --stdio    requests on stdin, responses on stdout (tests)
 *   slice-guest-agent --version
 *
 * Frames (all integers big-endian):
 *   "SLGA" type:u8 flags:u8 0:u16 id:u32 length:u32 crc32(previous 16 bytes):u32 payload[length] crc32(payload):u32
 * A reader scans for the magic and drops one byte whenever a header or payload check fails, so garbage on the
 * line and a host that reconnects half-way through a frame cost nothing but the bytes themselves (a frame
 * that stops arriving for 3 s is given up). Every
 * response carries its request's id; the host discards responses to requests that are not its own.
 *
 * Requests and their responses (strings and byte strings are u32 length + bytes):
 *   1 HELLO  -                                                  -> 0x81 protocol:u32 version:str machine:str max:u32
 *   2 EXEC   timeout_ms:u32 out_max:u32 err_max:u32 argc:u32 argv:str*
 *                                      -> 0x82 status:u32 (0 exited, 1 signal, 2 deadline) code:u32 flags:u32
 *                                              (1 stdout cut, 2 stderr cut) elapsed_ms:u32 stdout:str stderr:str
 *   3 WRITE  path:str mode:u32 offset:u64 last:u32 data:str     -> 0x83 size:u64
 *   any failure                                                 -> 0xff errno:u32 message:str
 * EXEC runs argv (no shell) in a session and process group of its own, stdin from /dev/null, and kills the
 * whole group with SIGKILL at the deadline. WRITE writes PATH.slice-part at OFFSET (0 starts anew, making the
 * parent directories) and, with LAST, gives it MODE and renames it into place.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define AGENT_VERSION "1.0"
#define PROTOCOL 1
#define HEADER 20
#define MAX_PAYLOAD (4u << 20)
#define OUTPUT_MAX (1u << 20)

enum { HELLO = 1, EXEC = 2, WRITE = 3, R_HELLO = 0x81, R_EXEC = 0x82, R_WRITE = 0x83, R_ERROR = 0xff };

static const char *device;  /* NULL: stdio */
static int in_fd = -1, out_fd = -1;
static unsigned char rbuf[HEADER + MAX_PAYLOAD + 4];
static size_t rstart, rend;
static int sigchld_pipe[2];

/* ---- CRC-32 (IEEE 802.3, as java.util.zip.CRC32) ---- */
static uint32_t crc_table[256];
static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}
static uint32_t crc32(const unsigned char *p, size_t n) {
    uint32_t c = 0xffffffffu;
    while (n--) c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

static uint32_t get32(const unsigned char *p) { return (uint32_t) p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static void put32(unsigned char *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }

static void say(const char *what) { fprintf(stderr, "slice-guest-agent: %s\n", what); }

/* ---- the line ---- */
static void open_line(void) {
    if (!device) { in_fd = 0; out_fd = 1; return; }
    for (;;) {
        int fd = open(device, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (fd >= 0) {
            struct termios t;
            if (tcgetattr(fd, &t) == 0) {  /* raw: every byte as it is, no echo, no flow control, no signals */
                cfmakeraw(&t);
                t.c_cflag |= CLOCAL | CREAD;
                t.c_cc[VMIN] = 1;
                t.c_cc[VTIME] = 0;
                tcsetattr(fd, TCSANOW, &t);
            }
            in_fd = out_fd = fd;
            return;
        }
        fprintf(stderr, "slice-guest-agent: cannot open %s: %s; retrying\n", device, strerror(errno));
        sleep(1);
    }
}

static void reopen_line(void) {
    if (!device) exit(0);  /* stdin closed: the test is over */
    close(in_fd);
    sleep(1);
    open_line();
}

/*
 * Makes at least n bytes available from rstart. Inside a frame (patient == 0) it gives up after TORN_MS
 * without a byte and returns -1: a host that stopped half-way through a frame must not leave the agent
 * waiting for the rest while the next host's requests pile up behind it.
 */
#define TORN_MS 3000
static int fill(size_t n, int patient) {
    if (rstart > 0 && rstart + n > sizeof rbuf) {
        memmove(rbuf, rbuf + rstart, rend - rstart);
        rend -= rstart;
        rstart = 0;
    }
    while (rend - rstart < n) {
        if (!patient) {
            struct pollfd p = { in_fd, POLLIN, 0 };
            int ready = poll(&p, 1, TORN_MS);
            if (ready < 0 && errno == EINTR) continue;
            if (ready == 0) return -1;
        }
        ssize_t got = read(in_fd, rbuf + rend, sizeof rbuf - rend);
        if (got > 0) rend += (size_t) got;
        else if (got < 0 && errno == EINTR) continue;
        else {
            say(got == 0 ? "the line hung up" : "the line failed");
            reopen_line();
            return -1;
        }
    }
    return 0;
}

/* The next intact frame: its type, id and payload (valid until the next call). */
static unsigned char *next_frame(int *type, uint32_t *id, uint32_t *length) {
    for (;;) {
        if (fill(4, 1) != 0) continue;
        if (memcmp(rbuf + rstart, "SLGA", 4) != 0) {
            unsigned char *s = memchr(rbuf + rstart + 1, 'S', rend - rstart - 1);
            rstart = s ? (size_t) (s - rbuf) : rend;
            continue;
        }
        if (fill(HEADER, 0) != 0) { rstart++; continue; }
        unsigned char *h = rbuf + rstart;
        uint32_t len = get32(h + 12);
        if (get32(h + 16) != crc32(h, 16) || h[6] || h[7] || len > MAX_PAYLOAD) { rstart++; continue; }
        if (fill(HEADER + len + 4, 0) != 0) { rstart++; continue; }
        h = rbuf + rstart;
        if (get32(h + HEADER + len) != crc32(h + HEADER, len)) { rstart++; continue; }
        *type = h[4];
        *id = get32(h + 8);
        *length = len;
        rstart += HEADER + len + 4;
        return h + HEADER;
    }
}

/* ---- responses ---- */
static unsigned char *obuf;
static size_t olen, ocap;

static void out_reserve(size_t n) {
    if (olen + n <= ocap) return;
    while (olen + n > ocap) ocap = ocap ? ocap * 2 : 65536;
    obuf = realloc(obuf, ocap);
    if (!obuf) { say("out of memory"); exit(1); }
}
static void out_u32(uint32_t v) { out_reserve(4); put32(obuf + olen, v); olen += 4; }
static void out_bytes(const void *p, size_t n) {
    out_u32((uint32_t) n);
    out_reserve(n);
    memcpy(obuf + olen, p, n);
    olen += n;
}
static void out_str(const char *s) { out_bytes(s, strlen(s)); }
static void begin(void) { olen = 0; out_reserve(HEADER); olen = HEADER; }

static void send_frame(int type, uint32_t id) {
    size_t len = olen - HEADER;
    memcpy(obuf, "SLGA", 4);
    obuf[4] = (unsigned char) type;
    obuf[5] = obuf[6] = obuf[7] = 0;
    put32(obuf + 8, id);
    put32(obuf + 12, (uint32_t) len);
    put32(obuf + 16, crc32(obuf, 16));
    out_u32(crc32(obuf + HEADER, len));
    for (size_t done = 0; done < olen;) {
        ssize_t n = write(out_fd, obuf + done, olen - done);
        if (n > 0) done += (size_t) n;
        else if (n < 0 && errno == EINTR) continue;
        else { say("could not write a response; dropped"); return; }
    }
}

static void send_error(uint32_t id, int code, const char *fmt, const char *arg) {
    char message[1024];
    snprintf(message, sizeof message, fmt, arg, strerror(code));
    begin();
    out_u32((uint32_t) code);
    out_str(message);
    send_frame(R_ERROR, id);
}

/* ---- request payloads ---- */
struct in { const unsigned char *p; uint32_t left; int bad; };
static uint32_t in_u32(struct in *in) {
    if (in->left < 4) { in->bad = 1; return 0; }
    uint32_t v = get32(in->p);
    in->p += 4; in->left -= 4;
    return v;
}
/* A string as a fresh NUL-terminated copy (NULL when malformed or when it holds a NUL). */
static char *in_str(struct in *in, uint32_t *n_out) {
    uint32_t n = in_u32(in);
    if (in->bad || n > in->left) { in->bad = 1; return NULL; }
    char *s = malloc((size_t) n + 1);
    if (!s) { in->bad = 1; return NULL; }
    memcpy(s, in->p, n);
    s[n] = 0;
    in->p += n; in->left -= n;
    if (n_out) *n_out = n;
    else if (strlen(s) != n) { free(s); in->bad = 1; return NULL; }
    return s;
}

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

static void on_sigchld(int sig) {
    (void) sig;
    int saved = errno;
    if (write(sigchld_pipe[1], "c", 1) < 0) { /* full: a wake-up is pending anyway */ }
    errno = saved;
}

struct capture { int fd; unsigned char *data; uint32_t len, max; int cut; };

static void drain(struct capture *c) {
    unsigned char chunk[16384];
    ssize_t n = read(c->fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) { close(c->fd); c->fd = -1; return; }
    uint32_t keep = (uint32_t) n;
    if (c->len + keep > c->max) { keep = c->max - c->len; c->cut = 1; }
    memcpy(c->data + c->len, chunk, keep);
    c->len += keep;
}

static void do_exec(uint32_t id, struct in *in) {
    uint32_t timeout = in_u32(in), out_max = in_u32(in), err_max = in_u32(in), argc = in_u32(in);
    if (in->bad || argc == 0 || argc > 4096 || timeout == 0) { errno = EINVAL; send_error(id, EINVAL, "malformed exec request%s: %s", ""); return; }
    char **argv = calloc(argc + 1, sizeof *argv);
    for (uint32_t i = 0; argv && i < argc; i++) argv[i] = in_str(in, NULL);
    if (!argv || in->bad) {
        send_error(id, EINVAL, "malformed exec argument list%s: %s", "");
        goto out;
    }
    if (out_max > OUTPUT_MAX) out_max = OUTPUT_MAX;
    if (err_max > OUTPUT_MAX) err_max = OUTPUT_MAX;
    int out[2], err[2], report[2];
    if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || pipe2(report, O_CLOEXEC)) {
        send_error(id, errno, "cannot make pipes for %s: %s", argv[0]);
        goto out;
    }
    uint64_t started = now_ms(), deadline = started + timeout;
    char dummy[64];
    while (read(sigchld_pipe[0], dummy, sizeof dummy) > 0) {}
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        int null = open("/dev/null", O_RDONLY);
        dup2(null, 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        signal(SIGPIPE, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        signal(SIGCHLD, SIG_DFL);
        if (chdir("/") != 0) { /* stays where the agent is */ }
        execvp(argv[0], argv);
        int e = errno;
        if (write(report[1], &e, sizeof e) < 0) { /* the agent reports a silent failure */ }
        _exit(127);
    }
    close(out[1]); close(err[1]); close(report[1]);
    if (pid < 0) {
        send_error(id, errno, "cannot fork for %s: %s", argv[0]);
        close(out[0]); close(err[0]); close(report[0]);
        goto out;
    }
    int exec_errno = 0;
    ssize_t r;
    do r = read(report[0], &exec_errno, sizeof exec_errno); while (r < 0 && errno == EINTR);
    close(report[0]);
    if (r == (ssize_t) sizeof exec_errno) {
        waitpid(pid, NULL, 0);
        close(out[0]); close(err[0]);
        send_error(id, exec_errno, "cannot execute %s: %s", argv[0]);
        goto out;
    }
    struct capture co = { out[0], malloc(out_max + 1), 0, out_max, 0 };
    struct capture ce = { err[0], malloc(err_max + 1), 0, err_max, 0 };
    int status = 0, exited = 0, timed_out = 0;
    uint64_t exited_at = 0;
    for (;;) {
        if (!exited && waitpid(pid, &status, WNOHANG) == pid) { exited = 1; exited_at = now_ms(); }
        uint64_t t = now_ms();
        if (exited && co.fd < 0 && ce.fd < 0) break;
        /* A descendant that keeps the pipes open does not hold the result back for long. */
        if (exited && t > exited_at + 200) break;
        if (!exited && t >= deadline) { timed_out = 1; break; }
        uint64_t wait = exited ? exited_at + 200 - t : deadline - t;
        struct pollfd fds[3] = { { sigchld_pipe[0], POLLIN, 0 }, { co.fd, POLLIN, 0 }, { ce.fd, POLLIN, 0 } };
        int n = poll(fds, 3, wait > 60000 ? 60000 : (int) wait);
        if (n <= 0) continue;
        if (fds[0].revents) while (read(sigchld_pipe[0], dummy, sizeof dummy) > 0) {}
        if (co.fd >= 0 && fds[1].revents) drain(&co);
        if (ce.fd >= 0 && fds[2].revents) drain(&ce);
    }
    if (timed_out) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    if (co.fd >= 0) close(co.fd);
    if (ce.fd >= 0) close(ce.fd);
    begin();
    if (timed_out) { out_u32(2); out_u32(SIGKILL); }
    else if (WIFSIGNALED(status)) { out_u32(1); out_u32((uint32_t) WTERMSIG(status)); }
    else { out_u32(0); out_u32((uint32_t) WEXITSTATUS(status)); }
    out_u32((uint32_t) (co.cut | ce.cut << 1));
    out_u32((uint32_t) (now_ms() - started));
    out_bytes(co.data, co.len);
    out_bytes(ce.data, ce.len);
    send_frame(R_EXEC, id);
    free(co.data);
    free(ce.data);
out:
    if (argv) for (uint32_t i = 0; i < argc; i++) free(argv[i]);
    free(argv);
}

static int make_parents(char *path) {
    for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = 0;
        int failed = mkdir(path, 0755) != 0 && errno != EEXIST;
        *slash = '/';
        if (failed) return -1;
    }
    return 0;
}

static void do_write(uint32_t id, struct in *in) {
    char *path = in_str(in, NULL), *part = NULL;
    uint32_t mode = in_u32(in), hi = in_u32(in), lo = in_u32(in), last = in_u32(in), n = 0;
    char *data = in_str(in, &n);
    uint64_t offset = (uint64_t) hi << 32 | lo;
    if (in->bad || !path || path[0] != '/' || !data) {
        send_error(id, EINVAL, "malformed write request%s: %s", "");
        goto out;
    }
    if (asprintf(&part, "%s.slice-part", path) < 0) { part = NULL; send_error(id, ENOMEM, "%s: %s", path); goto out; }
    if (offset == 0 && make_parents(path) != 0) { send_error(id, errno, "cannot make the directories of %s: %s", path); goto out; }
    int fd = open(part, O_WRONLY | O_CLOEXEC | (offset == 0 ? O_CREAT | O_TRUNC : 0), 0600);
    if (fd < 0) { send_error(id, errno, "cannot open %s: %s", part); goto out; }
    struct stat st;
    if (fstat(fd, &st) != 0 || (uint64_t) st.st_size != offset) {
        close(fd);
        send_error(id, ESPIPE, "%s: a chunk out of order (the file has a different size): %s", part);
        goto out;
    }
    for (uint32_t done = 0; done < n;) {
        ssize_t w = pwrite(fd, data + done, n - done, (off_t) (offset + done));
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) { int e = errno; close(fd); send_error(id, e, "cannot write %s: %s", part); goto out; }
        done += (uint32_t) w;
    }
    if (last && (fchmod(fd, (mode_t) (mode & 07777)) != 0 || fsync(fd) != 0)) {
        int e = errno; close(fd); send_error(id, e, "cannot finish %s: %s", part); goto out;
    }
    close(fd);
    if (last && rename(part, path) != 0) { send_error(id, errno, "cannot move the file into place at %s: %s", path); goto out; }
    begin();
    out_u32((uint32_t) ((offset + n) >> 32));
    out_u32((uint32_t) (offset + n));
    send_frame(R_WRITE, id);
out:
    free(path); free(part); free(data);
}

static void do_hello(uint32_t id) {
    struct utsname u;
    if (uname(&u) != 0) strcpy(u.machine, "unknown");
    begin();
    out_u32(PROTOCOL);
    out_str(AGENT_VERSION);
    out_str(u.machine);
    out_u32(MAX_PAYLOAD);
    send_frame(R_HELLO, id);
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--version") == 0) { puts("slice-guest-agent " AGENT_VERSION); return 0; }
    if (argc != 2 || (argv[1][0] == '-' && strcmp(argv[1], "--stdio") != 0)) {
        fprintf(stderr, "usage: slice-guest-agent DEVICE | --stdio | --version\n");
        return 2;
    }
    device = strcmp(argv[1], "--stdio") == 0 ? NULL : argv[1];
    crc_init();
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    if (pipe2(sigchld_pipe, O_CLOEXEC | O_NONBLOCK) != 0) { say("cannot make a pipe"); return 1; }
    struct sigaction sa = { .sa_handler = on_sigchld, .sa_flags = SA_RESTART | SA_NOCLDSTOP };
    sigaction(SIGCHLD, &sa, NULL);
    setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 0);
    setenv("HOME", "/root", 0);
    open_line();
    say(device ? "serving" : "serving on stdio");
    for (;;) {
        int type;
        uint32_t id, length;
        unsigned char *payload = next_frame(&type, &id, &length);
        struct in in = { payload, length, 0 };
        switch (type) {
        case HELLO: do_hello(id); break;
        case EXEC: do_exec(id, &in); break;
        case WRITE: do_write(id, &in); break;
        default: send_error(id, ENOSYS, "unknown request type%s: %s", ""); break;
        }
    }
}
