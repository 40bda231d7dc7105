// Learning from the person's marks, at the level of a library: adapter versions stored in the
// catalog, the guard that decides which one search uses, re-projection of the stored features into
// an index of the active version, export / import of a version, and the fast adapter updated after
// each mark. The maths is in Adapter.h / AdapterTraining.h; marks in Marks.h.
//
// Versions. learn() trains a base adapter on the marks (stored features; the CNN never runs
// again) and stores it as version N (1, 2, ...). The guard holds out part of the marks (a seeded,
// stratified kLearnHeldOutFraction of the alike and of the different ones) and trains on the rest;
// it scores the held-out marks with pair_auc() under the active version (or none) and under the
// new one, and activates the new one only if it scores strictly higher (equal AUC: only if it
// separates the held-out alike and different pairs' mean cosines by more), so learning can never
// make search worse on the person's own verdicts than what is active. With fewer than
// kLearnMinMarks usable marks, or fewer than 2 alike or 2 different ones, the version is trained on
// every mark and stored, never activated, and the reason says why.
//
// Activation (learn, activate_adapter, import) re-projects every stored feature through the
// version into an index of its own (file vectors.adapterN.rvi), saves it, and only then names the
// version active in the catalog (meta 'adapter.active') and swaps it into the library: searches
// answer with the previous version until that moment. kill -9 at any point leaves the previous
// version active and every mark stored. A new active version (or none) drops the fast adapter.
// Another process that has the library open sees the change when it opens it again.
//
// Threads: every function here runs on the library's writer thread (the one that may call
// Library::index()), never while index() runs; training and re-projection run on that calling
// thread. Searches, duplicates and status on other threads go on meanwhile and answer with the
// version active when they started. Activation takes the library's index lock, so it fails while
// another process indexes the library. Writes need LibraryAccess::Update or Create; listing and
// exporting work with LibraryAccess::Read. Jobs never throw; cancel stops between training steps
// or re-projection batches (a cancelled learn stores nothing).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ruvision/engine/AdapterTraining.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Result.h"

namespace rv {

inline constexpr double kLearnHeldOutFraction = 0.2;
inline constexpr std::size_t kLearnMinMarks = 10;

struct LearnParams {
    TrainParams train;  // rank, alpha, losses, epochs... (AdapterTraining.h)
    double held_out_fraction = kLearnHeldOutFraction;
    std::uint64_t split_seed = 1;  // the held-out split
};

// Reported on the calling thread: stage "training" (step of steps) or "re-projecting" (features
// done of total).
struct LearnProgress {
    std::string stage;
    std::size_t done = 0, total = 0;
    float loss = 0;  // training: the last step's mean loss
};

struct LearnResult {
    std::int64_t version = 0;  // the stored version
    bool activated = false;    // it is the active version now
    std::string reason;        // why (not), in words
    std::size_t marks = 0;     // marks it learned from (training + held out)
    std::size_t held_out = 0;  // of which held out for the guard
    double held_out_before = 0.5, held_out_after = 0.5;  // pair_auc on the held-out marks: active then, this one
    double seconds = 0;
};

// Trains a version on every mark now, stores it, activates it if the guard lets it. An Error when
// there is no usable mark (none, or none between two indexed files), or the catalog fails.
[[nodiscard]] Result<LearnResult> learn(Library& lib, const LearnParams& params, const std::atomic<bool>& cancel,
                                        const std::function<void(const LearnProgress&)>& progress = {});

// A stored version, as `adapters` lists it.
struct AdapterVersion {
    std::int64_t version = 0;
    bool active = false;     // searches use it now
    bool activated = false;  // the guard let it become active when it was made
    std::string reason;
    std::string source;  // "learn" | "import"
    std::string model_id;
    int dim = 0, rank = 0;
    float alpha = 0;
    std::int64_t marks = 0, held_out = 0;
    double held_out_before = -1, held_out_after = -1;  // -1: not measured
    std::string summary;  // JSON text: its marks or its origin
    std::int64_t created = 0;  // Unix ms
};
[[nodiscard]] Result<std::vector<AdapterVersion>> list_adapter_versions(Library& lib);

// Makes `version` active whatever the guard said (a person's choice: roll back, or forward);
// 0 makes none active (search answers on the plain features, exactly as before any learning).
[[nodiscard]] Status activate_adapter(Library& lib, std::int64_t version, const std::atomic<bool>& cancel,
                                      const std::function<void(const LearnProgress&)>& progress = {});

// Writes version N to `file` as JSON: format, the model id (network + descriptor) it fits, dim,
// rank, alpha, the matrices A and B, and a summary of the marks it learned from. Error names the
// file or the version.
[[nodiscard]] Status export_adapter(Library& lib, std::int64_t version, const std::filesystem::path& file);
// Reads an exported version and stores it as a new version (source "import"), which the guard
// then judges on all of this library's marks (nothing is trained, so none need be held out): it
// becomes active only if it orders them strictly better than the active one. Refused (an Error
// naming the file and the reason) for a file that is not an export, is damaged, or fits another
// model or dimension.
[[nodiscard]] Result<LearnResult> import_adapter(Library& lib, const std::filesystem::path& file,
                                                 const std::atomic<bool>& cancel,
                                                 const std::function<void(const LearnProgress&)>& progress = {});

// After a mark: a few steps of the fast adapter (rank 2) on the most recent kFastRecentMarks marks
// between indexed files (their features passed through the active base version), stored in the
// catalog and swapped into the library at once; the next search re-ranks with it. Returns how many
// marks it used (0: none usable yet, nothing changed).
inline constexpr std::size_t kFastRecentMarks = 32;
[[nodiscard]] Result<std::size_t> update_fast_adapter_after_mark(Library& lib);

// A search with the person's in-session feedback (SearchOptions::alike / different), recorded as
// a search session (SearchSessions.h) when the library is writable: the query's feature as
// embedded, the files shown (each result and its copies, in order), the library file searched
// with, and the refined query (Rocchio on the stored features, so sessions stay in the feature
// space of the model whatever adapter version is active). Embeds with the writer's embedder: call
// it on the writer's thread. A session that cannot be recorded leaves the results as they are and
// says why in `session_note`.
struct FeedbackSearch {
    std::vector<SearchResult> results;
    std::int64_t session = 0;  // 0: not recorded
    std::string session_note;  // why not, when it was asked for
};
[[nodiscard]] Result<FeedbackSearch> search_with_feedback(Library& lib, const std::filesystem::path& image, int k,
                                                          const SearchOptions& options);

}  // namespace rv
