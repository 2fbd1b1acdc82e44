/*
 * slice-oci-console: keeps one container's console alive independently of Slice.
 *
 * Usage: slice-oci-console [--detach LOG] DIR RUNTIME-COMMAND...
 *
 * With --detach it first leaves its caller: it forks, the child starts a session of its own with
 * its output appended to LOG, and the caller's process exits 0 at once (one process fewer than
 * setsid --fork in front of it).
 *
 * The keeper runs the runtime's command (create, or run --detach) itself (so that it becomes the child
 * subreaper of the container's init and reaps it), receives the pty master that the
 * runtime sends over DIR/runc.sock (SCM_RIGHTS), and then serves the console on
 * DIR/console.sock to any number of attached clients, replaying a scrollback buffer to
 * each new one. It writes:
 *   DIR/keeper.pid      its own pid
 *   DIR/create.status   the exit code of the create command, once it has finished
 * and exits when the container's init (pid from DIR/init.pid, written by the runtime's
 * --pid-file) has exited, removing its sockets. Slice starts it detached, so a container
 * keeps its console when Slice stops.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 16
#define SCROLLBACK (64 * 1024)
#define MASTER_WAIT_SECONDS 60

static char dir[256];
static int wake_pipe[2] = {-1, -1}; /* SIGCHLD writes a byte here, so poll wakes when the runtime exits */
static int master_fd = -1;
static int clients[MAX_CLIENTS];
static char scrollback[SCROLLBACK];
static size_t sb_start, sb_len;

static void path_in_dir(char *out, size_t size, const char *name) {
    snprintf(out, size, "%s/%s", dir, name);
}

static void die(const char *what) {
    fprintf(stderr, "slice-oci-console %s: %s: %s\n", dir, what, strerror(errno));
    exit(1);
}

static int listen_on(const char *name) {
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    char path[512];
    path_in_dir(path, sizeof path, name);
    if (strlen(path) >= sizeof addr.sun_path) { errno = ENAMETOOLONG; die(name); }
    memcpy(addr.sun_path, path, strlen(path) + 1);
    unlink(path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) die("socket");
    if (bind(fd, (struct sockaddr *) &addr, sizeof addr) < 0) die(name);
    chmod(path, 0600);
    if (listen(fd, 8) < 0) die("listen");
    return fd;
}

static void write_file(const char *name, const char *text) {
    char path[512], tmp[520];
    path_in_dir(path, sizeof path, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) die(name);
    fputs(text, f);
    fclose(f);
    if (rename(tmp, path) < 0) die(name);
}

static pid_t read_init_pid(void) {
    char path[512];
    path_in_dir(path, sizeof path, "init.pid");
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long pid = -1;
    if (fscanf(f, "%ld", &pid) != 1) pid = -1;
    fclose(f);
    return (pid_t) pid;
}

/* Receives the pty master the runtime sends; the message body carries the pty's name. */
static int receive_master(int listener) {
    int conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (conn < 0) return -1;
    char name[4096];
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {.iov_base = name, .iov_len = sizeof name};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
    int fd = -1;
    if (recvmsg(conn, &msg, MSG_CMSG_CLOEXEC) >= 0) {
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(c), sizeof fd);
        }
    }
    close(conn);
    if (fd >= 0) {
        struct winsize size = {.ws_row = 24, .ws_col = 80};
        ioctl(fd, TIOCSWINSZ, &size);
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    }
    return fd;
}

static void remember(const char *data, size_t n) {
    for (size_t i = 0; i < n; i++) {
        scrollback[(sb_start + sb_len) % SCROLLBACK] = data[i];
        if (sb_len < SCROLLBACK) sb_len++; else sb_start = (sb_start + 1) % SCROLLBACK;
    }
}

/* Sends all of it or drops the client: a stuck client must never stall the console. */
static int send_all(int fd, const char *data, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, data, n, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        data += w;
        n -= (size_t) w;
    }
    return 0;
}

static void drop_client(int i) {
    close(clients[i]);
    clients[i] = -1;
}

static void broadcast(const char *data, size_t n) {
    remember(data, n);
    for (int i = 0; i < MAX_CLIENTS; i++) {
        if (clients[i] >= 0 && send_all(clients[i], data, n) < 0) drop_client(i);
    }
}

static void accept_client(int listener) {
    int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;
    for (int i = 0; i < MAX_CLIENTS; i++) {
        if (clients[i] < 0) {
            size_t first = sb_len < SCROLLBACK - sb_start ? sb_len : SCROLLBACK - sb_start;
            if (send_all(fd, scrollback + sb_start, first) < 0
                || send_all(fd, scrollback, sb_len - first) < 0) { close(fd); return; }
            clients[i] = fd;
            return;
        }
    }
    close(fd); /* full: the client sees an immediate end of stream */
}

static void cleanup(void) {
    char path[512];
    const char *names[] = {"console.sock", "runc.sock", "keeper.pid"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        path_in_dir(path, sizeof path, names[i]);
        unlink(path);
    }
}

static void on_child(int sig) {
    (void) sig;
    int saved = errno;
    if (write(wake_pipe[1], "", 1) < 0) { /* full: poll wakes anyway */ }
    errno = saved;
}

/* Leaves the caller: a child in a session of its own, output to the log; the caller exits 0. */
static void detach(const char *log) {
    int out = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || in < 0) { fprintf(stderr, "slice-oci-console: %s: %s\n", log, strerror(errno)); exit(1); }
    pid_t child = fork();
    if (child < 0) { fprintf(stderr, "slice-oci-console: fork: %s\n", strerror(errno)); exit(1); }
    if (child > 0) _exit(0);
    setsid();
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    close(in);
    close(out);
}

int main(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[1], "--detach") == 0) {
        detach(argv[2]);
        argv += 2;
        argc -= 2;
    }
    if (argc < 3) {
        fprintf(stderr, "usage: slice-oci-console [--detach LOG] DIR RUNTIME-COMMAND...\n");
        return 2;
    }
    snprintf(dir, sizeof dir, "%s", argv[1]);
    if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0) die("pipe");
    struct sigaction child_action = {.sa_handler = on_child, .sa_flags = SA_RESTART | SA_NOCLDSTOP};
    sigemptyset(&child_action.sa_mask);
    if (sigaction(SIGCHLD, &child_action, NULL) < 0) die("sigaction");
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) die("PR_SET_CHILD_SUBREAPER");
    for (int i = 0; i < MAX_CLIENTS; i++) clients[i] = -1;

    char pid_text[32];
    snprintf(pid_text, sizeof pid_text, "%ld\n", (long) getpid());
    write_file("keeper.pid", pid_text);
    int runtime_listener = listen_on("runc.sock");
    int console_listener = listen_on("console.sock");

    pid_t runtime = fork();
    if (runtime < 0) die("fork");
    if (runtime == 0) {
        signal(SIGCHLD, SIG_DFL);
        int null = open("/dev/null", O_RDONLY);
        dup2(null, 0);
        execvp(argv[2], argv + 2);
        fprintf(stderr, "slice-oci-console: cannot run %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }

    pid_t init_pid = -1;
    int runtime_done = 0;
    time_t started = time(NULL);
    char buffer[8192];
    for (;;) {
        /* Reap everything: the runtime, the container's init, and any orphan it leaves us. */
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == runtime) {
                int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                snprintf(pid_text, sizeof pid_text, "%d\n", code);
                write_file("create.status", pid_text);
                if (code != 0) { cleanup(); return 1; }
                runtime_done = 1;
                init_pid = read_init_pid();
            } else if (pid == init_pid) {
                /* The container is gone: pass on what it printed last, then leave. */
                if (master_fd >= 0) {
                    ssize_t n;
                    while ((n = read(master_fd, buffer, sizeof buffer)) > 0) broadcast(buffer, (size_t) n);
                }
                cleanup();
                return 0;
            }
        }
        if (runtime_done && init_pid > 0 && kill(init_pid, 0) < 0 && errno == ESRCH) { cleanup(); return 0; }
        if (master_fd < 0 && time(NULL) - started > MASTER_WAIT_SECONDS) {
            fprintf(stderr, "slice-oci-console %s: the runtime never sent a console\n", dir);
            cleanup();
            return 1;
        }

        struct pollfd fds[4 + MAX_CLIENTS];
        int n = 0;
        fds[n++] = (struct pollfd) {.fd = master_fd < 0 ? runtime_listener : -1, .events = POLLIN};
        fds[n++] = (struct pollfd) {.fd = console_listener, .events = POLLIN};
        fds[n++] = (struct pollfd) {.fd = master_fd, .events = POLLIN};
        for (int i = 0; i < MAX_CLIENTS; i++) fds[n++] = (struct pollfd) {.fd = clients[i], .events = POLLIN};
        fds[n++] = (struct pollfd) {.fd = wake_pipe[0], .events = POLLIN};
        /* A child's exit wakes poll through the pipe, so its status is reaped and reported at once. */
        if (poll(fds, (nfds_t) n, 1000) < 0 && errno != EINTR) die("poll");
        if (fds[3 + MAX_CLIENTS].revents & POLLIN) {
            char drained[64];
            while (read(wake_pipe[0], drained, sizeof drained) > 0) {}
        }

        if (fds[0].revents & POLLIN) {
            master_fd = receive_master(runtime_listener);
            if (master_fd >= 0) close(runtime_listener), runtime_listener = -1;
        }
        if (fds[1].revents & POLLIN) accept_client(console_listener);
        if (fds[2].revents) {
            ssize_t r = read(master_fd, buffer, sizeof buffer);
            if (r > 0) broadcast(buffer, (size_t) r);
            /* No slave open right now (e.g. between two gettys): wait instead of spinning. */
            else if (errno != EAGAIN && errno != EINTR) usleep(50 * 1000);
        }
        for (int i = 0; i < MAX_CLIENTS; i++) {
            struct pollfd *c = &fds[3 + i];
            if (clients[i] < 0 || !c->revents) continue;
            ssize_t r = read(clients[i], buffer, sizeof buffer);
            if (r <= 0) { drop_client(i); continue; }
            if (master_fd >= 0 && write(master_fd, buffer, (size_t) r) < 0) {
                /* A full tty input queue drops keystrokes rather than stalling the console. */
            }
        }
    }
}
