// ruvision-cli: the engine, headless.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/Commands.h"

namespace {

const char* kUsage =
    "usage: ruvision-cli COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  models [--json] [--nodes NAME]   list installed models (dimension, source, descriptor, broken\n"
    "                                   ones with the reason); --nodes: one model's nodes and aliases\n"
    "  embed [--model NAME] [--descriptor SPEC] [--json] IMAGE...\n"
    "                                   print the L2-normalised embedding of each image\n"
    "  rank [--model NAME] QUERY IMAGE...\n"
    "                                   rank the images by cosine similarity to QUERY\n"
    "  index --library DIR [--model NAME] [--json] [ROOT...]\n"
    "                                   add folders and index them (new, changed, moved, vanished files);\n"
    "                                   creates the library; --model changes its model (re-embeds)\n"
    "  search --library DIR [-k N] [--json] IMAGE\n"
    "                                   the library files most similar to IMAGE, best first\n"
    "  duplicates --library DIR [--threshold T] [--json]\n"
    "                                   groups of near-duplicate files (similarity >= T; default 0.56-0.70 by library size)\n"
    "  status --library DIR [--json]    counts, errors, model and index state\n"
    "  roots --library DIR [--json] [--add DIR | --remove DIR]\n"
    "                                   the library's folders; add one, or remove one (its files leave\n"
    "                                   the library, never the disk)\n"
    "  import-model RECIPE SOURCE_DIR OUT.rvm\n"
    "                                   import a TF.js model into RuVision's model format\n"
    "\n"
    "environment: RUVISION_MODELS (model folders, colon-separated), RUVISION_ISA (force a SIMD\n"
    "path: scalar, sse2, avx2, avx512, neon)\n";

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::string cmd = argv[1];
    rv::cli::Args args(argv + 2, argv + argc);
    if (cmd == "models") return rv::cli::cmd_models(args);
    if (cmd == "embed") return rv::cli::cmd_embed(args);
    if (cmd == "index") return rv::cli::cmd_index(args);
    if (cmd == "search") return rv::cli::cmd_search(args);
    if (cmd == "status") return rv::cli::cmd_status(args);
    if (cmd == "duplicates") return rv::cli::cmd_duplicates(args);
    if (cmd == "roots") return rv::cli::cmd_roots(args);
    if (cmd == "rank") return rv::cli::cmd_rank(args);
    if (cmd == "import-model") return rv::cli::cmd_import_model(args);
    std::fprintf(stderr, "ruvision-cli: unknown command '%s'\n\n%s", cmd.c_str(), kUsage);
    return 2;
}
