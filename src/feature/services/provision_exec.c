/* provision_exec.c - the exec: transport of the command provisioner: runs
 * the configured program (posix_spawn, no shell, no arguments) with the
 * service's JSON on its stdin, reads its stdout within PROVISION_TIMEOUT_S and
 * PROVISION_OUTPUT_MAX bytes, and succeeds on exit status 0 with {"ok": true}.
 * A program that overruns is killed. */
#include "feature/services/provision.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Starts path with stdin and stdout piped; false with errno set. The program
 * gets no other descriptor of ours (stderr stays: it goes to saldo's log), the
 * default signal dispositions and an empty signal mask, whatever serve's
 * threads have blocked or ignored. */
static bool spawn_program(const char *path, pid_t *pid, int *in_fd, int *out_fd)
{
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC))
        return false;
    if (pipe2(out, O_CLOEXEC)) {
        close(in[0]), close(in[1]);
        return false;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    posix_spawnattr_t at;
    sigset_t none, defaults;
    sigemptyset(&none);
    sigfillset(&defaults);
    posix_spawnattr_init(&at);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &defaults);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    char *argv[] = {(char *)path, NULL};
    int rc = posix_spawn(pid, path, &fa, &at, argv, environ);
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]), close(out[1]);
    if (rc) {
        close(in[1]), close(out[0]);
        errno = rc;
        return false;
    }
    *in_fd = in[1], *out_fd = out[0];
    return true;
}

/* Reads fd until EOF, the deadline or max bytes; false on timeout or overflow. */
static bool read_all(int fd, char *buf, size_t max, size_t *len, int64_t deadline_ms)
{
    *len = 0;
    for (;;) {
        int64_t left = deadline_ms - now_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) == 0)
            return false;
        ssize_t n = read(fd, buf + *len, max - *len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n == 0;
        *len += (size_t)n;
        if (*len == max)
            return false;
    }
}

/* Waits for pid until the deadline, then kills it; its wait status or -1. */
static int reap(pid_t pid, int64_t deadline_ms)
{
    int status;
    while (now_ms() < deadline_ms) {
        pid_t got = waitpid(pid, &status, WNOHANG);
        if (got == pid)
            return status;
        struct timespec pause = {0, 20 * 1000000};
        nanosleep(&pause, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

provision_status provision_exec_run(const char *path, const char *json, char *message, size_t size)
{
    pid_t pid;
    int in_fd, out_fd;
    int64_t deadline = now_ms() + PROVISION_TIMEOUT_S * 1000;
    if (!spawn_program(path, &pid, &in_fd, &out_fd))
        return snprintf(message, size, "cannot run %s: %s", path, strerror(errno)), PROVISION_FAILED;
    size_t json_len = strlen(json), off = 0;
    while (off < json_len) { /* small JSON: a refusing reader ends with EPIPE (SIGPIPE is ignored) */
        ssize_t n = write(in_fd, json + off, json_len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    close(in_fd);
    char *out = malloc(PROVISION_OUTPUT_MAX);
    if (!out)
        abort();
    size_t len;
    bool complete = read_all(out_fd, out, PROVISION_OUTPUT_MAX, &len, deadline);
    close(out_fd);
    int status = reap(pid, complete ? deadline : now_ms());
    provision_status st = PROVISION_FAILED;
    if (!complete)
        snprintf(message, size, "%s: no complete answer within %d s and %d bytes", path, PROVISION_TIMEOUT_S,
                 PROVISION_OUTPUT_MAX);
    else if (status < 0 || !WIFEXITED(status))
        snprintf(message, size, "%s: killed or timed out", path);
    else {
        st = provision_parse_answer(out, len, message, size);
        if (WEXITSTATUS(status) != 0) {
            size_t used = strlen(message);
            snprintf(message + used, size - used, "%sexit status %d", used ? "; " : "", WEXITSTATUS(status));
            st = PROVISION_FAILED;
        }
    }
    free(out);
    return st;
}
