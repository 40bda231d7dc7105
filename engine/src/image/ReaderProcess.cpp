#include "image/ReaderProcess.h"

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace rv {

namespace {

// The helper checks it was started by a RuVision that speaks its language: an older or newer
// helper on the path exits 64 instead of misreading the arguments.
constexpr const char* kReaderProtocol = "ruvision-reader-1";
constexpr int kWrongProtocol = 64;

#ifndef RUVISION_READER_INSTALLED
#define RUVISION_READER_INSTALLED ""
#endif

bool write_all(int fd, const std::uint8_t* p, std::size_t n) {
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

// The process's resident memory in bytes (0 when it cannot be read): /proc/PID/statm's second field.
std::uint64_t resident_bytes(pid_t pid) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/statm", static_cast<int>(pid));
    std::FILE* f = std::fopen(path, "r");
    if (!f) return 0;
    unsigned long long size = 0, resident = 0;
    const int got = std::fscanf(f, "%llu %llu", &size, &resident);
    std::fclose(f);
    return got == 2 ? resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

constexpr int kPollMilliseconds = 100;  // how often the parent looks at the reader's memory

bool is_executable(const std::string& path) {
    struct stat st {};
    return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// ruvision-reader beside the running program (the build tree), where an installation keeps it
// relative to the program (PREFIX/bin and PREFIX/libexec/ruvision, wherever PREFIX is), or where
// this build installs it (looked for once).
const std::string& found_helper() {
    static const std::string path = [] {
        char exe[PATH_MAX];
        const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0) {
            const std::string program(exe, static_cast<std::size_t>(n));
            const std::string dir = program.substr(0, program.rfind('/') + 1);
            for (const std::string& candidate : {dir + "ruvision-reader", dir + "../libexec/ruvision/ruvision-reader"})
                if (is_executable(candidate)) return candidate;
        }
        const std::string installed = RUVISION_READER_INSTALLED;
        return is_executable(installed) ? installed : std::string();
    }();
    return path;
}

// The started reader: its pid and the read end of its answer; pid -1 and `error` when it failed.
struct Started {
    pid_t pid = -1;
    int answer_fd = -1;
    std::string error;
};

Started start_helper(const std::string& helper, const ReaderJob& job) {
    Started s;
    // The file goes to the helper's stdin through a memory file: nothing to feed while it reads.
    const int input = ::memfd_create("ruvision-reader-input", MFD_CLOEXEC);
    if (input < 0) return {-1, -1, std::strerror(errno)};
    if (!write_all(input, job.input, job.input_size) || ::lseek(input, 0, SEEK_SET) != 0) {
        const int e = errno;
        ::close(input);
        return {-1, -1, std::strerror(e ? e : EIO)};
    }
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) {
        const int e = errno;
        ::close(input);
        return {-1, -1, std::strerror(e)};
    }
    std::vector<std::string> words{helper, kReaderProtocol, job.kind};
    words.insert(words.end(), job.args.begin(), job.args.end());
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, input, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);  // none of our files, sockets or locks
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Default signal handling and nothing blocked, whatever the calling thread had: a crash of
    // the reader ends the reader.
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    const int rc = ::posix_spawn(&s.pid, helper.c_str(), &actions, &attr, argv.data(), environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    ::close(input);
    ::close(out[1]);
    if (rc != 0) {
        ::close(out[0]);
        return {-1, -1, helper + ": " + std::strerror(rc)};
    }
    s.answer_fd = out[0];
    return s;
}

// Without the helper: a fork that runs the job and leaves with _exit.
Started start_fork(const ReaderJob& job) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return {-1, -1, std::strerror(errno)};
    const pid_t child = ::fork();
    if (child < 0) {
        const int e = errno;
        ::close(out[0]);
        ::close(out[1]);
        return {-1, -1, std::strerror(e)};
    }
    if (child == 0) {
        // A crash dies quietly here: not through the parent's crash handlers (a test framework's
        // backtrace, a sanitizer's report), which belong to the parent's own faults.
        for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) ::signal(sig, SIG_DFL);
        ::close(out[0]);
        std::vector<std::uint8_t> answer;
        try {
            answer = reader_answer(job);
        } catch (...) {
            ::_exit(3);
        }
        ::_exit(write_all(out[1], answer.data(), answer.size()) ? 0 : 2);
    }
    ::close(out[1]);
    return {child, out[0], {}};
}

}  // namespace

std::string reader_helper_path() {
    if (const char* env = std::getenv("RUVISION_READER")) return env;
    return found_helper();
}

Result<std::vector<std::uint8_t>> run_reader_process(const std::string& reader, const std::string& crash_hint,
                                                     const ReaderLimits& limits, const ReaderJob& job) {
    const std::string helper = reader_helper_path();
    const Started started = helper.empty() ? start_fork(job) : start_helper(helper, job);
    if (started.pid < 0) return Error{"cannot start " + reader + ": " + started.error};
    const pid_t child = started.pid;
    const int fd = started.answer_fd;
    std::vector<std::uint8_t> answer;
    enum class Stop { No, Late, Memory } stop = Stop::No;
    // A forked child's pages shared with us count from the start. A first reading that failed (0)
    // must not make its whole resident size look like growth: the next one that works is the
    // baseline.
    std::uint64_t baseline = resident_bytes(child);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limits.seconds);
    std::uint8_t buffer[1 << 16];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            stop = Stop::Late;
            break;
        }
        if (limits.memory_bytes > 0) {
            const std::uint64_t now = resident_bytes(child);
            if (baseline == 0) baseline = now;
            if (now > baseline && now - baseline > limits.memory_bytes) {
                stop = Stop::Memory;
                break;
            }
        }
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), kPollMilliseconds)));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue;  // the deadline and the memory are checked above
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;  // the reader closed its end: done or dead
        answer.insert(answer.end(), buffer, buffer + got);
    }
    ::close(fd);
    if (stop != Stop::No) ::kill(child, SIGKILL);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (stop == Stop::Late) return Error{reader + " was still reading after " + std::to_string(limits.seconds) + " s"};
    if (stop == Stop::Memory)
        return Error{reader + " needed more than " + std::to_string(limits.memory_bytes >> 20) +
                     " MiB of memory on this file"};
    if (WIFEXITED(status) && WEXITSTATUS(status) == kWrongProtocol && !helper.empty())
        return Error{"cannot start " + reader + ": " + helper + " belongs to another version of RuVision"};
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return Error{reader + " crashed on this file: " + crash_hint};
    return answer;
}

int reader_helper_main(int argc, char** argv) {
    if (argc < 3 || std::strcmp(argv[1], kReaderProtocol) != 0) {
        std::fprintf(stderr, "ruvision-reader: RuVision's image reader process, started by RuVision itself (%s)\n",
                     kReaderProtocol);
        return kWrongProtocol;
    }
    std::vector<std::uint8_t> input;
    std::uint8_t buffer[1 << 16];
    for (;;) {
        const ssize_t got = ::read(0, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        input.insert(input.end(), buffer, buffer + got);
    }
    ReaderJob job{argv[2], std::vector<std::string>(argv + 3, argv + argc), input.data(), input.size()};
    const std::vector<std::uint8_t> answer = reader_answer(job);
    return write_all(1, answer.data(), answer.size()) ? 0 : 2;
}

}  // namespace rv
