// Export and import of an adapter version as a JSON file (Learning.h):
//   {"format": "ruvision-adapter", "format_version": 1, "model_id": "mobilenet_v2/gem3:expand13",
//    "model": "mobilenet_v2", "descriptor": "gem3:expand13", "precision": "fp32" (or "int8"), "dim": 576,
//    "rank": 16, "alpha": 16,
//    "a": [rank x dim floats, row-major], "b": [dim x rank floats], "version": N (in its library),
//    "marks": {"count", "held_out", "held_out_before", "held_out_after", "summary": {...}},
//    "created": UNIX_MS}
#include <chrono>
#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "learning/LearningAccess.h"
#include "learning/MarkFeatures.h"
#include "ruvision/engine/Learning.h"

namespace rv {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kFormat = "ruvision-adapter";
constexpr int kFormatVersion = 1;

// Reads a float array of exactly n finite numbers, or says why not.
bool read_floats(const json& j, const char* key, std::size_t n, std::vector<float>* out, std::string* why) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_array()) {
        *why = std::string("no \"") + key + "\" array";
        return false;
    }
    if (it->size() != n) {
        *why = std::string("\"") + key + "\" has " + std::to_string(it->size()) + " values, not " + std::to_string(n);
        return false;
    }
    out->resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const json& v = (*it)[i];
        if (!v.is_number() || !std::isfinite(v.get<double>())) {
            *why = std::string("\"") + key + "\"[" + std::to_string(i) + "] is not a finite number";
            return false;
        }
        (*out)[i] = v.get<float>();
    }
    return true;
}

}  // namespace

Status export_adapter(Library& lib, std::int64_t version, const fs::path& file) {
    auto row = LearningAccess::catalog(lib).adapter(version);
    if (!row) return row.error();
    if (!*row)
        return Error{"library " + LearningAccess::dir(lib).string() + ": no adapter version " +
                     std::to_string(version) + " (ruvision-cli adapters lists them)"};
    auto adapter = parse_adapter((*row)->params.data(), (*row)->params.size());
    if (!adapter) return Error{"adapter version " + std::to_string(version) + ": " + adapter.error().message};
    const std::string& id = (*row)->model_id;
    // model/descriptor, and "/int8" after them for a library that runs in INT8 (Library::open).
    const auto slash = id.find('/');
    std::string descriptor = slash == std::string::npos ? std::string() : id.substr(slash + 1);
    std::string precision = "fp32";
    if (descriptor.ends_with("/int8")) descriptor.resize(descriptor.size() - 5), precision = "int8";
    json summary = json::parse((*row)->summary, nullptr, false);
    if (summary.is_discarded()) summary = json::object();
    json out = {{"format", kFormat},
                {"format_version", kFormatVersion},
                {"model_id", id},
                {"model", id.substr(0, slash)},
                {"descriptor", descriptor},
                {"precision", precision},
                {"dim", adapter->dim},
                {"rank", adapter->rank},
                {"alpha", adapter->alpha},
                {"a", adapter->a},
                {"b", adapter->b},
                {"version", version},
                {"marks",
                 {{"count", (*row)->marks},
                  {"held_out", (*row)->held_out},
                  {"held_out_before", (*row)->held_out_before},
                  {"held_out_after", (*row)->held_out_after},
                  {"summary", summary}}},
                {"created", (*row)->created}};
    const fs::path tmp = file.string() + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) return Error{file.string() + ": cannot be written"};
        f << out.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
        f.close();
        if (!f) return Error{file.string() + ": writing failed"};
    }
    std::error_code ec;
    fs::rename(tmp, file, ec);
    if (ec) return Error{file.string() + ": cannot be written (" + ec.message() + ")"};
    return Status::success();
}

Result<LearnResult> import_adapter(Library& lib, const fs::path& file, const std::atomic<bool>& cancel,
                                   const std::function<void(const LearnProgress&)>& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    if (auto st = LearningAccess::check_writable(lib, "importing an adapter version"); !st) return st.error();
    const std::string name = file.string();
    std::ifstream f(file, std::ios::binary);
    if (!f) return Error{name + ": cannot be read"};
    json j = json::parse(f, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Error{name + ": not an exported adapter (not a JSON object)"};
    if (j.value("format", std::string()) != kFormat)
        return Error{name + ": not an exported adapter (no \"format\": \"" + kFormat + "\")"};
    if (!j.contains("format_version") || !j["format_version"].is_number_integer() ||
        j["format_version"].get<int>() != kFormatVersion)
        return Error{name + ": adapter format version " + (j.contains("format_version") ? j["format_version"].dump() : "?") +
                     " (this RuVision reads " + std::to_string(kFormatVersion) + ")"};
    const std::string model_id = j.value("model_id", std::string());
    if (model_id != lib.model_id())
        return Error{name + ": the adapter fits model " + (model_id.empty() ? "(none given)" : model_id) +
                     ", this library uses " + lib.model_id()};
    const int dim = LearningAccess::dim(lib);
    if (!j.contains("dim") || !j["dim"].is_number_integer() || j["dim"].get<int>() != dim)
        return Error{name + ": the adapter has dimension " + (j.contains("dim") ? j["dim"].dump() : "?") +
                     ", the library's features " + std::to_string(dim)};
    if (!j.contains("rank") || !j["rank"].is_number_integer() || j["rank"].get<int>() < 1 ||
        j["rank"].get<int>() > dim)
        return Error{name + ": the adapter's rank is missing or out of range"};
    if (!j.contains("alpha") || !j["alpha"].is_number() || !std::isfinite(j["alpha"].get<double>()))
        return Error{name + ": the adapter's alpha is missing or not a finite number"};
    LowRankAdapter adapter;
    adapter.dim = dim;
    adapter.rank = j["rank"].get<int>();
    adapter.alpha = j["alpha"].get<float>();
    std::string why;
    const auto n = static_cast<std::size_t>(adapter.rank) * static_cast<std::size_t>(dim);
    if (!read_floats(j, "a", n, &adapter.a, &why) || !read_floats(j, "b", n, &adapter.b, &why))
        return Error{name + ": " + why};
    if (!adapter.valid()) return Error{name + ": the adapter's parameters are not usable"};

    // The guard, on every mark of this library: nothing here was trained on them.
    CatalogDb& db = LearningAccess::catalog(lib);
    auto mf = mark_features(db, lib.model_id(), dim);
    if (!mf) return mf.error();
    LearnResult result;
    result.marks = mf->pairs.size();
    result.held_out = mf->pairs.size();
    const auto active = lib.active_adapter();
    AdapterStack before_stack, after_stack;
    before_stack.base = active->base;
    after_stack.base = adapter;
    bool pass = false;
    const bool enough = mf->alike >= 1 && mf->different >= 1;
    if (!enough) {
        result.reason = "not activated: this library has no alike and different marks to judge it on (" +
                        std::to_string(mf->alike) + " alike, " + std::to_string(mf->different) + " different)";
    } else {
        const GuardScore b = guard_score(before_stack, mf->features, mf->pairs);
        const GuardScore a = guard_score(after_stack, mf->features, mf->pairs);
        result.held_out_before = b.auc;
        result.held_out_after = a.auc;
        pass = guard_passes(b, a, &why);
        const std::string against = active->version ? "version " + std::to_string(active->version) : "no adapter";
        result.reason = std::string(pass ? "activated" : "not activated") + ": on this library's " +
                        std::to_string(mf->pairs.size()) + " marks against " + against + ", " + why;
    }
    json summary = {{"imported_from", name},
                    {"exported_version", j.value("version", 0)},
                    {"exported_marks", j.contains("marks") ? j["marks"] : json(nullptr)},
                    {"alike", mf->alike},
                    {"different", mf->different}};
    CatalogAdapter row;
    row.model_id = lib.model_id();
    row.dim = dim;
    row.rank = adapter.rank;
    row.params = serialize_adapter(adapter);
    row.marks = static_cast<std::int64_t>(result.marks);
    row.held_out = static_cast<std::int64_t>(result.held_out);
    if (enough) {
        row.held_out_before = result.held_out_before;
        row.held_out_after = result.held_out_after;
    }
    row.source = "import";
    row.summary = summary.dump(-1, ' ', false, json::error_handler_t::replace);
    if (auto st = store_version(lib, std::move(row), pass, result, cancel, progress,
                                [&](std::int64_t v) { return name + ": imported as version " + std::to_string(v); });
        !st)
        return st.error();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return result;
}

}  // namespace rv
