// Library::index: the indexing job (scan, moved/vanished files, embedding, storing), and the
// lock that keeps it to one process per library.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <unordered_map>

#include "ruvision/engine/Library.h"

namespace rv {

namespace fs = std::filesystem;

namespace {

constexpr const char* kLockFile = "index.lock";

std::string hex64(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

// An flock on DIR/index.lock, held while this object lives. flock (unlike fcntl locks) conflicts
// between two descriptors of one process too, and the kernel drops it when the process dies.
class IndexLock {
public:
    static Result<IndexLock> take(const fs::path& dir) {
        const fs::path path = dir / kLockFile;
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) return Error{path.string() + ": cannot open the lock file"};
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            ::close(fd);
            return Error{"library " + dir.string() + ": another process is indexing it (" + path.string() + " is locked)"};
        }
        return IndexLock(fd);
    }
    IndexLock(IndexLock&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    IndexLock& operator=(IndexLock&&) = delete;
    ~IndexLock() {
        if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
    }

private:
    explicit IndexLock(int fd) : fd_(fd) {}
    int fd_;
};

}  // namespace

bool library_is_being_indexed(const fs::path& dir) {
    const int fd = ::open((dir / kLockFile).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0;
    ::close(fd);
    return held;
}

std::string content_fingerprint(const fs::path& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return {};
    f.seekg(0, std::ios::end);
    const std::int64_t size = f.tellg();
    if (size < 0) return {};
    constexpr std::int64_t kChunk = 64 * 1024;
    std::vector<char> buf;
    auto take = [&](std::int64_t from, std::int64_t n) {
        const std::size_t at = buf.size();
        buf.resize(at + static_cast<std::size_t>(n));
        f.seekg(from);
        f.read(buf.data() + at, n);
    };
    take(0, std::min(size, kChunk));
    if (size > kChunk) take(std::max(kChunk, size - kChunk), std::min(kChunk, size - kChunk));
    if (!f) return {};
    std::uint64_t h = 14695981039346656037ull ^ static_cast<std::uint64_t>(size);
    for (char c : buf) h = (h ^ static_cast<std::uint8_t>(c)) * 1099511628211ull;
    return hex64(h) + "-" + std::to_string(size);
}


Result<IndexJobResult> Library::index(const IndexJobParams& params, const std::atomic<bool>& cancel,
                                      const std::function<void(const IndexProgress&)>& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    auto lock = IndexLock::take(dir_);
    if (!lock) return lock.error();
    IndexJobResult result;
    for (const auto& r : params.roots) {
        if (auto st = add_root(r); !st) return st.error();
    }
    auto roots = catalog_->roots();
    if (!roots) return roots.error();
    // From here until the index is saved, the index file may lag behind the catalog.
    if (auto st = catalog_->set_meta("index_dirty", "1"); !st) return st.error();

    // 1. Scan every root; then record what is there, notice moved and vanished files.
    std::vector<std::vector<ScannedFile>> scanned;
    std::set<std::string> seen;
    for (const auto& root : *roots) {
        if (cancel) break;
        std::vector<ScanProblem> problems;
        scanned.push_back(scan_images(root.path, params.scan, &problems, [&] { return cancel.load(); }));
        result.scan_problems.insert(result.scan_problems.end(), problems.begin(), problems.end());
        result.found += scanned.back().size();
        for (const auto& f : scanned.back()) seen.insert(f.path.string());
    }
    // A new file can only be a moved one if an indexed file of its size vanished: only such files
    // have their content read now (the others' fingerprints are taken after embedding, when the
    // file is in the page cache anyway).
    std::set<std::int64_t> vanished_sizes;
    for (const auto& root : *roots) {
        if (cancel) break;  // a cancelled scan saw only part: no file counts as vanished
        auto known = catalog_->files_under_root(root.id);
        if (!known) return known.error();
        for (const auto& k : *known)
            if (k.status == FileStatus::Indexed && !seen.count(k.path)) vanished_sizes.insert(k.size);
    }
    std::unordered_map<std::string, std::string> new_fingerprints;  // path -> fingerprint read now
    for (std::size_t r = 0; r < scanned.size(); ++r) {
        const auto& root = (*roots)[r];
        auto tx = catalog_->begin();
        if (!tx) return tx.error();
        for (const auto& f : scanned[r]) {
            const std::string p = f.path.string();
            const auto size = static_cast<std::int64_t>(f.size);
            if (vanished_sizes.count(size)) {
                auto existing = catalog_->find_by_path(p);
                if (!existing) return existing.error();
                if (!*existing) {
                    const std::string fp = content_fingerprint(f.path);
                    new_fingerprints[p] = fp;
                    bool moved = false;
                    auto same = fp.empty() ? Result<std::vector<CatalogFile>>(std::vector<CatalogFile>())
                                           : catalog_->find_by_hash(fp);
                    if (!same) return same.error();
                    for (const auto& c : *same) {
                        if (c.status != FileStatus::Indexed || seen.count(c.path) || fs::exists(c.path)) continue;
                        if (auto st = catalog_->move_file(c.id, root.id, p, size, f.mtime_ns); !st) return st.error();
                        ++result.moved;
                        moved = true;
                        break;
                    }
                    if (moved) continue;
                }
            }
            auto s = catalog_->upsert_file_seen(root.id, p, size, f.mtime_ns);
            if (!s) return s.error();
        }
        if (auto st = tx->commit(); !st) return st.error();
    }
    // Vanished files leave catalog and index; not after a cancelled scan, which saw only part.
    if (!cancel && scanned.size() == roots->size()) {
        for (const auto& root : *roots) {
            auto known = catalog_->files_under_root(root.id);
            if (!known) return known.error();
            std::vector<std::int64_t> gone;
            for (const auto& k : *known)
                if (!seen.count(k.path)) gone.push_back(k.id);
            if (auto st = catalog_->remove_files(gone); !st) return st.error();
            for (auto id : gone) index_->remove(id);
            result.removed += gone.size();
        }
    }

    // 2. What needs a forward pass: new or changed files, and files of another model.
    std::vector<std::int64_t> ids;
    std::vector<fs::path> paths;
    for (const auto& root : *roots) {
        auto known = catalog_->files_under_root(root.id);
        if (!known) return known.error();
        for (const auto& k : *known) {
            if (k.status == FileStatus::Pending || (k.status == FileStatus::Indexed && k.model_id != model_id_)) {
                ids.push_back(k.id);
                paths.emplace_back(k.path);
            } else if (k.status == FileStatus::Indexed) {
                ++result.unchanged;
            }
        }
    }
    result.unchanged -= std::min(result.unchanged, result.moved);

    // 3. Embed on the workers; store here, in batches.
    IndexProgress prog;
    prog.total = paths.size();
    const auto t_embed = std::chrono::steady_clock::now();
    auto tx = catalog_->begin();
    if (!tx) return tx.error();
    int in_batch = 0;
    Status failure;
    embed_files(*embedder_, paths, {params.threads, /*rotated=*/true}, cancel, [&](EmbeddedFile&& r) {
        if (!failure) return;
        const std::int64_t id = ids[r.index];
        if (r.ok()) {
            failure = catalog_->mark_indexed(id, r.width, r.height, model_id_, r.embedding.data(),
                                             static_cast<int>(r.embedding.size()), r.rotated.data());
            if (failure) {
                const auto known = new_fingerprints.find(r.path.string());
                failure = catalog_->set_content_hash(
                    id, known != new_fingerprints.end() ? known->second : content_fingerprint(r.path));
            }
            if (failure) failure = index_->add(id, r.embedding.data());
            ++result.embedded;
        } else {
            failure = catalog_->mark_error(id, r.error);
            ++result.failed;
        }
        if (failure && ++in_batch >= params.commit_every) {
            failure = tx->commit();
            if (failure) {
                auto next = catalog_->begin();
                if (next) tx = std::move(next);
                else failure = next.error();
            }
            in_batch = 0;
        }
        ++prog.done;
        prog.current = r.path;
        prog.errors = result.failed;
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_embed).count();
        prog.images_per_second = s > 0 ? static_cast<double>(prog.done) / s : 0;
        if (progress) progress(prog);
    });
    if (!failure) return failure.error();
    if (auto st = tx->commit(); !st) return st.error();
    result.cancelled = cancel;
    if (auto st = save_index(); !st) return st.error();

    auto errors = catalog_->errors();
    if (!errors) return errors.error();
    result.errors = std::move(*errors);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return result;
}

}  // namespace rv
