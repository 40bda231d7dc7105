// Exact index. Payload of its file (see IndexFile.h for the header around it):
//   u64 n, then n x i64 ids, then n x dim f32 vectors (row i belongs to ids[i]); n == header count.
#include <algorithm>
#include <exception>
#include <mutex>
#include <new>
#include <queue>

#include "index/IndexFile.h"
#include "ruvision/kernels/kernels.h"

namespace rv {

namespace {

// Strict "a ranks before b": higher score, then smaller id.
bool ranks_before(const Hit& a, const Hit& b) {
    return a.score > b.score || (a.score == b.score && a.id < b.id);
}

}  // namespace

BruteForceIndex::BruteForceIndex(int dim, std::string model_id)
    : dim_(dim), model_id_(std::move(model_id)) {}

std::size_t BruteForceIndex::size() const {
    std::shared_lock lock(mutex_);
    return ids_.size();
}

bool BruteForceIndex::contains(std::int64_t id) const {
    std::shared_lock lock(mutex_);
    return slot_.count(id) != 0;
}

void BruteForceIndex::put(std::int64_t id, const float* v) {
    const std::size_t d = static_cast<std::size_t>(dim_);
    auto [it, inserted] = slot_.try_emplace(id, ids_.size());
    if (inserted) {
        ids_.push_back(id);
        data_.insert(data_.end(), v, v + d);
    } else {
        std::copy(v, v + d, data_.begin() + static_cast<std::ptrdiff_t>(it->second * d));
    }
}

Status BruteForceIndex::add(std::int64_t id, const float* v) {
    return add_batch(1, &id, v);
}

Status BruteForceIndex::add_batch(std::size_t n, const std::int64_t* ids, const float* data) {
    for (std::size_t i = 0; i < n; ++i)
        if (auto why = vector_problem(data + i * static_cast<std::size_t>(dim_), dim_); !why.empty())
            return Error{"brute-force index: the vector of id " + std::to_string(ids[i]) + " is refused: " + why};
    std::unique_lock lock(mutex_);
    ++changes_;
    try {
        ids_.reserve(ids_.size() + n);
        data_.reserve(data_.size() + n * static_cast<std::size_t>(dim_));
        slot_.reserve(slot_.size() + n);
        for (std::size_t i = 0; i < n; ++i) put(ids[i], data + i * static_cast<std::size_t>(dim_));
    } catch (const std::bad_alloc&) {
        return Error{"brute-force index: not enough memory to add " + std::to_string(n) +
                     " vectors"};
    }
    return Status::success();
}

bool BruteForceIndex::remove(std::int64_t id) {
    std::unique_lock lock(mutex_);
    auto it = slot_.find(id);
    if (it == slot_.end()) return false;
    ++changes_;
    const std::size_t d = static_cast<std::size_t>(dim_);
    const std::size_t hole = it->second, last = ids_.size() - 1;
    slot_.erase(it);
    if (hole != last) {
        ids_[hole] = ids_[last];
        std::copy_n(data_.begin() + static_cast<std::ptrdiff_t>(last * d), d,
                    data_.begin() + static_cast<std::ptrdiff_t>(hole * d));
        slot_[ids_[hole]] = hole;
    }
    ids_.pop_back();
    data_.resize(last * d);
    return true;
}

std::uint64_t BruteForceIndex::changes() const {
    std::shared_lock lock(mutex_);
    return changes_;
}

std::vector<Hit> BruteForceIndex::search(const float* q, int k) const {
    std::shared_lock lock(mutex_);
    if (k <= 0 || ids_.empty()) return {};
    const auto dot = kernels::kernels().dot;
    const std::size_t d = static_cast<std::size_t>(dim_);
    const std::size_t keep = std::min<std::size_t>(static_cast<std::size_t>(k), ids_.size());

    // Heap of the best `keep` so far, the worst of them on top.
    std::vector<Hit> heap;
    heap.reserve(keep + 1);
    for (std::size_t i = 0; i < ids_.size(); ++i) {
        const Hit h{ids_[i], dot(q, data_.data() + i * d, d)};
        if (heap.size() < keep) {
            heap.push_back(h);
            std::push_heap(heap.begin(), heap.end(), ranks_before);
        } else if (ranks_before(h, heap.front())) {
            std::pop_heap(heap.begin(), heap.end(), ranks_before);
            heap.back() = h;
            std::push_heap(heap.begin(), heap.end(), ranks_before);
        }
    }
    std::sort_heap(heap.begin(), heap.end(), ranks_before);
    return heap;
}

Status BruteForceIndex::save(const std::string& path) const {
    std::shared_lock lock(mutex_);
    const std::uint64_t n = ids_.size();
    return index_detail::write_index_file(
        path, IndexKind::BruteForce, static_cast<std::uint32_t>(dim_), n, model_id_,
        [&](index_detail::PayloadWriter& w) -> Status {
            if (!w.write(&n, sizeof n) || !w.write(ids_.data(), n * sizeof(std::int64_t)) ||
                !w.write(data_.data(), data_.size() * sizeof(float)))
                return index_detail::file_error(path, "write failed (disk full?)");
            return Status::success();
        });
}

namespace index_detail {

Result<std::unique_ptr<VectorIndex>> load_brute_force_payload(PayloadReader& in,
                                                              const FileHeader& h) {
    const std::string& path = in.path();
    std::uint64_t n = 0;
    if (!in.read(&n, sizeof n))
        return in.checked_error(file_error(path, "corrupt payload: too short"));
    const std::uint64_t row_bytes = sizeof(std::int64_t) + std::uint64_t{h.dim} * sizeof(float);
    if (n != h.count || n > in.remaining() / row_bytes || n * row_bytes != in.remaining())
        return in.checked_error(file_error(
            path, "corrupt payload: " + std::to_string(n) + " vectors of " +
                      std::to_string(h.dim) + " floats do not fill " +
                      std::to_string(h.payload_length) + " bytes"));
    std::vector<std::int64_t> ids(n);
    std::vector<float> data(n * h.dim);
    if (!in.read(ids.data(), ids.size() * sizeof(std::int64_t)) ||
        !in.read(data.data(), data.size() * sizeof(float)))
        return file_error(path, "read failed (the file changed while being read?)");
    if (Status s = in.finish(); !s.ok()) return s.error();

    auto index = std::make_unique<BruteForceIndex>(static_cast<int>(h.dim), h.model_id);
    if (Status s = index->add_batch(n, ids.data(), data.data()); !s.ok())
        return file_error(path, s.error().message);
    if (index->size() != n) return file_error(path, "corrupt payload: an id appears twice");
    return std::unique_ptr<VectorIndex>(std::move(index));
}

}  // namespace index_detail

}  // namespace rv
