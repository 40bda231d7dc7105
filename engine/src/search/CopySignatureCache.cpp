#include <algorithm>
#include <vector>

#include "ruvision/engine/SearchCopies.h"

namespace rv {

std::shared_ptr<const CopySignatureCache::Entry> CopySignatureCache::find(std::int64_t file_id, std::int64_t size,
                                                                          std::int64_t mtime_ns) {
    std::lock_guard lock(mutex_);
    const auto it = slots_.find(file_id);
    if (it == slots_.end() || it->second.entry->size != size || it->second.entry->mtime_ns != mtime_ns) return nullptr;
    it->second.used = ++clock_;
    return it->second.entry;
}

void CopySignatureCache::put(std::int64_t file_id, std::shared_ptr<const Entry> entry) {
    std::lock_guard lock(mutex_);
    slots_[file_id] = Slot{std::move(entry), ++clock_};
    if (slots_.size() <= capacity_) return;
    // Over capacity: drop the least recently used tenth at once, so that eviction stays rare.
    std::vector<std::uint64_t> uses;
    uses.reserve(slots_.size());
    for (const auto& s : slots_) uses.push_back(s.second.used);
    const std::size_t drop = std::max<std::size_t>(1, slots_.size() / 10);
    std::nth_element(uses.begin(), uses.begin() + static_cast<std::ptrdiff_t>(drop - 1), uses.end());
    const std::uint64_t cut = uses[drop - 1];
    for (auto it = slots_.begin(); it != slots_.end();) it = it->second.used <= cut ? slots_.erase(it) : std::next(it);
}

std::size_t CopySignatureCache::size() const {
    std::lock_guard lock(mutex_);
    return slots_.size();
}

}  // namespace rv
