#include "ruvision/engine/Scanner.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <dirent.h>
#include <sys/stat.h>

#include <cerrno>

#include "image/ImageHeader.h"
#include "ruvision/engine/ImageFormats.h"

namespace rv {

namespace fs = std::filesystem;

namespace {

bool hidden(const fs::path& p) {
    const std::string name = p.filename().string();
    return !name.empty() && name[0] == '.';
}

// Only for files whose extension says nothing: look at the first bytes.
bool looks_like_image(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::uint8_t head[32] = {};
    f.read(reinterpret_cast<char*>(head), sizeof head);
    return sniff_image_header(head, static_cast<std::size_t>(f.gcount())).format != ImageFormat::Unknown;
}

struct Walker {
    const ScanOptions& opt;
    std::vector<ScannedFile>& out;
    std::vector<ScanProblem>* problems;
    const std::function<bool()>& cancelled;
    std::vector<fs::path>* mount_points;
    std::set<std::pair<dev_t, ino_t>> visited;
    // Symlinked folders wait until every real folder has been walked, so a file is reported under
    // its real path when it has one inside the root.
    std::vector<fs::path> linked;
    // Each file (device, inode) once: symlinks and hard links to one picture are one file, under
    // a real (not symlink) path when the root has one; the smallest such path, for determinism.
    std::map<std::pair<dev_t, ino_t>, std::pair<std::size_t, bool>> file_at;  // -> (index in out, via link)

    void problem(const fs::path& p, const std::string& why) {
        if (problems) problems->push_back({p, why});
    }

    // parent_dev: the device of the real folder holding `dir`; 0 for the root and symlinked folders.
    void walk(const fs::path& dir, dev_t parent_dev = 0) {
        if (cancelled && cancelled()) return;
        struct stat st {};
        if (::stat(dir.c_str(), &st) != 0) {
            problem(dir, std::string("cannot read folder: ") + std::strerror(errno));
            return;
        }
        if (!visited.insert({st.st_dev, st.st_ino}).second) return;  // seen: a symlink loop or alias
        if (parent_dev != 0 && st.st_dev != parent_dev && mount_points) mount_points->push_back(dir);
        std::error_code ec;
        fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
        if (ec) {
            problem(dir, "cannot read folder: " + ec.message());
            return;
        }
        std::vector<fs::path> subdirs;
        for (; it != fs::directory_iterator(); it.increment(ec)) {
            if (ec) {
                problem(dir, "listing stopped: " + ec.message());
                break;
            }
            const fs::path p = it->path();
            if (opt.skip_hidden && hidden(p)) continue;
            std::error_code sec;
            const bool is_link = it->is_symlink(sec);
            if (is_link && !opt.follow_symlinks) continue;
            const auto status = it->status(sec);  // follows symlinks
            if (sec) {
                if (!is_link) problem(p, "vanished or unreadable: " + sec.message());
                continue;  // a dangling symlink is not a problem worth reporting
            }
            if (fs::is_directory(status)) {
                (is_link ? linked : subdirs).push_back(p);
            } else if (fs::is_regular_file(status)) {
                if (!has_image_extension(p) && (p.has_extension() || !looks_like_image(p))) continue;
                struct stat fst {};
                if (::stat(p.c_str(), &fst) != 0) {
                    problem(p, std::string("vanished during the scan: ") + std::strerror(errno));
                    continue;
                }
                ScannedFile f{p, static_cast<std::uint64_t>(fst.st_size),
                              static_cast<std::int64_t>(fst.st_mtim.tv_sec) * 1'000'000'000 + fst.st_mtim.tv_nsec};
                auto [at, fresh] = file_at.try_emplace({fst.st_dev, fst.st_ino}, out.size(), is_link);
                if (fresh) {
                    out.push_back(std::move(f));
                } else if (auto& [index, via_link] = at->second;
                           (via_link && !is_link) || (via_link == is_link && f.path < out[index].path)) {
                    out[index] = std::move(f);
                    via_link = is_link;
                }
            }
        }
        std::sort(subdirs.begin(), subdirs.end());
        for (const auto& d : subdirs) walk(d, st.st_dev);
    }
};

}  // namespace

std::string root_unavailable(const fs::path& root) {
    struct stat st {};
    if (::stat(root.c_str(), &st) != 0)
        return errno == ENOENT ? std::string("missing (folder not found)") : std::string("cannot be read: ") + std::strerror(errno);
    if (!S_ISDIR(st.st_mode)) return "not a folder";
    DIR* d = ::opendir(root.c_str());
    if (!d) return std::string("cannot be read: ") + std::strerror(errno);
    ::closedir(d);
    return {};
}

bool has_image_extension(const fs::path& path) {
    std::string ext = path.extension().string();
    if (ext.size() < 2) return false;
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    static const std::set<std::string> known(picture_extensions().begin(), picture_extensions().end());
    return known.count(ext.substr(1)) > 0;
}

std::vector<ScannedFile> scan_images(const fs::path& root, const ScanOptions& options, std::vector<ScanProblem>* problems,
                                     const std::function<bool()>& cancelled, std::vector<fs::path>* mount_points) {
    std::vector<ScannedFile> out;
    Walker w{options, out, problems, cancelled, mount_points, {}, {}, {}};
    w.walk(root);
    for (std::size_t i = 0; i < w.linked.size(); ++i) w.walk(fs::path(w.linked[i]));  // may grow
    std::sort(out.begin(), out.end(), [](const ScannedFile& a, const ScannedFile& b) { return a.path < b.path; });
    return out;
}

}  // namespace rv
