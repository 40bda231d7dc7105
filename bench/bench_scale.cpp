// bench_scale: a library of N files (issue 15: half a million), each step a person takes, timed,
// with its peak memory.
//
//   bench_scale [--dir DIR] [--size N] [--extras] [--reuse] [--skip-gui] [--skip-duplicates] [--spread S]
//
// The library (built in --dir, default /tmp/ruvision-bench-scale, as lib-N; --reuse keeps it) is
// benchlib::build_linked_library's: N real files on disk, each its own JPEG (one of 24 wallpapers
// scaled to 160 px, with a comment naming the file: ~8 KB a file), recorded in a real catalog with
// their true size and mtime and synthetic features (1,000 clusters, spread S, default 1.2: members
// of a cluster at a cosine near 0.4); every 100th file is a byte copy of the one before (its
// feature moved by noise of norm 0.02), so duplicates has real groups to find and check pixel by
// pixel.
// --extras also stores each file's twins, quarter turn and regions, as indexing does; without
// them the index step below would compute them from the pixels, so it is left out.
//
// 1. The build: catalog rows written, the indexes built from the catalog, saved, the search
//    calibration, the hierarchy. Then the bench runs itself again with --reuse, so that the peak
//    memory below is the steps', not the build's.
// 2. Each CLI step in its own ruvision-cli process (the one beside this executable), on a warm
//    page cache: wall time and the process's peak resident memory (wait4's ru_maxrss): status,
//    search by a library file and by an outside picture, duplicates, hierarchy (stored: loaded),
//    index (a rescan that finds nothing changed; --extras only). --skip-duplicates leaves out the
//    one step that takes minutes at 500k (and never loads the view indexes). With --extras, then:
//    that rescan killed with SIGKILL half-way, and status after it (its time and index state).
// 3. The window's folder grid: the folder of N files listed (listImagesAsync, as the window does)
//    and put into a real ImageGrid, from the request to the first painted grid, then scrolled to
//    the end and painted; this process's peak memory.
// The Poincare view at the same size: bench_poincare_frames --dir DIR --size N --reuse.
// Prints Markdown tables on stdout; progress on stderr. Never pass/fail.
#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QTemporaryDir>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "ImageGrid.h"
#include "ImageGridModel.h"
#include "ThumbnailCache.h"
#include "bench_args.h"
#include "synthetic_library.h"
#include "ui_stall_common.h"

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "bench_scale: %s\n", why.c_str());
    std::exit(1);
}

struct Run {
    double seconds = 0;
    long peak_mib = 0;
    int status = -1;
    std::vector<std::string> lines;  // of its stdout, the empty ones left out
    std::string last_line() const { return lines.empty() ? std::string() : lines.back(); }
};

// `argv` run as a child (stdout to `out`, stderr inherited), waited for; wall time and peak RSS.
// kill_after > 0: killed with SIGKILL after that many seconds.
Run runChild(const std::vector<std::string>& argv, const fs::path& out, double kill_after = 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid < 0) fail("fork failed");
    if (pid == 0) {
        const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) ::dup2(fd, 1);
        ::execv(args[0], args.data());
        std::perror(args[0]);
        ::_exit(127);
    }
    if (kill_after > 0) {
        std::this_thread::sleep_for(std::chrono::duration<double>(kill_after));
        ::kill(pid, SIGKILL);
    }
    int status = 0;
    rusage ru{};
    if (::wait4(pid, &status, 0, &ru) != pid) fail("wait4 failed");
    Run r;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.peak_mib = ru.ru_maxrss / 1024;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (std::FILE* f = std::fopen(out.c_str(), "r")) {
        char line[4096];
        while (std::fgets(line, sizeof line, f)) {
            std::string s(line);
            while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
            if (!s.empty()) r.lines.push_back(s);
        }
        std::fclose(f);
    }
    return r;
}

long selfPeakMib() {
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

double mib(const fs::path& p) {
    std::error_code ec;
    const auto size = fs::file_size(p, ec);
    return ec ? 0.0 : static_cast<double>(size) / (1024.0 * 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
    QTemporaryDir home;
    ui_stall::usePrivateEnvironment(home);
    QApplication app(argc, argv);

    fs::path dir = "/tmp/ruvision-bench-scale";
    std::size_t n = 500000;
    bool extras = false, reuse = false, gui = true, duplicates = true;
    float spread = 1.2f;
    BenchArgs args(argc, argv, "usage: bench_scale [--dir DIR] [--size N] [--extras] [--reuse] [--skip-gui] [--skip-duplicates] [--spread S]");
    while (args.next()) {
        if (args.is("--dir")) dir = args.text();
        else if (args.is("--size")) n = static_cast<std::size_t>(args.count(1, 100'000'000));
        else if (args.is("--extras")) extras = true;
        else if (args.is("--reuse")) reuse = true;
        else if (args.is("--skip-gui")) gui = false;
        else if (args.is("--skip-duplicates")) duplicates = false;
        else if (args.is("--spread")) spread = static_cast<float>(args.real(0.01, 100));
        else args.unknown();
    }
    const fs::path lib = dir / ("lib-" + std::to_string(n));
    const std::string libArg = lib.string();
    const std::string cli = (fs::canonical("/proc/self/exe").parent_path() / "ruvision-cli").string();
    if (!fs::exists(cli)) fail(cli + " is missing: build ruvision-cli");

    // 1. The build.
    if (!reuse || !fs::exists(lib / "catalog.sqlite")) {
        std::fprintf(stderr, "building a library of %zu files in %s ...\n", n, libArg.c_str());
        benchlib::LinkedLibraryParams params;
        params.files = n;
        params.copy_every = 100;
        params.extras = extras;
        params.distinct = true;
        params.side = 160;
        params.spread = spread;
        auto built = benchlib::build_linked_library(lib, params);
        if (!built) fail(built.error().message);
        std::printf("## Building a library of %zu files (bench_scale)\n\n", n);
        std::printf("| catalog rows written s | indexes built at open s | indexing run (folder away) s | search "
                    "calibration s | hierarchy s | hierarchy nodes |\n|---:|---:|---:|---:|---:|---:|\n| %.1f | %.1f | "
                    "%.1f | %.1f | %.1f | %zu |\n\n",
                    built->write_s, built->open_s, built->save_s, built->calibration_s, built->hierarchy_s,
                    built->hierarchy_nodes);
        std::fflush(stdout);
        // The steps below in a fresh process, so that its peak memory is theirs, not the build's.
        std::vector<std::string> again(argv, argv + argc);
        again.push_back("--reuse");
        std::vector<char*> args;
        for (auto& a : again) args.push_back(a.data());
        args.push_back(nullptr);
        ::execv("/proc/self/exe", args.data());
        fail("cannot run itself again");
    }
    std::printf("Library %s: %zu files%s; catalog %.0f MiB, vectors.rvi %.0f MiB, twins.rvi %.0f MiB, regions.rvi %.0f "
                "MiB.\n\n",
                libArg.c_str(), n, extras ? " with twins and regions" : "", mib(lib / "catalog.sqlite"),
                mib(lib / "vectors.rvi"), mib(lib / "twins.rvi"), mib(lib / "regions.rvi"));
    std::fflush(stdout);

    // 2. The CLI steps.
    struct Step {
        std::string name;
        std::vector<std::string> argv;
    };
    const std::string inside = (lib / "photos" / "p000123.jpg").string();
    const std::string outside = (lib / "sources" / "source5.jpg").string();
    std::vector<Step> steps = {
        {"status", {cli, "status", "--library", libArg}},
        {"search by a library file", {cli, "search", "--library", libArg, inside}},
        {"search by an outside picture", {cli, "search", "--library", libArg, outside}},
        {"hierarchy (stored)", {cli, "hierarchy", "--library", libArg}},
    };
    if (duplicates) steps.push_back({"duplicates", {cli, "duplicates", "--library", libArg}});
    if (extras) steps.push_back({"index: rescan, nothing changed", {cli, "index", "--library", libArg}});
    runChild({cli, "status", "--library", libArg}, dir / "warm.out");  // the page cache warm for all
    // Each step twice: the first run may store what later runs reuse (a rescan after the folder
    // came back, the search calibration).
    double rescan_s = 0;
    std::printf("| step (ruvision-cli, own process) | first s | again s | peak MiB | exit | last line of its output |\n"
                "|---|---:|---:|---:|---:|---|\n");
    for (const auto& step : steps) {
        std::fprintf(stderr, "%s ...\n", step.name.c_str());
        const Run first = runChild(step.argv, dir / "step.out");
        const Run again = runChild(step.argv, dir / "step.out");
        if (step.argv[1] == "index") rescan_s = again.seconds;
        std::string shown = again.last_line().substr(0, 100);
        for (char& c : shown)
            if (c == '|') c = '/';
        std::printf("| %s | %.2f | %.2f | %ld | %d | %s |\n", step.name.c_str(), first.seconds, again.seconds,
                    std::max(first.peak_mib, again.peak_mib), first.status != 0 ? first.status : again.status,
                    shown.c_str());
        std::fflush(stdout);
    }
    std::printf("\n");
    if (extras) {
        // The rescan killed (kill -9) half-way, then `status`: a run killed before it changed a
        // vector leaves the index files usable (Library::load_or_rebuild_index), so status reads
        // them instead of rebuilding the index from the catalog.
        std::fprintf(stderr, "index killed half-way, then status ...\n");
        const Run killed = runChild({cli, "index", "--library", libArg}, dir / "step.out", rescan_s / 2);
        const Run after = runChild({cli, "status", "--library", libArg}, dir / "step.out");
        std::string state = "(no index line)";
        for (const auto& line : after.lines)
            if (line.rfind("index: ", 0) == 0) state = line;
        std::printf("| after kill -9 of `index` at %.1f s (exit %d) | s | peak MiB | index state |\n"
                    "|---|---:|---:|---|\n| `status` | %.2f | %ld | %s |\n\n",
                    rescan_s / 2, killed.status, after.seconds, after.peak_mib, state.c_str());
    }
    if (!gui) return 0;

    // 3. The folder grid.
    std::fprintf(stderr, "folder grid ...\n");
    const long before = selfPeakMib();
    rv::ui::ThumbnailCache thumbnails;
    rv::ui::ImageGrid grid(&thumbnails);
    grid.resize(1100, 760);
    grid.show();
    QElapsedTimer clock;
    clock.start();
    auto listing = rv::ui::listImagesAsync(QString::fromStdString((lib / "photos").string()));
    listing.waitForFinished();
    const double listed = clock.elapsed() / 1000.0;
    grid.gridModel()->setFolderFiles(listing.result());
    grid.grab();
    const double painted = clock.elapsed() / 1000.0;
    clock.restart();
    grid.verticalScrollBar()->setValue(grid.verticalScrollBar()->maximum());
    grid.grab();
    const double scrolled = clock.elapsed() / 1000.0;
    std::printf("| folder grid, %d files | listed s | first painted s | scrolled to the end and painted s | "
                "peak MiB before / after |\n|---|---:|---:|---:|---:|\n| ImageGrid 1100x760 | %.2f | %.2f | %.3f | %ld / "
                "%ld |\n",
                grid.gridModel()->rowCount(), listed, painted, scrolled, before, selfPeakMib());
    return 0;
}
