// Self-supervised tuning to the library (the design's contrastive fine-tuning): an adapter version
// trained on augmented views of the library's own images, by the same machinery the marks train
// (AdapterTraining.h: the closed-form group discriminant start, then optional InfoNCE / contrastive
// gradient steps), stored as its own version (source "tune"), judged by the same guard and
// activated only if better (Learning.h).
//
// How. A seeded sample of the library's indexed files (up to TuneParams::images) is decoded as
// indexing decodes them (reduced to the embedder's min_decode_side) and each image gets `views`
// edited copies (ImageEdits.h: 1 to max_edits of crop, rotate, mirror, jitter, grey, blur, caption,
// jpeg, seeded per file and view), embedded with clones of the writer's embedder. The rows of one
// image (its stored feature and its views' embeddings) are an alike group; a view of another image
// is a different pair. A seeded share of the images (held_out_fraction) is held out: the adapter
// is trained on the others' groups plus the person's marks (every usable mark, so a tune never
// forgets them; a seeded fifth held out when there are enough, as learn does), and the guard scores
// the held-out images (each view against its own stored feature: alike; against every other
// held-out image's stored feature: different) under the active version and the new one. It is
// activated only if it orders those better (guard_passes, Learning.h) and is not worse on the
// held-out marks (when there are). Activation has learn's follow-ups: the version's index is built
// and saved before it becomes active; the caller brings the hierarchy up to date.
//
// Threads: tune() runs on the library's writer thread, never while index() runs (Learning.h);
// decoding and embedding run on `threads` workers of its own, each with an Embedder clone, joined
// before it returns. cancel is polled between images, training steps and re-projection batches: a
// cancelled tune stores nothing (or, cancelled during the activation, a complete version that is not
// active, as learn). Never throws.
//
// Deterministic: the same library, parameters and seed give the same adapter bit for bit on one
// machine, whatever the number of threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ruvision/engine/AdapterTraining.h"
#include "ruvision/engine/Learning.h"
#include "ruvision/engine/Library.h"
#include "ruvision/engine/Result.h"

namespace rv {

// A library with fewer indexed images than this is too small to tune (an Error saying so).
inline constexpr std::size_t kTuneMinImages = 20;

// TrainParams as tuning uses them: rank 64 (alpha 64); the rest as for marks.
inline TrainParams tune_train_defaults() {
    TrainParams t;
    t.rank = 64;
    t.alpha = 64;
    return t;
}

struct TuneParams {
    std::size_t images = 200;     // at most this many images sampled
    std::size_t min_images = kTuneMinImages;
    int views = 4;                // edited views per image
    int max_edits = 3;            // each view combines 1 to this many edits
    double held_out_fraction = 0.25;  // images held out for the guard
    // The closed-form start's strength g (GroupDiscriminant.h), whatever the number of pairs:
    // train.discriminant_strength is set to strength / training pairs. Strength and rank were
    // chosen with bench_tune on the honest set's CHOOSE half (R@1 of edits of the CHOOSE images a
    // tune held out, all edits: 0.886 plain, 0.964 at strength 2 rank 32, 0.979 at 4 to 16, 0.986 at
    // 2 with rank 64; rank 8 lost, and 3 or 10 InfoNCE gradient epochs after the start gained
    // nothing: the closed-form start alone is what wins).
    float strength = 2.0f;
    TrainParams train = tune_train_defaults();  // epochs, losses... (train.seed is set from seed)
    std::uint64_t seed = 1;       // the sample, the views, the split and the training
    int threads = 2;              // decoding and embedding workers
};

// Stage "views" (images done of total), "training" (step of steps) or "re-projecting".
using TuneProgress = LearnProgress;

struct TuneResult {
    std::int64_t version = 0;  // the stored version
    bool activated = false;
    std::string reason;        // the guard's verdict, in words
    std::size_t images = 0;    // images whose views were made (training + held out)
    std::size_t held_out_images = 0;
    std::size_t views = 0;     // views embedded in all
    std::size_t skipped = 0;   // sampled files that could not be decoded or embedded now
    std::size_t marks = 0;     // the person's marks trained on (held-out ones not counted)
    std::size_t held_out_marks = 0;
    double held_out_before = 0.5, held_out_after = 0.5;  // pair AUC on the held-out images' views
    double marks_before = -1, marks_after = -1;          // on the held-out marks; -1: none held out
    std::uint64_t seed = 0;
    double seconds = 0;
};

// Samples, makes the views, trains, stores and (if the guard lets it) activates a version. An
// Error, storing nothing, for a library opened for reading, one with fewer than min_images
// indexed images (or usable views of fewer), a cancel, or a catalog failure.
[[nodiscard]] Result<TuneResult> tune(Library& lib, const TuneParams& params, const std::atomic<bool>& cancel,
                                      const std::function<void(const TuneProgress&)>& progress = {});

// Whether a tune is worth running now: the library has at least `min_images` indexed images and no
// 'tune' version of its model was made when it had at least half of them. `why` says so in words.
struct TuneDue {
    bool due = false;
    std::size_t images = 0;  // indexed with the library's model now
    std::string why;
};
[[nodiscard]] Result<TuneDue> tune_due(Library& lib, std::size_t min_images = 50);

// --- the parts of tune(), for the bench (bench_tune) ---

// The training data of a tune: rows of unit features (per image its stored feature first, then its
// views), the groups (rows of one image) and which images are held out.
struct TuneViews {
    FeatureMatrix rows;
    std::vector<std::uint32_t> first;   // per image: its first row; rows first[i] .. first[i+1]-1
    std::vector<std::int64_t> file_ids; // per image
    std::vector<bool> held_out;         // per image
    std::size_t skipped = 0;
    std::size_t images() const { return file_ids.size(); }
};
// Decodes the sample and embeds its views (stage "views"). No catalog writes; works on a library
// opened for reading too.
[[nodiscard]] Result<TuneViews> make_tune_views(Library& lib, const TuneParams& params, const std::atomic<bool>& cancel,
                                                const std::function<void(const TuneProgress&)>& progress = {});
// The training pairs of the images not held out: each view with its image's stored feature and with
// its next view (alike), and each image's first view against the stored feature of a seeded other
// image (different).
std::vector<TrainingPair> tune_training_pairs(const TuneViews& v, std::uint64_t seed);
// The guard's pairs on the held-out images (see above).
std::vector<TrainingPair> tune_guard_pairs(const TuneViews& v);
// The adapter tune() trains on `pairs` (rows of `rows`): params.train with params.seed and the
// start's strength params.strength spread over the pairs (stage "training").
struct TunedAdapter {
    LowRankAdapter adapter;
    TrainReport report;
};
[[nodiscard]] Result<TunedAdapter> train_tune_adapter(const FeatureMatrix& rows, const std::vector<TrainingPair>& pairs,
                                                      const TuneParams& params, const std::atomic<bool>& cancel,
                                                      const std::function<void(const TuneProgress&)>& progress = {});

}  // namespace rv
