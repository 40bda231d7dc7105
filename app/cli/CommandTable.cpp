// Every ruvision-cli command with its options, declared once: main() dispatches through this table
// and the usage text is written from it (Options.h).
#include "cli/Commands.h"
#include "cli/Options.h"

namespace rv::cli {

namespace {

using Kind = OptionSpec::Kind;

OptionSpec library_option() {
    return {"library", 0, Kind::Text, "DIR", "the library: a folder of its own (index creates it)", 0, 0, true};
}
OptionSpec json_option(const char* help = "one JSON object per line instead of text") {
    return {"json", 0, Kind::Flag, "", help};
}
OptionSpec verbose_option() {
    return {"verbose", 'v', Kind::Flag, "", "name the library, model and index state opened, even when all is well"};
}
OptionSpec model_option(const char* help) { return {"model", 0, Kind::Text, "NAME", help}; }
OptionSpec precision_option(const char* help) { return {"precision", 0, Kind::Text, "P", help}; }

std::vector<CommandSpec> make_commands() {
    return {
        {"models", "", "the installed models (dimension, source, descriptor; broken ones with the reason)",
         {json_option(), {"nodes", 0, Kind::Text, "NAME", "list one model's nodes and the aliases a descriptor can use"}},
         "ruvision-cli models --nodes mobilenet_v2", "", 0, 0, cmd_models},
        {"embed", "IMAGE...", "print the L2-normalised embedding of each image",
         {model_option("the model to use (default: the default model, see `models`)"),
          {"descriptor", 0, Kind::Text, "SPEC", "how features are pooled, e.g. gem3:expand13 (default: the model's)"},
          precision_option("the arithmetic: fp32 or int8 (int8 needs a calibrated model)"), json_option()},
         "ruvision-cli embed --json photo.jpg", "", 1, kMany, cmd_embed},
        {"rank", "QUERY IMAGE...", "rank the images by cosine similarity to QUERY, best first",
         {model_option("the model to use (default: the default model)")},
         "ruvision-cli rank query.jpg a.jpg b.jpg", "", 2, kMany, cmd_rank},
        {"index", "[FOLDER...]",
         "index a library's folders (new, changed, moved, vanished files); adds FOLDERs, creates the library",
         {library_option(), model_option("change the library's model (its files are embedded again)"),
          precision_option("change the library's arithmetic, fp32 or int8 (its files are embedded again)"),
          json_option("print the summary as one JSON object"), verbose_option(),
          {"progress-every", 0, Kind::Number, "S",
           "seconds between progress lines without a terminal (0: every file)", 0, 3600, false, "5"},
          {"no-hierarchy", 0, Kind::Flag, "", "do not bring the library's hierarchy up to date afterwards"}},
         "ruvision-cli index --library ~/.local/share/RuVision/my-photos ~/Pictures",
         "On a terminal the progress is one line, rewritten in place; otherwise (a script, a CI log) a\n"
         "line every few seconds. Then the hierarchy is brought up to date (one line says what was done).\n"
         "Exit status: 0 all indexed, 1 some files failed, 130 interrupted.",
         0, kMany, cmd_index},
        {"search", "IMAGE", "the library files most similar to IMAGE, best first",
         {library_option(), {"top", 'k', Kind::Integer, "N", "how many results", 1, 10000, false, "10"},
          {"alike", 0, Kind::List, "IMAGE", "library files alike to what you seek: the query is refined towards them"},
          {"different", 0, Kind::List, "IMAGE", "library files unlike what you seek: the query is moved away"},
          {"no-adapter", 0, Kind::Flag, "", "ignore what the library learned from marks (the plain ranking)"},
          {"level", 0, Kind::Integer, "L",
           "search the hierarchy at level L instead (0: the most general groups): its groups nearest to IMAGE",
           0, 1000000},
          {"region", 0, Kind::Text, "X,Y,W,H",
           "search with this rectangle of IMAGE: left, top, width, height in pixels of IMAGE as shown (EXIF orientation applied)"},
          json_option("one JSON object per hit, scores at full precision"), verbose_option()},
         "ruvision-cli search --library ~/.local/share/RuVision/my-photos -k5 query.jpg --alike a.jpg --different b.jpg",
         "Each result: rank, score, word, path. The score (0 to 1) is how likely the file is the same picture\n"
         "as IMAGE (edited, resized or not): above 0.5 it probably is; below, a look-alike at most, lifted a\n"
         "little by how alike. The word says how alike: \"same picture\", \"very similar\", \"related\" or none.\n"
         "Uses the active adapter version (ruvision-cli adapters) and the fast adapter the latest marks\n"
         "trained. IMAGE goes before --alike/--different (their lists run to the next option) or after --.\n"
         "A file of --alike/--different that is not a library file is a usage error (exit status 2).\n"
         "With --level: rank, hyperbolic distance, size and representative of the level's nearest groups\n"
         "(a level deeper than a branch gives its images), e.g. search --library DIR --level 1 -k5 query.jpg;\n"
         "with --json one object per hit: rank, id, depth, size, distance, path (the representative).\n"
         "With --region: the library files with a part most like that rectangle (each file's best region\n"
         "or whole image, plain features), e.g. search --library DIR --region 400,300,640,480 photo.jpg.",
         1, 1, cmd_search},
        {"duplicates", "", "groups of near-duplicate files, each checked pixel by pixel",
         {library_option(),
          {"threshold", 0, Kind::Number, "T",
           "the similarity a group's members reach at least", 0, 1, false, "0.56-0.70 by library size"},
          {"no-adapter", 0, Kind::Flag, "", "compare the plain features, not the active adapter version's"},
          json_option("one JSON object per group"), verbose_option()},
         "ruvision-cli duplicates --library ~/.local/share/RuVision/my-photos --threshold=0.8", "", 0, 0,
         cmd_duplicates},
        {"status", "", "the library's counts, errors, model, index state and folders",
         {library_option(), {"errors", 0, Kind::Flag, "", "list the files in error, path and reason, one per line"},
          json_option(), verbose_option()},
         "ruvision-cli status --library ~/.local/share/RuVision/my-photos --errors", "", 0, 0, cmd_status},
        {"roots", "", "the library's folders; add or remove one (its files leave the library, never the disk)",
         {library_option(), {"add", 0, Kind::Text, "DIR", "add this folder (index then indexes it)"},
          {"remove", 0, Kind::Text, "DIR", "remove this folder from the library; the files stay on disk"},
          json_option(), verbose_option()},
         "ruvision-cli roots --library ~/.local/share/RuVision/my-photos --add ~/Pictures/2024", "", 0, 0, cmd_roots},
        {"mark", "IMAGE_A IMAGE_B", "mark two library files the same picture, alike or different (the latest mark of a pair wins)",
         {library_option(), {"same", 0, Kind::Flag, "", "the two are the same picture (a copy, another size, an edit)"},
          {"alike", 0, Kind::Flag, "", "the two are alike"},
          {"different", 0, Kind::Flag, "", "the two are different"}, json_option("print the stored mark as JSON")},
         "ruvision-cli mark --library ~/.local/share/RuVision/my-photos --alike a.jpg b.jpg",
         "Both must be files of the library (exit status 2 names the one that is not).", 2, 2, cmd_mark},
        {"marks", "[IMAGE_A IMAGE_B]", "the library's marks; export, import or remove them",
         {library_option(),
          json_option("one JSON object per mark: a, b, verdict, source, time"),
          {"export", 0, Kind::Text, "FILE", "write every mark to FILE as JSON lines (- : stdout)"},
          {"import", 0, Kind::Text, "FILE", "add the marks of FILE (JSON lines) whose paths are library files"},
          {"remove", 0, Kind::Flag, "", "remove the mark on IMAGE_A and IMAGE_B"}},
         "ruvision-cli marks --library ~/.local/share/RuVision/my-photos --export marks.jsonl",
         "An import reports each line it could not place, with the reason, and exits with status 1.", 0, 2,
         cmd_marks},
        {"hierarchy", "", "the library as a tree in the Poincare disk: groups, near-duplicates, images",
         {library_option(),
          json_option("one object per node and line (internal: id, parent, depth, size, representative, x, y; "
                      "image: id, parent, depth, path, x, y), then {\"distortion\": {\"mean\", \"max\"}, \"map\"}")},
         "ruvision-cli hierarchy --library ~/.local/share/RuVision/my-photos --json",
         "When none is stored, or the library changed since (files, model, adapter version), it is brought\n"
         "up to date and stored first (a line on stderr says what was done); a library that is read-only\n"
         "here gets one built in memory. parent is null for the root only; x, y: the point in the unit\n"
         "disk, written at full precision; representative: the id of an image node below.",
         0, 0, cmd_hierarchy},
        {"learn", "", "train an adapter version on every mark; activate it if it orders held-out marks better",
         {library_option(),
          json_option("print the result as one JSON object: version, activated, reason, marks, held_out_before, "
                      "held_out_after, seconds")},
         "ruvision-cli learn --library ~/.local/share/RuVision/my-photos",
         "A fifth of the alike and of the different marks are held out (seeded); the version is trained on\n"
         "the rest and becomes active only if it orders the held-out ones strictly better than the active\n"
         "version (or none). With fewer than 10 marks, or fewer than 2 alike or 2 different ones, it is\n"
         "stored, not activated. Progress on stderr. Exit status: 0 stored (active or not), 1 failed,\n"
         "130 interrupted (nothing stored).",
         0, 0, cmd_learn},
        {"tune", "", "tune an adapter version to the library's own images (their edited views); activate it if better",
         {library_option(),
          json_option("print the result as one JSON object: version, activated, reason, images, views, "
                      "held_out_before, held_out_after, marks_before, marks_after, seed, seconds"),
          {"images", 0, Kind::Integer, "N", "at most this many images are sampled", 20, 100000, false, "200"},
          {"seed", 0, Kind::Integer, "S", "the sample, the views, the held-out split and the training", 0, 1e15, false, "1"}},
         "ruvision-cli tune --library ~/.local/share/RuVision/my-photos",
         "Each sampled image gets 4 edited views (crops, small rotations, mirror, colour, grey, blur, a\n"
         "caption, JPEG; 1 to 3 combined); the views of one image are trained alike, with the person's marks.\n"
         "A quarter of the images are held out: the version becomes active only if it ranks their views\n"
         "with their own images better than the active version (and the held-out marks no worse).\n"
         "A library of fewer than 20 images is too small. Progress on stderr. Exit status: 0 stored\n"
         "(active or not), 1 failed, 130 interrupted (nothing stored).",
         0, 0, cmd_tune},
        {"adapters", "", "the library's adapter versions; activate one or none, export or import one",
         {library_option(), json_option("one JSON object per version"),
          {"activate", 0, Kind::Text, "N", "make version N active (whatever the guard said)"},
          {"none", 0, Kind::Flag, "", "make no version active: search answers as before any learning"},
          {"export", 0, Kind::Text, "N FILE", "write version N to FILE (JSON: model, rank, parameters, marks)"},
          {"import", 0, Kind::Text, "FILE", "add an exported version; active if it orders this library's marks better"}},
         "ruvision-cli adapters --library ~/.local/share/RuVision/my-photos --activate 2",
         "--export takes the version and the file: --export 3 mine.json. An imported version must fit the\n"
         "library's model and descriptor.",
         0, 1, cmd_adapters},
        {"import-model", "RECIPE SOURCE_DIR OUT.rvm", "import a TF.js or ONNX model into RuVision's model format",
         {},
         "ruvision-cli import-model packaging/models/mobilenet_v2.json build/model-sources/x build/models/x.rvm",
         "", 3, 3, cmd_import_model},
        {"export-onnx", "MODEL OUT.onnx", "write a model as an ONNX model (to run it in ONNX Runtime or OpenCV DNN)",
         {{"output", 0, Kind::List, "NODE",
           "also make these nodes or aliases outputs (the default descriptor's nodes and last always are)"},
          {"size", 0, Kind::Text, "WxH",
           "a fixed input size (default: the native size; symbolic height and width for an any-size model)"},
          json_option("print what was written as one JSON object")},
         "ruvision-cli export-onnx mobilenet_v2 mobilenet_v2.onnx",
         "MODEL is a model name (see `models`) or a .rvm file. The input \"input\" is the preprocessed image,\n"
         "1x3xHxW float, RGB (the model's scale and offset applied, as in the file's metadata\n"
         "ruvision.preprocess); outputs are NCHW, named after their alias (e.g. last) or node. MODEL and\n"
         "OUT go before --output (its list runs to the next option). OUT is written whole or not at all.",
         2, 2, cmd_export_onnx},
        {"calibrate-int8", "MODEL IMAGE|FOLDER...",
         "measure a model's activations on photos so that it can run in INT8 (embed/index --precision int8)",
         {{"out", 0, Kind::Text, "FILE", "write the calibrated model here (default: MODEL's own file, replaced)"},
          {"percentile", 0, Kind::Number, "P", "each map's range keeps the values up to the Pth percentile", 50, 100,
           false, "99.99"},
          {"float", 0, Kind::List, "NODE", "nodes (names or aliases) that stay in float"},
          json_option("print what was done as one JSON object")},
         "ruvision-cli calibrate-int8 mobilenet_v2 ~/Pictures/sample --out mobilenet_v2.rvm",
         "MODEL is a model name (see `models`) or a .rvm file. Folders are searched for pictures RuVision\n"
         "reads; at least 8 must decode (a few dozen varied photos are enough). Photos that cannot be read\n"
         "are named and skipped. The file is written beside and renamed: never half-written.",
         2, kMany, cmd_calibrate_int8},
    };
}

}  // namespace

const std::vector<CommandSpec>& commands() {
    static const std::vector<CommandSpec> table = make_commands();
    return table;
}

const CommandSpec* find_command(std::string_view name) {
    for (const auto& c : commands())
        if (name == c.name) return &c;
    return nullptr;
}

}  // namespace rv::cli
